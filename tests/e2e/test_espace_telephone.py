"""On a phone (390 px), every page of an atelier's workspace keeps to the screen width: the
sections' side menu is folded, the tables scroll inside their own box, the page itself never
scrolls sideways."""

import pytest

from acteurs.models import Role
from ateliers import services as s
from tests import factories
from tests.e2e.conftest import login
from tests.factories.public import feuille_publiee

pytestmark = pytest.mark.django_db(transaction=True)


def test_workspace_pages_fit_a_phone(phone_page, live_server, password):
    atelier = factories.AtelierFactory(titre="Atelier du Trégor")
    pilote = factories.participant(atelier, Role.PILOTE, email="pilote@e2e.fr")
    s.atelier_demarrer(atelier=atelier, by=pilote)
    feuille_publiee(atelier, axes=2, actions=3)
    login(phone_page, "pilote@e2e.fr", password)
    base = f"{phone_page.base_url}/espace/ateliers/{atelier.pk}"
    for chemin in [
        "/", "etapes/", "participants/", "documents/", "journal/", "sites/",
        "feuille-de-route/", "feuille-de-route/suivi/",
    ]:  # fmt: skip
        phone_page.goto(base + ("" if chemin == "/" else "/") + chemin.lstrip("/"))
        menu = phone_page.locator(".atelier-onglets")
        assert menu.locator(".fr-sidemenu__link[aria-current='page']").count() == 1, chemin
        assert not menu.locator(".fr-sidemenu__link").first.is_visible(), chemin  # folded
        assert menu.get_by_role("button", name="Sections de l'atelier").is_visible(), chemin
        largeur = phone_page.evaluate("document.documentElement.scrollWidth")
        assert largeur <= 390, f"{chemin}: {largeur} px"
