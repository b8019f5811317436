"""The maps' data: a light data layer, perimeters on demand, the base map and its CSP."""

import pytest

from territoires.models import Commune
from territoires.reference import load_communes
from territoires.services import territoire_derive
from tests.factories.public import laureat

pytestmark = pytest.mark.django_db


def test_la_couche_de_la_carte_ne_porte_que_ce_que_la_carte_montre(client):
    session_atelier = laureat(nom="Baie d'Armor", format="multisite", lat=48.51234, lon=-2.76543)
    laureat(nom="Vallée <b>de</b> la Drôme", region="84", departements=("26",), format="local",
            lat=44.7, lon=5.0)  # fmt: skip
    laureat(nom="Sans point", lat=None, lon=None)
    laureat(nom="Brouillon", publie=False)

    donnees = client.get("/laureats/carte/donnees.json").json()

    assert set(donnees) == {
        "formats", "localisations", "sessions", "regions", "laureats", "historiques"
    }  # fmt: skip
    lignes = {ligne[4]: ligne for ligne in donnees["laureats"]}
    assert set(lignes) == {"Baie d'Armor", "Vallée <b>de</b> la Drôme"}
    lon, lat, fmt, slug, _nom, annee, session, region = lignes["Baie d'Armor"]
    assert (lon, lat) == (-2.765, 48.512)  # rounded: about 100 m
    assert donnees["formats"][fmt] == "multisite"
    assert slug == session_atelier.territoire.slug and annee == 2024
    assert donnees["sessions"][session] == session_atelier.session.titre
    assert donnees["regions"][region] == "Bretagne"
    assert lignes["Vallée <b>de</b> la Drôme"][6] == -1  # no session
    filtre = client.get("/laureats/carte/donnees.json?region=84").json()
    assert [ligne[4] for ligne in filtre["laureats"]] == ["Vallée <b>de</b> la Drôme"]
    assert client.get("/laureats/carte/donnees.json?annee=abc").status_code == 400


def test_les_perimetres_se_chargent_par_emprise(client):
    load_communes(departements={"22"})
    atelier = laureat(nom="Quintin")
    atelier.territoire.communes.set([Commune.objects.get(code="22262")])
    territoire_derive(territoire=atelier.territoire)
    laureat(nom="Vallée de la Drôme", region="84", departements=("26",), lat=44.7, lon=5.0,
            perimetre={"type": "Polygon", "coordinates": [[[5, 44.7], [5.1, 44.7], [5.1, 44.8],
                                                            [5, 44.7]]]})  # fmt: skip

    reponse = client.get("/laureats/carte/perimetres.json?bbox=-3.5,48,-2,49")

    assert reponse.status_code == 200
    [(slug, nom, perimetre)] = reponse.json()["perimetres"]
    assert (slug, nom) == ("quintin", "Quintin")
    assert perimetre["type"] in ("Polygon", "MultiPolygon")
    for bbox in ("", "1,2,3", "a,b,c,d", "nan,0,1,1", "-3,48,inf,49"):
        assert client.get(f"/laureats/carte/perimetres.json?bbox={bbox}").status_code == 400


def test_la_page_du_territoire_montre_ses_communes(client):
    load_communes(departements={"22"})
    atelier = laureat(nom="Quintin et Saint-Brieuc")
    atelier.territoire.communes.set(Commune.objects.filter(code__in=["22262", "22278"]))
    territoire_derive(territoire=atelier.territoire)

    html = client.get(f"/territoires/{atelier.territoire.slug}/").content.decode()

    assert (
        '"communes": [{"code": "22262", "nom": "Quintin", "contour": {"type": "MultiPolygon"'
        in (html)
    )


def test_le_fond_de_carte_est_configurable_et_permis_par_la_csp(client):
    reponse = client.get("/laureats/carte/")
    assert 'data-carte-tuiles="https://data.geopf.fr/wmts?' in reponse.content.decode()
    assert "Plan IGN © IGN – Géoplateforme" in reponse.content.decode()
    csp = reponse["Content-Security-Policy"]
    img_src = next(d for d in csp.split(";") if d.strip().startswith("img-src"))
    assert "https://data.geopf.fr" in img_src
