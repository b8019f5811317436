"""Every allauth page renders in the DSFR layout, in French, with labelled fields."""

import re

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
    "account_inactive",
    "account_reset_password_from_key_done",
    "socialaccount_login_cancelled",
]
SIGNED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_reauthenticate",
    "account_logout",
    "mfa_index",
    "socialaccount_connections",
]
ENGLISH = ("Sign In", "Sign Up", "Password Reset", "E-mail Addresses", "Two-Factor Authentication")


def _check(html: str) -> None:
    assert 'lang="fr"' in html
    assert "fr-header" in html and "fr-footer" in html
    for word in ENGLISH:
        assert word not in html, word
    # Every visible input has a label.
    for match in re.finditer(r'<input[^>]*\bid="([^"]+)"[^>]*>', html):
        tag = match.group(0)
        if 'type="hidden"' in tag:
            continue
        assert f'for="{match.group(1)}"' in html, tag


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_account_pages(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    _check(response.content.decode())


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_pages(client, applicant, name):
    client.force_login(applicant)
    response = client.get(reverse(name))
    assert response.status_code == 200
    _check(response.content.decode())


def test_mfa_pages_after_reauthentication(client, password):
    user = factories.DgalnFactory(email="mfa-pages@dgaln.gouv.fr")
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": password})
    for name in ("mfa_generate_recovery_codes", "mfa_deactivate_totp"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        _check(response.content.decode())
    client.post(reverse("mfa_generate_recovery_codes"))
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    _check(response.content.decode())


def test_invalid_confirmation_and_reset_keys_are_explained(client):
    response = client.get(reverse("account_confirm_email", args=["cle-inconnue"]))
    assert response.status_code == 200
    _check(response.content.decode())
    response = client.get(reverse("account_reset_password_from_key", args=["0", "cle"]))
    assert response.status_code == 200
    _check(response.content.decode())


def test_errors_are_linked_to_their_field(client):
    response = client.post(
        reverse("account_signup"), {"email": "pas-une-adresse", "password1": "", "password2": ""}
    )
    html = response.content.decode()
    tag = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in tag
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    for ident in described.split():
        assert f'id="{ident}"' in html
