"""Legal pages, the contact form and the ministry named from one setting."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def test_accessibility_statement_as_rgaa_requires(client):
    page = client.get("/accessibilite/").content.decode()
    assert "non conforme" in page  # no audit yet
    for attendu in (
        "RGAA",
        "4.1.2",
        "Défenseur des droits",
        "Schéma pluriannuel",
        "Pages contrôlées",
        "Dérogations",
        "mailto:",
    ):
        assert attendu in page, attendu
    assert "partiellement conforme" not in page


def test_the_ministry_is_named_from_one_setting_everywhere(client, settings):
    settings.ATELIER_MINISTERE = "Ministère de la Cohésion imaginaire des territoires"
    settings.ATELIER_HEBERGEUR = "Hébergeur d'essai, 1 rue de l'Essai, 75000 Paris"
    settings.ATELIER_DPO_EMAIL = "dpo@essai.gouv.fr"
    accueil = client.get("/").content.decode()
    assert "Ministère<br>de la Cohésion" in accueil.replace("\n", "")
    mentions = client.get("/mentions-legales/").content.decode()
    assert "Ministère de la Cohésion imaginaire des territoires" in mentions
    assert "1 rue de l&#x27;Essai" in mentions or "1 rue de l'Essai" in mentions
    donnees = client.get("/donnees-personnelles/").content.decode()
    assert "dpo@essai.gouv.fr" in donnees
    for attendu in ("Finalités", "bases légales", "Destinataires", "Durées de conservation", "CNIL"):
        assert attendu in donnees


def test_contact_form_reaches_dgaln_with_reply_to_the_sender(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ATELIER_CONTACT_EMAIL = "bureau@essai.gouv.fr"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/contact/",
            {
                "nom": "Marie Durand",
                "email": "marie@commune.fr",
                "objet": "candidature",
                "message": "Bonjour, l'appel d'Armor est-il ouvert ?",
            },
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["bureau@essai.gouv.fr"]
    assert message.reply_to == ["marie@commune.fr"]
    assert "l'appel d'Armor" in message.body  # text body: no HTML escaping


def test_contact_form_errors_are_french_and_keep_what_was_typed(client):
    response = client.post(
        "/contact/", {"nom": "", "email": "pas-une-adresse", "objet": "x", "message": "Texte"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Texte" in page
    assert "Saisissez une adresse" in page or "adresse électronique valide" in page


def test_contact_form_is_rate_limited_per_address(client, django_capture_on_commit_callbacks):
    donnees = {"nom": "A", "email": "a@b.fr", "objet": "autre", "message": "m"}
    with django_capture_on_commit_callbacks(execute=True):
        statuts = [client.post("/contact/", donnees).status_code for _ in range(7)]
    assert statuts[:5] == [302] * 5
    assert statuts[5:] == [400, 400]
    assert len(mail.outbox) == 5


def test_site_map_lists_the_main_pages(client):
    page = client.get("/plan-du-site/").content.decode()
    for adresse in (
        "/laureats/",
        "/sessions/",
        "/appels/",
        "/donnees/",
        "/accessibilite/",
        "/contact/",
    ):
        assert f'href="{adresse}"' in page
