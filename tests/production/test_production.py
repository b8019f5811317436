"""Atelier as it runs in production: gunicorn with DEBUG off, a Celery worker and beat,
PostgreSQL, Redis, media on S3, static files from CompressedManifestStaticFilesStorage.

Every page opened here must load each stylesheet and script (no SRI or CSP refusal, no
console error). Started by ``.ci/production``; see conftest.py.
"""

import base64
import email
import email.policy
import hashlib
import re
import time
from pathlib import Path

import pytest

from .conftest import DEMO_PASSWORD, DEMO_TOTP_SECRET, totp_now

pytestmark = pytest.mark.e2e


class Watched:
    """A browser page that records every console error, page error and failed asset."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"erreur JS : {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console : {message.text}")

    def _failed(self, request) -> None:
        self.problems.append(f"requête échouée : {request.url} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status} : {response.url}")

    def open(self, path: str) -> None:
        response = self.page.goto(f"{self.base_url}{path}")
        assert response is not None and response.status == 200, (path, response and response.status)
        self.page.wait_for_load_state("networkidle")

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)

    def assert_styled(self) -> None:
        """The DSFR stylesheet applied (Marianne font) and its script ran."""
        font = self.page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "Marianne" in font, font
        assert self.page.evaluate("typeof window.dsfr") in ("function", "object")
        self.assert_clean()


@pytest.fixture(scope="module")
def anonymous(browser, production_url):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20000)
    yield Watched(context, production_url)
    context.close()


@pytest.fixture(scope="module")
def pilote(browser, production_url):
    """The demo pilote, signed in through the real login page and its TOTP step."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20000)
    watched = Watched(context, production_url)
    page = watched.page
    watched.open("/comptes/login/")
    page.fill("input[name=login]", "pilote@demo.atelier.gouv.fr")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('Se connecter')")
    page.wait_for_url("**/comptes/2fa/authenticate/**")
    page.fill("input[name=code]", totp_now(DEMO_TOTP_SECRET))
    page.click("form[action$='/2fa/authenticate/'] button[type=submit]")
    page.wait_for_url("**/espace/**")
    watched.assert_clean()
    yield watched
    context.close()


def saint_brieuc(pilote: Watched) -> str:
    """The id of the demo pilote's atelier with an adopted roadmap, from their workspace."""
    pilote.open("/espace/")
    link = pilote.page.locator("a[href^='/espace/ateliers/']", has_text="Saint-Brieuc").first
    return re.search(r"/espace/ateliers/(\d+)/", link.get_attribute("href")).group(1)


def test_home_page_loads_every_stylesheet_and_script(anonymous):
    anonymous.open("/")
    anonymous.assert_styled()
    page = anonymous.page
    # The DSFR bundle keeps an integrity check, and it is the hash of what is served.
    for link in page.locator("link[rel=stylesheet][integrity]").all():
        href, integrity = link.get_attribute("href"), link.get_attribute("integrity")
        body = page.request.get(f"{anonymous.base_url}{href}").body()
        expected = "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()
        assert integrity == expected, href
    assert page.locator("link[rel=stylesheet][integrity]").count() == 2
    assert page.locator("script[type=module][integrity]").count() == 1
    # Hashed names: the manifest storage served them, not the development finders.
    assert re.search(r"/static/dsfr/dist/dsfr/dsfr\.min\.[0-9a-f]{12}\.css", page.content())


def test_laureat_page(anonymous):
    anonymous.open("/laureats/")
    anonymous.assert_styled()
    first = anonymous.page.locator("a[href^='/territoires/']").first
    href = first.get_attribute("href")
    anonymous.open(href)
    assert anonymous.page.locator("h1").count() == 1
    anonymous.assert_styled()


def test_workspace_after_totp_sign_in(pilote):
    pilote.open("/espace/")
    pilote.assert_styled()
    link = pilote.page.locator("a[href^='/espace/ateliers/']", has_text="Saint-Brieuc").first
    pilote.open(link.get_attribute("href"))
    assert "Saint-Brieuc" in pilote.page.locator("h1").inner_text()
    pilote.assert_styled()


def test_report_generated_by_the_worker(pilote):
    page = pilote.page
    atelier = saint_brieuc(pilote)
    pilote.open(f"/espace/ateliers/{atelier}/feuille-de-route/")
    page.click("button:has-text('Générer le rapport de restitution')")
    page.wait_for_load_state("networkidle")
    download = page.locator("a:has-text('Télécharger le rapport')")
    for _ in range(90):  # the worker renders it; the page is reloaded until it is ready
        if download.count():
            break
        page.wait_for_timeout(2000)
        pilote.open(f"/espace/ateliers/{atelier}/feuille-de-route/")
    assert download.count() == 1, page.locator("#rapport").inner_text()
    response = page.request.get(f"{pilote.base_url}{download.get_attribute('href')}")
    assert response.status == 200
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    digest = hashlib.sha256(pdf).hexdigest()
    assert digest in page.locator("#rapport").inner_text()
    pilote.open(f"/verifier/{digest}/")
    # Not published yet: the public check says the hash is known, and shows nothing else.
    texte = page.locator("main").inner_text()
    assert "Empreinte connue" in texte or "Rapport de restitution authentique" in texte
    pilote.assert_styled()


def test_invitation_e_mail_leaves_through_the_worker_and_smtp(pilote, production_env):
    """The invitation is queued after commit, sent by the worker over SMTP (console e-mail is
    refused with DEBUG off); the CI's SMTP server writes what it receives to a folder."""
    outbox = Path(production_env["ATELIER_COURRIELS_CI"])
    before = set(outbox.glob("*.eml"))
    page = pilote.page
    atelier = saint_brieuc(pilote)
    pilote.open(f"/espace/ateliers/{atelier}/participants/")
    address = f"invitee-{time.time_ns()}@exemple.fr"
    page.fill("input[name=email]", address)
    page.click('button:has-text("Envoyer l\'invitation")')
    page.wait_for_load_state("networkidle")
    pilote.assert_styled()
    for _ in range(60):
        received = [p.read_bytes() for p in set(outbox.glob("*.eml")) - before]
        if any(address.encode() in message for message in received):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"aucun courriel pour {address} reçu par le serveur SMTP de la CI")
    (raw,) = [m for m in received if address.encode() in m]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["To"] == address
    assert "Invitation à l'atelier" in message["Subject"]
    assert "/invitations/" in message.get_body(preferencelist=("plain",)).get_content()
