"""The CSP has no 'unsafe-inline' for styles: the pages with maps, the drawing tool and the
roadmap editor work without a single refused style (or script)."""

import pytest

from acteurs.models import Role
from ateliers.models import SiteDemonstrateur
from tests import factories
from tests.e2e.conftest import login
from tests.factories.feuilles_de_route import feuille_with_actions
from tests.factories.public import laureat

pytestmark = pytest.mark.django_db(transaction=True)

VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_no_csp_violation_on_map_and_editor_pages(page, live_server, password):
    atelier = laureat(nom="Pays de Quintin")
    SiteDemonstrateur.objects.create(
        atelier=atelier, nom="Bourg", geometrie={"type": "Point", "coordinates": [-2.9, 48.4]}
    )
    feuille_with_actions(atelier)
    factories.participant(atelier, Role.PILOTE, email="pilote@e2e.fr")
    page.context.add_init_script(VIOLATIONS)
    base = page.base_url
    publiques = ["/", "/laureats/carte/", atelier.territoire.get_absolute_url()]
    for path in publiques:
        page.goto(base + path)
        page.wait_for_selector(".leaflet-container")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__csp") == [], path
        # The height comes from a class now: the map must still be drawn full size.
        assert page.locator(".leaflet-container").first.bounding_box()["height"] > 300, path
    login(page, "pilote@e2e.fr", password)
    espace = f"/espace/ateliers/{atelier.pk}"
    for path in (f"{espace}/", f"{espace}/sites/", f"{espace}/feuille-de-route/"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], path
    page.goto(base + f"{espace}/sites/")
    page.locator(".leaflet-draw-draw-polygon").first.click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__csp") == []
