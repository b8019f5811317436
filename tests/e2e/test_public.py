"""A visitor filters the lauréats by région, switches to the map, opens a territory and
downloads its restitution report."""

import re

import pytest

from tests.factories.public import PDF, feuille_publiee, laureat, rapport_publie


@pytest.fixture
def laureats(db):
    breton = laureat(nom="Pays de Morlaix", region="53", departements=("29",), lat=48.58,
                     lon=-3.83, theme="Littoral")  # fmt: skip
    rapport = rapport_publie(breton, version=feuille_publiee(breton).version_adoptee)
    laureat(nom="Vallée de la Drôme", region="84", departements=("26",), lat=44.7, lon=5.0)
    return {"breton": breton, "rapport": rapport}


def test_visitor_filters_switches_to_map_opens_territory_and_downloads_report(page, laureats):
    page.goto(page.base_url + "/laureats/")
    assert "2 territoires lauréats" in page.content()
    page.select_option("#id_region", label="Bretagne")
    page.click("button:has-text('Appliquer les filtres')")
    page.wait_for_url(re.compile(r".*region=53.*"))
    assert "1 territoire lauréat" in page.content()
    assert "Vallée de la Drôme" not in page.content()

    page.click("a:has-text('Voir sur la carte')")
    page.wait_for_url(re.compile(r".*/laureats/carte/\?.*region=53.*"))
    carte = page.locator("[data-carte=laureats]")
    page.wait_for_selector("[data-carte=laureats][data-chargee]", state="attached")
    assert carte.get_attribute("data-chargee") == "1"
    page.locator(".leaflet-marker-icon").first.click()
    page.locator(".leaflet-popup a:has-text('Pays de Morlaix')").click()
    page.wait_for_url(re.compile(r".*/territoires/pays-de-morlaix/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Pays de Morlaix"
    assert page.locator("text=Axe stratégique 1").count() == 1

    assert page.locator("strong", has_text="Anne Kervella").count() == 1
    lien = page.locator("a:has-text('Télécharger le rapport de restitution')")
    assert lien.get_attribute("href") == f"/rapports/{laureats['rapport'].pk}/telecharger/"
    with page.expect_download() as attente:
        lien.click()
    telechargement = attente.value
    assert telechargement.suggested_filename.endswith(".pdf")
    with open(telechargement.path(), "rb") as f:
        contenu = f.read()
    assert contenu.startswith(b"%PDF-")
    assert contenu == PDF
    assert contenu.rstrip().endswith(b"%%EOF")


def test_map_with_invalid_filters_says_why_it_is_empty(page, laureats):
    page.goto(page.base_url + "/laureats/carte/?annee=deux-mille")
    page.wait_for_selector("[data-carte=laureats][data-chargee=erreur]", state="attached")
    alerte = page.locator(".atelier-carte-bloc [role=alert]")
    assert "filtres choisis ne sont pas valides" in alerte.inner_text()
    assert page.locator(".leaflet-marker-icon").count() == 0
