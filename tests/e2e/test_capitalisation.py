"""National capitalisation in Chromium (issue 17): DGALN opens the dashboard — every chart
with its data table and its CSV and XLSX downloads —, compares a session's ateliers, asks
for the synthesis of that selection, which the worker renders; DGALN opens the PDF (text
extractable) and checks its hash on /verifier/.

With ``REDIS_URL`` the synthesis is rendered by a real Celery worker consuming from Redis
(CI); without it, by the same task run in-process after the commit (``make test``).
Screenshots in ``test-artifacts/capitalisation/``; axe-core on every page.
"""

import hashlib
import io
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from ateliers.models import Atelier
from feuilles_de_route.models import Synthese
from tests.capitalisation.test_comparaison import _session_de
from tests.e2e.conftest import Journey, login, new_page
from tests.factories import DgalnFactory
from tests.feuilles_de_route.test_worker_reel import worker  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)

TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@pytest.fixture
def rendu(request):
    """The real worker when there is a broker, else the eager in-process run."""
    if os.environ.get("REDIS_URL"):
        return request.getfixturevalue("worker")
    return None


def test_dashboard_comparison_and_synthesis_of_a_selection(browser, live_server, password, rendu):
    journey = Journey("capitalisation")
    session = _session_de(3)
    noms = sorted(Atelier.objects.filter(session=session).values_list("territoire__nom", flat=True))
    agent = DgalnFactory(email="capitalisation@dgaln.gouv.fr")
    page = new_page(browser, live_server, accept_downloads=True)
    login(page, agent.email, password)

    # --- The dashboard: each chart beside its data table, source and downloads -------------
    page.goto(f"{page.base_url}/gestion/tableau-national/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord national")
    journey.step(page, "tableau-national")
    sections = page.locator("section.capi-tableau")
    assert sections.count() >= 9
    for i in range(sections.count()):
        section = sections.nth(i)
        titre = section.locator("h2").inner_text()
        assert section.locator("table caption").inner_text().startswith(titre), titre
        assert section.locator("tbody tr").count() >= 1, titre
        expect(section.locator("p.fr-text--xs")).to_contain_text("Source :")
        for extension, mime in TYPES.items():
            lien = section.get_by_role("link", name=re.compile(rf"{extension.upper()}$"))
            reponse = page.request.get(page.base_url + lien.get_attribute("href"))
            assert reponse.status == 200, (titre, extension)
            assert reponse.headers["content-type"].startswith(mime), (titre, extension)
            assert len(reponse.body()) > 0
    # The charts themselves are drawn (DSFR Chart web components), hidden from screen readers
    # that read the table instead.
    assert page.locator("section.capi-tableau bar-chart, section.capi-tableau pie-chart").count()
    narrow = new_page(browser, live_server, viewport={"width": 375, "height": 812})
    narrow.context.add_cookies(page.context.cookies())
    narrow.goto(f"{narrow.base_url}/gestion/tableau-national/")
    journey.step(narrow, "tableau-national-375")

    # --- The session's ateliers side by side -------------------------------------------------
    page.goto(f"{page.base_url}/gestion/comparaison/?session={session.pk}")
    for nom in noms:
        expect(page.locator("main")).to_contain_text(nom)
    journey.step(page, "comparaison")
    narrow.goto(f"{narrow.base_url}/gestion/comparaison/?session={session.pk}")
    journey.step(narrow, "comparaison-375")
    narrow.context.close()

    # --- The synthesis of this selection, rendered by the worker -------------------------------
    formulaire = page.locator("#synthese-selection")
    formulaire.get_by_label("Enseignements transversaux").fill(
        "La co-construction élu–État tient quand le pilote est nommé tôt."
    )
    formulaire.get_by_role("button", name="Générer la synthèse de cette sélection").click()
    page.wait_for_url("**/gestion/syntheses/")
    expect(page.locator(".fr-alert--success")).to_contain_text("est en préparation")
    journey.step(page, "synthese-demandee")
    synthese = Synthese.objects.get()
    assert synthese.session is None and synthese.ateliers.count() == 3
    telecharger = page.get_by_role("link", name=re.compile("Télécharger la version 1"))
    deadline = time.monotonic() + 90
    while not telecharger.count() and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    synthese.refresh_from_db()
    assert synthese.statut == Synthese.Statut.PRET, synthese.erreur
    journey.step(page, "synthese-prete")
    with page.expect_download() as info:
        telecharger.click()
    pdf = Path(info.value.path()).read_bytes()
    texte = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sélection de 3 ateliers" in texte
    assert "La co-construction élu–État tient quand le pilote est nommé tôt." in texte
    assert all(nom in texte for nom in noms)
    empreinte = hashlib.sha256(pdf).hexdigest()
    assert empreinte == synthese.empreinte

    # --- Its hash on /verifier/: known while private, genuine once public -------------------
    page.locator(f"a[href$='/verifier/{empreinte}/']").click()
    expect(page.locator("main")).to_contain_text("Empreinte connue, contenu non public")
    journey.step(page, "verifier-non-publique")
    page.go_back()
    page.get_by_role("button", name=re.compile("Rendre publique")).click()
    expect(page.locator("main")).to_contain_text("Publiée (vérifiable sur /verifier/)")
    public = new_page(browser, live_server)
    public.goto(f"{public.base_url}/verifier/")
    public.get_by_label(re.compile("Empreinte")).fill(empreinte)
    public.get_by_role("button", name="Vérifier", exact=True).click()
    expect(public.locator("main")).to_contain_text("Synthèse nationale authentique")
    expect(public.locator("main")).to_contain_text("Sélection de 3 ateliers")
    journey.step(public, "verifier-authentique")
    public.context.close()
    page.context.close()

    assert not journey.problemes, "\n".join(journey.problemes)
