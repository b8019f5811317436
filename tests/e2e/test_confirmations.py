"""Nothing irreversible in one click, in Chromium (issue 18): removing a participant opens a
DSFR modal that says what will happen; « Annuler » changes nothing, the modal's button
removes; the last pilote's button is disabled with its reason. Without JavaScript the same
button leads to the confirmation page."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from acteurs.models import Participation, Role
from tests import factories
from tests.e2e.conftest import confirm, login, new_page

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/e2e-confirmations"))


@pytest.fixture
def scene(live_server):
    atelier = factories.AtelierFactory(titre="Atelier du Trégor")
    factories.participant(
        atelier, Role.PILOTE, email="pilote@e2e.fr", first_name="Claire", last_name="Martin"
    )
    factories.participant(
        atelier, Role.HABITANT, email="habitant@e2e.fr", first_name="Yann", last_name="Le Goff"
    )
    return atelier


def test_removing_a_participant_goes_through_the_modal(page, scene, password):
    SHOTS.mkdir(parents=True, exist_ok=True)
    atelier = scene
    login(page, "pilote@e2e.fr", password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/participants/")
    # The last pilote cannot be removed: the button says why, and does nothing.
    seule = page.get_by_role("button", name="Retirer Claire Martin")
    expect(seule).to_be_disabled()
    raison = page.locator(f"#{seule.get_attribute('aria-describedby')}")
    expect(raison).to_contain_text("Le dernier pilote de l'atelier ne peut pas être retiré")

    retirer = page.get_by_role("button", name="Retirer Yann Le Goff")
    retirer.click()
    modal = page.locator("dialog.fr-modal[open]")
    expect(modal).to_be_visible()
    expect(modal.get_by_role("heading")).to_contain_text("Retirer Yann Le Goff de l'atelier ?")
    expect(modal).to_contain_text("n'aura plus accès à l'espace de l'atelier")
    page.wait_for_timeout(500)  # the modal fades in
    page.screenshot(path=str(SHOTS / "modale-retrait-1280.png"))
    modal.get_by_role("button", name="Annuler").click()
    expect(modal).to_be_hidden()
    assert Participation.objects.filter(atelier=atelier, role=Role.HABITANT).exists()

    confirm(page, retirer)
    expect(page.locator(".fr-alert--success").first).to_contain_text("retiré·e de l'atelier")
    assert not Participation.objects.filter(atelier=atelier, role=Role.HABITANT).exists()


def test_without_javascript_the_same_button_leads_to_the_confirmation_page(
    browser, live_server, scene, password
):
    atelier = scene
    # Signed in with JavaScript (the second-factor page), then browsing without it.
    page = new_page(browser, live_server)
    login(page, "pilote@e2e.fr", password)
    cookies = page.context.cookies()
    sans_js = new_page(browser, live_server, java_script_enabled=False)
    sans_js.context.add_cookies(cookies)
    sans_js.goto(f"{sans_js.base_url}/espace/ateliers/{atelier.pk}/participants/")
    sans_js.get_by_role("button", name="Retirer Yann Le Goff").click()
    expect(sans_js.get_by_role("heading", level=1)).to_have_text(
        "Retirer Yann Le Goff de l'atelier ?"
    )
    expect(sans_js.locator("#confirmation-consequences")).to_contain_text("n'aura plus accès")
    sans_js.screenshot(path=str(SHOTS / "page-confirmation-sans-js.png"), full_page=True)
    assert Participation.objects.filter(atelier=atelier, role=Role.HABITANT).exists()
    sans_js.get_by_role("button", name="Retirer de l'atelier").click()
    expect(sans_js.locator(".fr-alert--success").first).to_contain_text("retiré·e")
    assert not Participation.objects.filter(atelier=atelier, role=Role.HABITANT).exists()


def test_the_modal_fits_a_phone(browser, live_server, scene, password):
    """At 375 px the modal and its two buttons stay inside the screen."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    atelier = scene
    page = new_page(browser, live_server, viewport={"width": 375, "height": 740})
    login(page, "pilote@e2e.fr", password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/participants/")
    page.get_by_role("button", name="Retirer Yann Le Goff").click()
    modal = page.locator("dialog.fr-modal[open]")
    expect(modal).to_be_visible()
    page.wait_for_timeout(500)  # the modal fades in
    page.screenshot(path=str(SHOTS / "modale-retrait-375.png"))
    for name in ("Retirer de l'atelier", "Annuler"):
        box = modal.get_by_role("button", name=name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, (name, box)
    page.context.close()
