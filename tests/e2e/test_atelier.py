"""Browser journey: the pilote schedules the three workshops, uploads the rapport
d'étonnement, records attendance and sees the timeline advance."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from acteurs.models import Role
from ateliers import services as s
from ateliers.models import Etape
from tests import factories
from tests.e2e.conftest import login
from tests.factories.ateliers import PDF_BYTES, pdf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(live_server):
    atelier = factories.AtelierFactory(titre="Atelier du Trégor")
    pilote = factories.participant(
        atelier, Role.PILOTE, email="pilote@e2e.fr", first_name="Claire", last_name="Martin"
    )
    factories.participant(
        atelier, Role.ELU, email="maire@e2e.fr", first_name="Yann", last_name="Le Goff"
    )
    factories.participant(
        atelier, Role.HABITANT, email="habitante@e2e.fr", first_name="Nolwenn", last_name="Riou"
    )
    s.atelier_demarrer(atelier=atelier, by=pilote)
    # The launch seminar is behind us; the field visit was not needed.
    lancement = atelier.etapes.get(nature="lancement")
    Etape.objects.filter(pk=lancement.pk).update(debut=timezone.now() - dt.timedelta(days=20))
    lancement.refresh_from_db()
    s.document_deposer(
        atelier=atelier, by=pilote, fichier=pdf(), titre="Note de cadrage",
        categorie="compte_rendu", livrable=lancement.livrables.get(nature="note_cadrage"),
    )  # fmt: skip
    s.document_deposer(
        atelier=atelier, by=pilote, fichier=pdf(), titre="CR lancement",
        categorie="compte_rendu", livrable=lancement.livrables.get(nature="compte_rendu"),
    )  # fmt: skip
    s.etape_marquer_realisee(etape=Etape.objects.get(pk=lancement.pk), by=pilote)
    s.etape_annuler(etape=atelier.etapes.get(nature="visite"), by=pilote, motif="Inutile")
    return atelier


def _etape_li(page, nature):
    return page.locator(f"li.frise__etape[data-etape='{nature}']")


def test_pilote_runs_the_workshops(page, scene, password, tmp_path):
    atelier = scene
    base = f"{page.base_url}/espace/ateliers/{atelier.pk}"
    login(page, "pilote@e2e.fr", password)

    # 1. Schedule the three workshops from each stage page.
    debut = timezone.localtime() + dt.timedelta(days=14)
    for i, nature in enumerate(["atelier_1", "atelier_2", "atelier_3"]):
        etape = atelier.etapes.get(nature=nature)
        page.goto(f"{base}/etapes/{etape.pk}/")
        jour = debut + dt.timedelta(days=30 * i)
        page.fill("#planifier_debut", jour.strftime("%Y-%m-%dT10:00"))
        page.fill("#planifier_fin", jour.strftime("%Y-%m-%dT17:00"))
        page.fill("#planifier_lieu", f"Salle {i + 1}, Lannion")
        page.click("#form-planifier button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "est planifiée" in page.content()

    page.goto(f"{base}/")
    for nature in ["atelier_1", "atelier_2", "atelier_3"]:
        assert "Lannion" in _etape_li(page, nature).inner_text()
    assert "frise__etape--courante" in (_etape_li(page, "atelier_1").get_attribute("class") or "")

    # The first workshop takes place.
    atelier_1 = atelier.etapes.get(nature="atelier_1")
    Etape.objects.filter(pk=atelier_1.pk).update(
        debut=timezone.now() - dt.timedelta(hours=5), fin=timezone.now() - dt.timedelta(hours=1)
    )

    # 2. Marking it done is refused while the report is missing: the button is disabled,
    # the reason beside it.
    page.goto(f"{base}/etapes/{atelier_1.pk}/")
    bouton = page.get_by_role("button", name="Marquer l'étape réalisée")
    expect(bouton).to_be_disabled()
    expect(bouton).to_have_accessible_description(re.compile("il manque le livrable"))
    assert "Rapport d'étonnement" in page.inner_text("main")

    # 3. Upload the rapport d'étonnement and the minutes as the stage's deliverables.
    fichier = tmp_path / "rapport-etonnement.pdf"
    fichier.write_bytes(PDF_BYTES)
    for nature, titre in [
        ("rapport_etonnement", "Rapport d'étonnement"),
        ("compte_rendu", "Compte rendu de l'atelier 1"),
    ]:
        livrable = atelier_1.livrables.get(nature=nature)
        page.goto(f"{base}/documents/?livrable={livrable.pk}")
        page.set_input_files("#id_fichier", str(fichier))
        page.fill("#id_titre", titre)
        page.select_option("#id_categorie", "rapport")
        page.click("#form-document button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "est déposé" in page.content()
    livrable_li = page.locator("#livrables li[data-livrable='rapport_etonnement']")
    assert "fourni" in livrable_li.inner_text().lower()

    # 4. Record attendance.
    page.click("label:has-text('Yann Le Goff')")
    page.click("label:has-text('Nolwenn Riou')")
    page.click("label:has-text('Claire Martin')")
    page.click("#form-presences button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "3 présents sur 3 participants" in page.inner_text("#nb-presents")

    # 5. Mark it done: the timeline moves on to workshop 2.
    page.fill("#realiser_resume", "Un atelier riche, **trois sites** repérés.")
    page.click("#form-realiser button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "est réalisée" in page.content()
    page.goto(f"{base}/")
    assert _etape_li(page, "atelier_1").get_attribute("data-statut") == "realisee"
    assert "frise__etape--courante" in (_etape_li(page, "atelier_2").get_attribute("class") or "")
    comptes = page.inner_text("#comptes-acteurs")
    assert "Élus et collectivités\t1\t1" in comptes
    assert "Habitants\t1\t1" in comptes


def test_pilote_draws_a_demonstrator_site(page, scene, password):
    atelier = scene
    login(page, "pilote@e2e.fr", password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/sites/")
    page.fill("#id_nom", "Place du marché")
    page.click("a.leaflet-draw-draw-marker")
    box = page.locator("#geo-widget-carte").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert "Point placé" in page.inner_text("#geo-widget-statut")
    page.click("#form-site button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Place du marché" in page.inner_text("#liste-sites")
    site = atelier.sites_demonstrateurs.get()
    assert site.geometrie["type"] == "Point"
    lon, lat = site.geometrie["coordinates"]
    assert (
        abs(lon - atelier.territoire.longitude) < 0.5
        and abs(lat - atelier.territoire.latitude) < 0.5
    )
