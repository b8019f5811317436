"""Browser journeys: the pilote has the carnet de suivi rendered by a real worker and opens
it; « Ce qui m'attend » lists a due deliverable for the team, on a phone."""

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from ateliers.formats import NatureLivrable
from ateliers.models import EntreeJournal, Livrable
from tests import factories
from tests.e2e.conftest import login, new_page
from tests.factories import feuilles_de_route as f
from tests.feuilles_de_route.test_worker_reel import worker  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL absent : pas de worker")
def test_carnet_generated_by_the_worker_and_opened(browser, live_server, password, worker):  # noqa: F811
    f.ensure_reference_data()
    atelier = factories.AtelierFactory(titre="Atelier de Quintin")
    pilote = factories.participant(atelier, "pilote", email="pilote@developpement-durable.gouv.fr")
    f.feuille_with_actions(atelier)
    factories.EtapeFactory(
        atelier=atelier,
        debut=timezone.now() - dt.timedelta(days=5),
        lieu="Halle de Quintin",
        resume="Diagnostic en marchant",
    )
    EntreeJournal.objects.create(
        atelier=atelier, auteur=pilote, date=timezone.localdate(), texte="Rencontre des commerçants"
    )
    page = new_page(browser, live_server, accept_downloads=True)
    login(page, pilote.email, password)
    page.goto(f"{live_server.url}/espace/ateliers/{atelier.pk}/feuille-de-route/")
    page.get_by_role("button", name="Générer le carnet de suivi").click()
    page.get_by_text("du carnet de suivi est demandée").wait_for()
    lien = page.get_by_role("link", name="Télécharger le carnet de suivi, édition 1")
    deadline = time.monotonic() + 90
    while not lien.count() and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    with page.expect_download() as info:
        lien.click()
    pdf = Path(info.value.path()).read_bytes()
    page.context.close()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Carnet de suivi" in text or "carnet de suivi" in text
    assert "Halle de Quintin" in text and "Diagnostic en marchant" in text
    assert "Rencontre des commerçants" in text and "Action 1.1" in text


def test_what_awaits_the_team_lists_a_due_deliverable(browser, live_server, password):
    f.ensure_reference_data()
    atelier = factories.AtelierFactory(titre="Atelier de Quintin")
    equipe = factories.participant(atelier, "equipe", email="urbaniste@agence.fr")
    etape = factories.EtapeFactory(
        atelier=atelier, nature="atelier_1", debut=timezone.now() - dt.timedelta(days=3)
    )
    Livrable.objects.create(etape=etape, nature=NatureLivrable.RAPPORT_ETONNEMENT)
    page = new_page(browser, live_server, viewport={"width": 375, "height": 812}, is_mobile=True)
    login(page, equipe.email, password)
    page.goto(f"{live_server.url}/espace/")
    section = page.locator("section[aria-labelledby=titre-a-faire]")
    assert "Rien ne vous attend" not in section.inner_text()
    assert "Rapport d'étonnement" in section.inner_text()
    section.get_by_role("link", name="Déposer le livrable").click()
    assert f"/espace/ateliers/{atelier.pk}/etapes/{etape.pk}/" in page.url
    page.context.close()
