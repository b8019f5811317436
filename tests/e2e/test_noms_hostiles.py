"""Hostile names on every map: a demonstrator site or a territory named with HTML (an
``<img onerror>``, an ``<iframe srcdoc>`` carrying the page cache's nonce placeholder) is
shown as text in tooltips and popups and never runs, for visitors (cached public pages)
and in the workspace."""

import pytest

from acteurs.models import Role
from ateliers.models import SiteDemonstrateur
from tests import factories
from tests.e2e.conftest import login
from tests.factories.public import laureat

pytestmark = pytest.mark.django_db(transaction=True)

IMG = '<img src="x" onerror="window.pwned=(window.pwned||0)+1;alert(1)">'
# The page cache's nonce placeholder, as it was and as it is.
IFRAME = (
    '<iframe srcdoc="<script nonce=__ATELIER_CSP_NONCE__>'
    'parent.pwned=(parent.pwned||0)+1;parent.alert(2)</script>"></iframe>'
)
IFRAME_2 = (
    '<iframe srcdoc=\'<script nonce="<__ATELIER_CSP_NONCE__>">'
    "parent.pwned=(parent.pwned||0)+1;parent.alert(3)</script>'></iframe>"
)
TERRITOIRE = f"Pays {IMG}{IFRAME}"
SITE = f"Site {IFRAME_2}{IMG}"
PERIMETRE = {
    "type": "Polygon",
    "coordinates": [[[-3.0, 48.3], [-2.8, 48.3], [-2.8, 48.5], [-3.0, 48.5], [-3.0, 48.3]]],
}


@pytest.fixture
def hostile(live_server):
    atelier = laureat(nom=TERRITOIRE, perimetre=PERIMETRE)
    SiteDemonstrateur.objects.create(
        atelier=atelier, nom=SITE, geometrie={"type": "Point", "coordinates": [-2.9, 48.4]}
    )
    return atelier


def _watch(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def _hover_everything(page):
    shapes = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    shapes.first.wait_for(state="attached")
    for i in range(shapes.count()):
        shapes.nth(i).dispatch_event("mouseover")
        page.wait_for_timeout(150)


def _tooltip_texts(page) -> list[str]:
    return page.locator(".leaflet-tooltip").all_text_contents()


def _nothing_ran(page, dialogs):
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.evaluate("window.pwned") is None
    assert page.locator(".leaflet-pane img[src='x'], .leaflet-pane iframe").count() == 0


def test_public_territory_map_shows_hostile_site_names_as_text(page, hostile):
    dialogs = _watch(page)
    url = f"{page.base_url}{hostile.territoire.get_absolute_url()}"
    for _ in range(2):  # rendered, then from the visitors' page cache
        page.goto(url)
        _hover_everything(page)
        assert any(SITE in t for t in _tooltip_texts(page))
        _nothing_ran(page, dialogs)


def test_public_laureat_map_popups_show_hostile_names_as_text(page, hostile):
    dialogs = _watch(page)
    for _ in range(2):
        page.goto(f"{page.base_url}/laureats/carte/")
        page.wait_for_selector("[data-chargee='1']")
        page.locator(".leaflet-marker-icon").first.click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert TERRITOIRE in popup.text_content()
        _nothing_ran(page, dialogs)


def test_workspace_map_shows_hostile_territory_and_site_names_as_text(page, hostile, password):
    factories.participant(hostile, Role.HABITANT, email="habitante@e2e.fr")
    dialogs = _watch(page)
    login(page, "habitante@e2e.fr", password)
    page.goto(f"{page.base_url}/espace/ateliers/{hostile.pk}/")
    _hover_everything(page)
    textes = _tooltip_texts(page)
    assert any(TERRITOIRE in t for t in textes) and any(SITE in t for t in textes)
    _nothing_ran(page, dialogs)
