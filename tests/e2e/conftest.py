"""Playwright driving the system Chromium against Django's live server.

Playwright cannot download its own browser here; we point it at Debian's ``chromium``.
When the browser is missing, browser tests are skipped on a developer's machine but fail
in CI (``ATELIER_REQUIRE_BROWSER=1``), so that a skipped browser test cannot pass CI.
"""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE") or shutil.which("chromium") or ""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM or not os.path.exists(CHROMIUM):
        message = "Chromium introuvable : installez le paquet Debian « chromium »."
        if os.environ.get("ATELIER_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_page(browser, live_server, **context_options):
    """A page in a fresh French context (its own cookies), ``page.base_url`` set; close it
    with ``page.context.close()``."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", **context_options)
    context.set_default_timeout(15000)
    page = context.new_page()
    page.base_url = live_server.url
    return page


@pytest.fixture
def page(browser, live_server):
    page = new_page(browser, live_server)
    yield page
    page.context.close()


@pytest.fixture
def phone_page(browser, live_server):
    page = new_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    page.context.close()


def login(page, email: str, password: str) -> None:
    """Sign in through the real allauth login page, then the MFA step when it is asked.

    DGALN agents and pilotes made by the factories have a TOTP authenticator
    (``tests.factories.with_totp``); the code is computed from its test secret.
    """
    from tests.factories import totp_code

    page.goto(f"{page.base_url}/comptes/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_load_state("networkidle")
    if "/comptes/2fa/authenticate/" in page.url:
        page.fill("input[name=code]", totp_code())
        page.click("form[action$='/2fa/authenticate/'] button[type=submit]")
        page.wait_for_load_state("networkidle")


ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
GRAVES = {"serious", "critical"}


class Journey:
    """Screenshots (CI artefacts, under ``test-artifacts/<folder>/``) and axe-core scans of
    every page a journey shows; ``problemes`` lists the serious or critical violations."""

    def __init__(self, folder: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.folder = ARTEFACTS / folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.axe = Axe()
        self.n = 0
        self.problemes: list[str] = []

    def step(self, page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        self.n += 1
        page.screenshot(path=str(self.folder / f"{self.n:02d}-{name}.png"), full_page=True)
        for violation in self.axe.run(page).response["violations"]:
            if violation["impact"] in GRAVES:
                cibles = [n["target"] for n in violation["nodes"]][:3]
                self.problemes.append(
                    f"{name} ({page.url}): {violation['id']} ({violation['impact']}) {cibles}"
                )


def confirm(page, trigger) -> None:
    """Click an action's trigger (a selector or a locator), then confirm in its DSFR modal
    (``atelier.confirmation``): the modal says what will happen, its button does it."""
    trigger = page.locator(trigger).first if isinstance(trigger, str) else trigger
    trigger.click()
    modal = page.locator("dialog.fr-modal[open]")
    expect(modal).to_be_visible()
    modal.locator("button[form]").click()
    page.wait_for_load_state("networkidle")
