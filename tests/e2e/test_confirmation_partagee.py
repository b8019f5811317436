"""One confirmation modal serves every trigger of a page (issue 13): on the roadmap editor,
each « Supprimer » fills the page's one DSFR modal with its own object's text; confirming
deletes that object only; Escape and « Annuler » close it without acting, and the focus goes
back to the trigger that opened it."""

import pytest
from playwright.sync_api import expect

from acteurs.models import Role
from feuilles_de_route.models import Action
from tests import factories
from tests.e2e.conftest import login
from tests.factories import feuilles_de_route as ff

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = '<img src="x" onerror="window.pwned=1">'


@pytest.fixture
def editeur(live_server):
    atelier = factories.AtelierFactory(titre="Atelier du Trégor")
    factories.participant(atelier, Role.PILOTE, email="pilote@e2e.fr")
    feuille = ff.feuille_with_actions(atelier, axes=1, actions_per_axe=3)
    actions = list(Action.objects.filter(axe__feuille=feuille).order_by("ordre"))
    Action.objects.filter(pk=actions[1].pk).update(titre=f"Halle {HOSTILE}")
    return atelier, [a.pk for a in actions]


def _trigger(page, pk):
    return page.locator(f"#action-{pk} button[name=confirmation]")


def _focused_is(trigger) -> bool:
    return trigger.evaluate("element => document.activeElement === element")


def test_the_second_trigger_fills_the_shared_modal_and_acts_on_its_object(page, editeur, password):
    atelier, (premiere, deuxieme, troisieme) = editeur
    login(page, "pilote@e2e.fr", password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/feuille-de-route/")
    assert page.locator("dialog.fr-modal").count() == 1
    modal = page.locator("dialog.fr-modal")

    # The first trigger, then Annuler: its own title, nothing deleted, focus back on it.
    premier = _trigger(page, premiere)
    premier.click()
    expect(modal).to_be_visible()
    expect(modal.get_by_role("heading")).to_contain_text("Action 1.1 réhabiliter la halle")
    modal.get_by_role("button", name="Annuler").click()
    expect(modal).to_be_hidden()
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.closest('#action-' + id)",
        arg=premiere,
    )
    assert _focused_is(premier)

    # The second trigger, then Escape: the second object's title, as text.
    second = _trigger(page, deuxieme)
    second.click()
    expect(modal).to_be_visible()
    heading = modal.get_by_role("heading")
    expect(heading).to_have_text(f"Supprimer l'action « Halle {HOSTILE} » ?")
    assert "Action 1.1" not in heading.text_content()
    expect(modal).to_contain_text("avec sa description, son porteur")
    expect(modal.get_by_role("button", name="Supprimer l'action")).to_be_visible()
    assert page.locator("dialog img[src='x']").count() == 0
    assert page.evaluate("window.pwned") is None
    page.keyboard.press("Escape")
    expect(modal).to_be_hidden()
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.closest('#action-' + id)",
        arg=deuxieme,
    )
    assert _focused_is(second)
    assert Action.objects.filter(pk__in=[premiere, deuxieme, troisieme]).count() == 3

    # The second trigger again, confirmed: the second action only is deleted.
    second.click()
    expect(modal.get_by_role("heading")).to_contain_text("Halle")
    modal.get_by_role("button", name="Supprimer l'action").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".fr-alert--success").first).to_be_visible()
    restantes = set(
        Action.objects.filter(axe__feuille__atelier=atelier).values_list("pk", flat=True)
    )
    assert restantes == {premiere, troisieme}
    expect(page.locator(f"#action-{deuxieme}")).to_have_count(0)
