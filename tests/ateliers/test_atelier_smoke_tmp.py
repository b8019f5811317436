import datetime as dt
import pytest
from django.utils import timezone
from ateliers.services import atelier as s
from tests.factories_atelier import pdf
from ateliers.models import Livrable, Document

@pytest.mark.django_db
def test_smoke(client, atelier, pilote, habitant, elu, equipe, dgaln):
    s.atelier_demarrer(atelier=atelier, by=pilote)
    e = atelier.etapes.get(nature="atelier_1")
    s.etape_planifier(etape=e, by=pilote, debut=timezone.now()+dt.timedelta(days=3), lieu="Mairie")
    lv = e.livrables.get(nature="rapport_etonnement")
    d = s.document_deposer(atelier=atelier, by=pilote, fichier=pdf(), titre="R", categorie="rapport", livrable=lv)
    s.journal_ecrire(atelier=atelier, by=pilote, texte="**a** <script>x</script>", date=timezone.localdate())
    s.site_creer(atelier=atelier, by=pilote, nom="S", description="", geometrie={"type":"Point","coordinates":[-2.9,48.4]})
    for u in (pilote, habitant, dgaln):
        client.force_login(u)
        for url in ["", "etapes/", f"etapes/{e.pk}/", "documents/", f"documents/{d.pk}/", "journal/", "sites/", "calendrier/", "equipe/", "etapes/ajouter/"]:
            r = client.get(f"/espace/ateliers/{atelier.pk}/{url}")
            print(u.email, url, r.status_code)
            assert r.status_code in (200, 403), r.content[:3000]
        print(client.get(f"/espace/ateliers/{atelier.pk}/documents/{d.pk}/telecharger/").status_code)
    r = client.get("/gestion/ateliers/"); print(r.status_code)
    assert r.status_code == 200
    r = client.get("/gestion/ateliers/export.csv"); print(r.content.decode()[:500])
    r = client.get("/espace/calendrier/"); assert r.status_code == 200
