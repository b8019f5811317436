"""The roadmap editor's rows (built in Python, ``fdr_editeur``) keep what
``static/js/feuille_ordre.js`` relies on: « Descendre » moves the action's row below the next
one without reloading the page, saves the new order and says so in the live region."""

import pytest
from playwright.sync_api import expect

from acteurs.models import Role
from feuilles_de_route.models import Action
from tests import factories
from tests.e2e.conftest import login
from tests.factories import feuilles_de_route as ff

pytestmark = pytest.mark.django_db(transaction=True)


def test_moving_an_action_down_reorders_the_rows_in_place(page, live_server, password):
    atelier = factories.AtelierFactory(titre="Atelier du Trégor")
    factories.participant(atelier, Role.PILOTE, email="pilote@e2e.fr")
    feuille = ff.feuille_with_actions(atelier, axes=1, actions_per_axe=3)
    premiere, seconde, troisieme = Action.objects.filter(axe__feuille=feuille).order_by("ordre")
    login(page, "pilote@e2e.fr", password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/feuille-de-route/")
    page.evaluate("window.pasRecharge = true")
    ligne = page.locator(f"#action-{premiere.pk}")
    ligne.get_by_role("button", name="Descendre").click()
    expect(page.locator("#fdr-annonce")).to_contain_text("déplacé")
    ordre = page.locator("ol.fdr-actions > li[data-element=action]").evaluate_all(
        "items => items.map(item => item.id)"
    )
    assert ordre == [f"action-{seconde.pk}", f"action-{premiere.pk}", f"action-{troisieme.pk}"]
    assert page.evaluate("window.pasRecharge") is True  # moved in place, no reload
    enregistre = list(
        Action.objects.filter(axe__feuille=feuille).order_by("ordre").values_list("pk", flat=True)
    )
    assert enregistre == [seconde.pk, premiere.pk, troisieme.pk]
