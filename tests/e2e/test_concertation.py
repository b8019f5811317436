"""Browser journey: the pilote opens a concertation on a frozen version; an habitant and an
élu comment on a phone; the pilote answers, closes it, and everyone reads the summary."""

import datetime as dt

import pytest
from django.utils import timezone

from feuilles_de_route import services
from feuilles_de_route.models import Consultation
from tests import factories
from tests.e2e.conftest import login, new_page
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_concertation_opened_commented_answered_closed(browser, live_server, password):
    f.ensure_reference_data()
    atelier = factories.AtelierFactory(titre="Atelier de Quintin")
    pilote = factories.participant(atelier, "pilote", email="pilote@developpement-durable.gouv.fr")
    elu = factories.participant(atelier, "elu", email="maire@quintin.fr")
    habitant = factories.participant(
        atelier, "habitant", email="habitante@example.org", first_name="Nolwenn"
    )
    feuille = f.feuille_with_actions(atelier)
    version = services.version_create(feuille=feuille, by=pilote)
    base = f"/espace/ateliers/{atelier.pk}/feuille-de-route/versions/{version.numero}/"

    desktop = new_page(browser, live_server)
    login(desktop, pilote.email, password)
    desktop.goto(f"{live_server.url}{base}")
    desktop.get_by_role("link", name="Ouvrir une concertation sur cette version").click()
    cloture = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    desktop.fill("input[name=cloture]", cloture)
    desktop.get_by_role("button", name="Ouvrir la concertation").click()
    desktop.get_by_text("La concertation est ouverte").wait_for()

    for user, texte in ((habitant, "Une piste cyclable vers la gare"), (elu, "À phaser")):
        phone = new_page(
            browser,
            live_server,
            viewport={"width": 375, "height": 812},
            is_mobile=True,
            has_touch=True,
        )
        login(phone, user.email, password)
        phone.goto(f"{live_server.url}/espace/ateliers/{atelier.pk}/feuille-de-route/")
        phone.get_by_role("link", name="Lire la version 1, la commenter et la soutenir").click()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375
        champ = phone.locator("textarea[name=texte]").first
        champ.fill(texte)
        phone.get_by_role("button", name="Publier mon commentaire").first.click()
        phone.get_by_text("Votre commentaire est publié").wait_for()
        phone.get_by_role("button", name="Je soutiens").first.click()
        phone.get_by_text("Votre soutien est enregistré").wait_for()
        assert phone.get_by_text("Vous soutenez").first.is_visible()
        phone.context.close()

    desktop.goto(f"{live_server.url}{base}concertation/")
    desktop.locator("summary", has_text="Répondre").first.click()
    desktop.locator("label", has_text="Partiellement retenu").first.click()
    desktop.locator("textarea[name=reponse]").first.fill("Repris dans l'action 1.2")
    desktop.get_by_role("button", name="Enregistrer la réponse").first.click()
    desktop.get_by_text("Votre réponse est enregistrée").wait_for()
    desktop.get_by_role("button", name="Clore la concertation et en faire la synthèse").click()
    desktop.get_by_text("sa synthèse est jointe à la version").wait_for()
    desktop.screenshot(path="/tmp/vie_concertation_pilote.png", full_page=True)
    desktop.context.close()

    consultation = Consultation.objects.get(version=version)
    assert consultation.statut == "close"
    assert consultation.synthese["commentaires"] == 2 and consultation.synthese["soutiens"] == 2

    phone = new_page(browser, live_server, viewport={"width": 375, "height": 812})
    login(phone, habitant.email, password)
    phone.goto(f"{live_server.url}{base}concertation/")
    synthese = phone.locator("section[aria-labelledby=synthese-titre]")
    assert "2 commentaires, 2 soutiens" in synthese.inner_text()
    assert "Partiellement retenu : Repris dans l'action 1.2" in synthese.inner_text()
    assert phone.get_by_role("button", name="Publier mon commentaire").count() == 0
    phone.screenshot(path="/tmp/vie_concertation_habitant.png", full_page=True)
    phone.context.close()
