"""axe-core scan of every public page (and the home and legal pages): no serious or
critical violation, one h1, a meaningful title."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories
from tests.factories.public import feuille_publiee, laureat, rapport_publie

GRAVES = {"serious", "critical"}


@pytest.fixture
def donnees(db):
    session = factories.SessionFactory(titre="Territoires en transition", theme="Transition")
    atelier = laureat(
        nom="Pays de Morlaix",
        format="multisite",
        session=session,
        lat=48.58,
        lon=-3.83,
        theme="Littoral",
        perimetre={
            "type": "Polygon",
            "coordinates": [[[-4.1, 48.45], [-3.55, 48.45], [-3.55, 48.72], [-4.1, 48.45]]],
        },
    )
    factories.EtapeFactory(atelier=atelier, statut="realisee", titre="Séminaire de lancement")
    rapport_publie(atelier, version=feuille_publiee(atelier).version_adoptee)
    for i in range(12):
        laureat(nom=f"Communauté de communes {i}", lat=45 + i * 0.05, lon=3 + i * 0.05)
    return {"territoire": atelier.territoire, "session": session}


def _pages(donnees) -> list[str]:
    return [
        "/",
        "/laureats/",
        "/laureats/?region=53&q=littoral",
        "/laureats/?annee=abc",
        "/laureats/carte/",
        donnees["territoire"].get_absolute_url(),
        "/sessions/",
        donnees["session"].get_absolute_url(),
        "/donnees/",
        "/api/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
    ]


def test_public_pages_pass_axe(page, donnees):
    axe = Axe()
    problemes = []
    for chemin in _pages(donnees):
        page.goto(page.base_url + chemin)
        page.wait_for_load_state("networkidle")
        assert page.get_by_role("heading", level=1).count() == 1, chemin
        titre = page.title()
        assert titre.endswith("— Atelier des territoires") and len(titre) > 30, (chemin, titre)
        resultats = axe.run(page)
        for violation in resultats.response["violations"]:
            if violation["impact"] in GRAVES:
                cibles = [n["target"] for n in violation["nodes"]][:3]
                problemes.append(f"{chemin}: {violation['id']} ({violation['impact']}) {cibles}")
    assert not problemes, "\n".join(problemes)


def test_lists_and_map_are_usable_by_keyboard(page, donnees):
    page.goto(page.base_url + "/laureats/")
    page.locator("#id_q").focus()
    page.keyboard.type("littoral")
    page.keyboard.press("Enter")  # submits the GET form
    page.wait_for_url("**/laureats/?*q=littoral*")
    assert "Pays de Morlaix" in page.content()
    assert "Communauté de communes 3" not in page.content()
    page.goto(page.base_url + "/laureats/carte/")
    page.wait_for_selector("[data-chargee]", state="attached")
    page.wait_for_load_state("networkidle")
    # markers and groups are focusable buttons of the map
    assert page.locator(".leaflet-marker-icon").count() >= 1
    assert page.evaluate(
        "() => { const m = document.querySelector('.leaflet-marker-icon');"
        " m.focus(); return document.activeElement === m && m.tabIndex >= 0; }"
    )
