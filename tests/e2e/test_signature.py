"""Browser journey: an élu signs the roadmap on a phone from the e-mail link; then the
pilote generates and downloads the restitution PDF, whose text we check."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from feuilles_de_route import services
from feuilles_de_route.models import Signature, Version
from tests import factories
from tests.e2e.conftest import login, new_page
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db(transaction=True)


def _pdf_text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(path).read_bytes())).pages)


def test_elu_signs_on_phone_then_pilote_downloads_report(browser, live_server, password):
    f.ensure_reference_data()
    atelier = factories.AtelierFactory(titre="Atelier de Quintin")
    pilote = factories.participant(atelier, "pilote", email="pilote@developpement-durable.gouv.fr")
    elu = factories.participant(
        atelier, "elu", email="maire@quintin.fr", first_name="Anne", last_name="Le Goff"
    )
    etat = f.etat_signataire(atelier)
    feuille = f.feuille_with_actions(atelier)
    version = f.send(feuille, pilote, elu, etat)
    services.version_sign(version=version, by=etat, password=password)

    (message,) = [m for m in mail.outbox if elu.email in m.to]
    path = re.search(r"https?://[^/\s]+(/espace/\S+/signer/)", message.body).group(1)

    page = new_page(
        browser,
        live_server,
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    login(page, elu.email, password)
    page.goto(f"{page.base_url}{path}")
    assert (
        page.get_by_role("heading", level=1).inner_text().startswith("Feuille de route, version 1")
    )
    # What to sign is on the first screen, the axes are folded and open on demand.
    assert page.get_by_role("link", name="Aller à la signature").is_visible()
    assert page.get_by_role("link", name="Aller à la signature").bounding_box()["y"] < 667
    action = page.get_by_text("Action 2.2 réhabiliter la halle")
    assert not action.is_visible()
    page.get_by_role("button", name=re.compile("^Axe 2")).click()
    action.wait_for()
    with page.expect_download() as lecture:
        page.get_by_role("link", name="Lire hors ligne (PDF)").click()
    assert version.empreinte in "".join(_pdf_text(lecture.value.path()).split())
    # Readable on a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("link", name="Aller à la signature").click()
    # The capacity is not typed: it is the mandate the pilote vouched for, read-only.
    capacite = page.locator("input#capacite")
    assert capacite.input_value() == "Maire, Commune de Quintin"
    assert capacite.get_attribute("readonly") is not None
    page.fill("input[name=password]", "mauvais-mot-de-passe")
    page.locator("label[for=id_confirmation]").click()
    page.get_by_role("button", name="Je signe").click()
    assert page.get_by_text("Mot de passe incorrect").is_visible()
    page.fill("input[name=password]", password)
    if not page.locator("input[name=confirmation]").is_checked():
        page.locator("label[for=id_confirmation]").click()
    page.get_by_role("button", name="Je signe").click()
    page.get_by_text("Votre signature est enregistrée").wait_for()
    assert page.get_by_text("Vous avez signé cette version").is_visible()
    page.screenshot(path="/tmp/vie_signe_375.png", full_page=False)
    with page.expect_download() as signee:
        page.get_by_role("link", name="Télécharger la version signée (PDF)").click()
    seal = Signature.objects.get(version=version, signataire=elu).sceau
    assert seal in "".join(_pdf_text(signee.value.path()).split())
    page.context.close()
    version.refresh_from_db()
    assert version.statut == Version.Statut.ADOPTEE

    context = browser.new_context(locale="fr-FR", accept_downloads=True)
    desktop = context.new_page()
    desktop.base_url = live_server.url
    login(desktop, pilote.email, password)
    desktop.goto(f"{live_server.url}/espace/ateliers/{atelier.pk}/feuille-de-route/")
    desktop.get_by_role("button", name="Générer le rapport de restitution").click()
    link = desktop.get_by_role("link", name=re.compile("Télécharger le rapport"))
    link.wait_for(timeout=60000)
    with desktop.expect_download() as info:
        link.click()
    pdf = Path(info.value.path()).read_bytes()
    context.close()

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = "".join(text.split())
    assert atelier.territoire.nom in text
    assert "Action 1.1 réhabiliter la halle" in text and "Action 2.2 réhabiliter la halle" in text
    assert version.empreinte in flat
    for signature in Signature.objects.filter(version=version):
        assert signature.sceau in flat
    assert "Maire, Commune de Quintin" in text and "Mandat attesté par" in text


def test_editor_reorders_without_reload(page, password):
    f.ensure_reference_data()
    atelier = factories.AtelierFactory()
    pilote = factories.participant(
        atelier, "pilote", email="pilote-ordre@developpement-durable.gouv.fr"
    )
    f.feuille_with_actions(atelier, axes=1, actions_per_axe=3)
    login(page, pilote.email, password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/feuille-de-route/")
    page.evaluate("window.__pas_recharge = true")
    titles = page.locator("[data-element=action] h4")
    assert titles.first.inner_text().startswith("Action 1.1")
    page.locator("[data-element=action]").first.get_by_role("button", name="Descendre").click()
    expect(titles.first).to_contain_text("Action 1.2")
    assert page.evaluate("window.__pas_recharge") is True  # same document: no reload
    page.reload()
    assert titles.first.inner_text().startswith("Action 1.2")
