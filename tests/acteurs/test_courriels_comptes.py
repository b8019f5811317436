"""allauth's e-mails: French, a text body and an HTML alternative in the project's layout."""

import html as html_lib
import re
from pathlib import Path

import allauth
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

# The top line of templates/emails/base.html, the layout of every HTML e-mail.
MARQUEUR_GABARIT = "République française — Atelier des territoires"
LIEN = re.compile(r"https?://[^\s<>\"]+")


def _html(message) -> str:
    alternatives = [
        content for content, mimetype in message.alternatives if mimetype == "text/html"
    ]
    assert len(alternatives) == 1, "no HTML alternative"
    return alternatives[0]


def _verifier_courriel(message, chemin_du_lien: str) -> str:
    """Checks both bodies and returns the link found in the text body."""
    assert message.subject.startswith("[Atelier des territoires] ")
    texte = message.body
    assert texte.startswith("Bonjour,") and "<" not in texte and "&amp;" not in texte
    lien = next(u for u in LIEN.findall(texte) if chemin_du_lien in u)
    html = _html(message)
    assert MARQUEUR_GABARIT in html and '<html lang="fr">' in html
    assert f'href="{html_lib.escape(lien)}"' in html
    return lien


def test_signup_verification_email_has_html_and_text(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "nouvelle@commune.fr",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "first_name": "Marie",
            "last_name": "Durand",
            "organisation": "Commune de Plouër",
        },
    )
    [message] = mail.outbox
    assert message.subject == "[Atelier des territoires] Confirmez votre adresse électronique"
    lien = _verifier_courriel(message, "/comptes/confirm-email/")
    assert "Un compte Atelier des territoires vient d'être créé" in message.body
    assert "Confirmer mon adresse" in _html(message)
    client.post(lien.split("testserver", 1)[1])
    assert EmailAddress.objects.get(email="nouvelle@commune.fr").verified


def test_password_reset_email_has_html_and_text(client, applicant):
    client.post(reverse("account_reset_password"), {"email": applicant.email})
    [message] = mail.outbox
    assert message.to == [applicant.email]
    lien = _verifier_courriel(message, "/comptes/password/reset/key/")
    assert "Choisir un nouveau mot de passe" in _html(message)
    response = client.get(lien.split("testserver", 1)[1], follow=True)
    assert response.status_code == 200


def test_signup_with_a_taken_address_sends_an_html_notice(client, applicant):
    client.post(
        reverse("account_signup"),
        {
            "email": applicant.email,
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "first_name": "Marie",
            "last_name": "Durand",
            "organisation": "Commune de Plouër",
        },
    )
    [message] = mail.outbox
    assert "Un compte existe déjà" in message.subject
    _verifier_courriel(message, "/comptes/password/reset/")


def test_password_change_notification_has_html_and_text(client, applicant, password):
    client.force_login(applicant)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": password,
            "password1": "Nouveau-mot-de-passe-77",
            "password2": "Nouveau-mot-de-passe-77",
        },
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "[Atelier des territoires] Mot de passe modifié"
    assert "Votre mot de passe a été modifié." in message.body
    assert "Votre mot de passe a été modifié." in _html(message)
    _verifier_courriel(message, "/comptes/password/reset/")


def test_totp_activation_notification_has_html_and_text(
    client, applicant, password, django_capture_on_commit_callbacks
):
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    client.force_login(applicant)
    client.post(reverse("account_reauthenticate"), {"password": password})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    # allauth sends this one on commit: here after the request, so the adapter (not the
    # request's context processor) must supply the layout's SERVICE_NAME and SITE_URL.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    [message] = [m for m in mail.outbox if "authentification" in m.subject]
    assert message.subject == "[Atelier des territoires] Application d'authentification activée"
    assert "Une application d'authentification a été activée" in message.body
    assert "Une application d'authentification a été activée" in _html(message)
    _verifier_courriel(message, "/comptes/password/reset/")


ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
PROJET_TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Shipped by allauth 65 but sent by none of its code paths.
JAMAIS_ENVOYES = {"account/email/email_confirm"}


def _prefixes_allauth() -> list[str]:
    return sorted(
        str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_message.txt")
        for path in ALLAUTH_TEMPLATES.glob("*/email/*_message.txt")
        if not path.name.startswith("base_")
    )


@pytest.mark.parametrize("prefix", sorted(set(_prefixes_allauth()) - JAMAIS_ENVOYES))
def test_every_allauth_email_has_a_french_text_and_html_version(rf, prefix):
    """Catches an e-mail added by an allauth upgrade that would go out text-only, in English."""
    for suffix in ("_subject.txt", "_message.txt", "_message.html"):
        assert (PROJET_TEMPLATES / f"{prefix}{suffix}").exists(), f"{prefix}{suffix} missing"
    context = {
        "request": rf.get("/"),
        "email": "personne@commune.fr",
        "activate_url": "https://atelier.test/lien",
        "password_reset_url": "https://atelier.test/lien",
        "signup_url": "https://atelier.test/lien",
        "code": "ABC123",
        "timestamp": timezone.now(),
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "from_email": "ancienne@commune.fr",
        "to_email": "nouvelle@commune.fr",
        "deleted_email": "ancienne@commune.fr",
        "provider": type("Provider", (), {"name": "ProConnect"})(),
        "SERVICE_NAME": "Atelier des territoires",
        "SITE_URL": "https://atelier.test",
    }
    texte = render_to_string(f"{prefix}_message.txt", context)
    html = render_to_string(f"{prefix}_message.html", context)
    assert MARQUEUR_GABARIT in html
    for english in ("Hello", "Your ", "Thank you", "You are receiving", "example.com"):
        assert english not in texte and english not in html
    assert "Bonjour," in texte and "Bonjour," in html
