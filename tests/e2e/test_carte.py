"""The national map in a browser: legible offline (the shipped contours under the blocked
tiles), the overseas insets, metropolitan France and Corsica in frame on a phone, French
controls usable with the keyboard, names written as text."""

import pytest

from tests.factories.public import laureat


@pytest.fixture
def laureats(db):
    laureat(nom="Pays de Morlaix", region="53", departements=("29",), lat=48.58, lon=-3.83)
    laureat(nom="Calvi <img src=x onerror=alert(1)>", region="94", departements=("2B",),
            lat=42.567, lon=8.757)  # fmt: skip
    laureat(nom="Cap Excellence", region="01", departements=("971",), lat=16.24, lon=-61.53)
    laureat(nom="Nord de La Réunion", region="04", departements=("974",), lat=-20.9, lon=55.48)


def _hors_ligne(page):
    """Block every request that leaves the test server: the tiles above all."""
    demandes = []

    def router(route):
        if route.request.url.startswith(page.base_url):
            return route.continue_()
        demandes.append(route.request.url)
        return route.abort()

    page.route("**/*", router)
    return demandes


@pytest.mark.parametrize("largeur", [375, 1280])
def test_la_carte_nationale_reste_lisible_hors_ligne(browser, live_server, laureats, largeur):
    from tests.e2e.conftest import new_page

    page = new_page(browser, live_server, viewport={"width": largeur, "height": 900})
    try:
        tuiles = _hors_ligne(page)
        page.goto(page.base_url + "/laureats/carte/")
        page.wait_for_selector("[data-carte=laureats][data-chargee]", state="attached")

        assert any("data.geopf.fr" in url for url in tuiles)  # the base map was asked for…
        # …and the départements' contours are drawn beneath it.
        contours = page.locator("#carte-laureats .leaflet-contours-pane path")
        assert contours.count() > 90
        assert (
            "Plan IGN" in page.locator("#carte-laureats .leaflet-control-attribution").inner_text()
        )

        # Metropolitan France and Corsica inside the frame, whatever the width.
        cadre = page.evaluate(
            "(() => { const b = window.atelierCarteLaureats.getBounds();"
            " return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; })()"
        )
        ouest, sud, est, nord = cadre
        assert ouest <= -5.1 and est >= 9.55 and sud <= 41.4 and nord >= 51.1

        # The overseas lauréats are in their insets.
        encarts = page.locator(".atelier-encart")
        assert encarts.count() == 5
        guadeloupe = page.locator(".atelier-encart", has_text="Guadeloupe")
        assert guadeloupe.locator(".leaflet-marker-icon").count() == 1
        assert guadeloupe.locator(".leaflet-contours-pane path").count() >= 1
        reunion = page.locator(".atelier-encart", has_text="La Réunion")
        assert reunion.locator(".leaflet-marker-icon").get_attribute("title") == (
            "Nord de La Réunion"
        )
    finally:
        page.context.close()


def test_les_controles_sont_en_francais_et_au_clavier(page, laureats):
    _hors_ligne(page)
    page.goto(page.base_url + "/laureats/carte/")
    page.wait_for_selector("[data-carte=laureats][data-chargee]", state="attached")
    zoom_avant = page.locator("#carte-laureats a.leaflet-control-zoom-in")
    assert zoom_avant.get_attribute("title") == "Zoom avant"
    assert (
        page.locator("#carte-laureats a.leaflet-control-zoom-out").get_attribute("title")
        == "Zoom arrière"
    )
    # The DSFR underline (a background image on links) no longer strikes the glyphs.
    assert zoom_avant.evaluate("a => getComputedStyle(a).backgroundImage") == "none"

    zoom = page.evaluate("window.atelierCarteLaureats.getZoom()")
    zoom_avant.focus()
    page.keyboard.press("Enter")
    # Polled from Python: wait_for_function evaluates a string, which the CSP forbids.
    for _ in range(50):
        if page.evaluate("window.atelierCarteLaureats.getZoom()") > zoom:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("window.atelierCarteLaureats.getZoom()") > zoom

    # A name is text, never HTML: the "<img>" in a territory's name is not an element.
    page.evaluate("window.atelierCarteLaureats.setView([42.567, 8.757], 9)")
    marqueur = page.locator("#carte-laureats .leaflet-marker-icon[title^='Calvi']")
    marqueur.focus()
    page.keyboard.press("Enter")
    bulle = page.locator(".leaflet-popup-content")
    assert "Calvi <img src=x onerror=alert(1)>" in bulle.inner_text()
    assert bulle.locator("img").count() == 0
    assert page.locator(".leaflet-popup-close-button").get_attribute("aria-label") == (
        "Fermer la bulle"
    )


@pytest.mark.parametrize("largeur", [375, 1280])
def test_les_laureats_historiques_sont_sur_la_carte_avec_leur_legende(
    browser, live_server, largeur
):
    from ateliers.reference import load_laureats_historiques
    from territoires.reference import load_communes
    from tests.e2e.conftest import new_page
    from tests.factories.public import donnees_de_reference

    donnees_de_reference()
    load_communes(departements={"06", "976"})
    load_laureats_historiques()
    page = new_page(browser, live_server, viewport={"width": largeur, "height": 900})
    try:
        _hors_ligne(page)
        page.goto(page.base_url + "/laureats/carte/?session=littoral-2-2009")
        page.wait_for_selector("[data-carte=laureats][data-chargee]", state="attached")
        assert page.locator("#carte-laureats").get_attribute("data-chargee") == "5"
        assert "Lauréat historique" in page.locator(".atelier-legende").inner_text()
        # Zoomed out, markers close together are grouped: zoom in on Antibes to open it.
        page.evaluate("window.atelierCarteLaureats.setView([43.58, 7.12], 10)")
        page.locator("#carte-laureats .leaflet-marker-icon[title='Antibes']").click()
        bulle = page.locator(".leaflet-popup").first
        assert "Lauréat historique — 2009" in bulle.inner_text()
        lien = bulle.get_by_role("link", name="Antibes")
        assert lien.get_attribute("href") == "/sessions/littoral-2-2009/"

        # Mayotte (a lauréat of 2014, given as its communes) in its inset.
        page.goto(page.base_url + "/laureats/carte/?annee=2014")
        page.wait_for_selector("[data-carte=laureats][data-chargee]", state="attached")
        mayotte = page.locator(".atelier-encart", has_text="Mayotte")
        assert mayotte.locator(".atelier-marqueur--historique").count() == 1
    finally:
        page.context.close()
