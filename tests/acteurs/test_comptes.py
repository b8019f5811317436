"""Accounts through allauth: e-mail login, verification, reset, enumeration, rate limits, logs."""

import logging
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from acteurs.models import Utilisateur
from tests import factories

pytestmark = pytest.mark.django_db


def test_login_with_email_and_password_lands_in_my_workspace(client, applicant, password):
    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": password}
    )
    assert response.status_code == 302
    assert response.url == "/espace/"


def test_login_page_is_dsfr_french_and_labelled(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'lang="fr"' in html and "fr-header" in html
    assert '<label class="fr-label" for="id_login">' in html
    assert '<label class="fr-label" for="id_password">' in html
    assert "Se connecter" in html
    assert "erreurs-formulaire.js" in html


def test_failed_login_is_logged_without_the_password(client, applicant, caplog):
    with caplog.at_level(logging.INFO, logger="atelier.securite"):
        response = client.post(
            reverse("account_login"), {"login": applicant.email, "password": "mauvais-secret"}
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "mauvais-secret" not in caplog.text
    assert f"echec_connexion login={applicant.email} ip=127.0.0.1" in caplog.text


def test_login_is_logged_with_user_and_ip(client, applicant, password, caplog):
    with caplog.at_level(logging.INFO, logger="atelier.securite"):
        client.post(reverse("account_login"), {"login": applicant.email, "password": password})
    assert f"connexion user={applicant.pk} ip=127.0.0.1" in caplog.text
    assert password not in caplog.text


def test_signup_requires_email_verification(client):
    response = client.post(
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
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = Utilisateur.objects.get(email="nouvelle@commune.fr")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
    assert not EmailAddress.objects.get(email="nouvelle@commune.fr").verified
    assert len(mail.outbox) == 1
    # Not signed in before the address is confirmed.
    assert client.get("/espace/").status_code == 302
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else "/" + link.split("/", 3)[3]
    client.post(path)
    assert EmailAddress.objects.get(email="nouvelle@commune.fr").verified


def test_signup_cannot_grant_staff_rights(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "malin@exemple.fr",
            "password1": "Un-mot-de-passe-solide-42",
            "password2": "Un-mot-de-passe-solide-42",
            "first_name": "Marie",
            "last_name": "Durand",
            "organisation": "Commune de Plouër",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    user = Utilisateur.objects.get(email="malin@exemple.fr")
    assert not user.is_staff and not user.is_superuser


def test_signup_with_an_existing_email_does_not_reveal_it(client, applicant):
    response = client.post(
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
    # Same answer as for a new address; the owner gets an e-mail instead.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert Utilisateur.objects.filter(email=applicant.email).count() == 1


def test_password_reset_does_not_reveal_whether_an_account_exists(client, applicant):
    known = client.post(reverse("account_reset_password"), {"email": applicant.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "personne@nulle-part.fr"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url


def test_password_reset_end_to_end(client, applicant):
    client.post(reverse("account_reset_password"), {"email": applicant.email})
    body = mail.outbox[-1].body
    path = re.search(r"(/comptes/password/reset/key/\S+/)", body).group(1)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(
        form_path, {"password1": "Nouveau-mot-de-passe-77", "password2": "Nouveau-mot-de-passe-77"}
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password("Nouveau-mot-de-passe-77")


def test_logout_is_post_only(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200  # a confirmation page, still signed in
    assert client.get("/espace/").status_code == 200
    client.post(reverse("account_logout"))
    assert client.get("/espace/").status_code == 302


def test_login_failures_are_rate_limited(client, applicant):
    for i in range(6):
        response = client.post(
            reverse("account_login"), {"login": applicant.email, "password": f"faux-{i}"}
        )
    # allauth counts failures per address in the shared cache and refuses the sixth try,
    # even with the right password.
    assert "Trop de tentatives" in response.content.decode()
    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 200
    assert client.get("/espace/").status_code == 302


def test_email_change_page_in_french(client, applicant):
    client.force_login(applicant)
    html = client.get(reverse("account_email")).content.decode()
    assert "fr-sidemenu" in html and "Adresses électroniques" in html


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith("/comptes/login/")


def test_admin_open_to_superuser(client):
    superuser = factories.UtilisateurFactory(
        email="root@dgaln.gouv.fr", is_superuser=True, is_staff=True
    )
    factories.with_totp(superuser)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_unverified_account_cannot_sign_in(client, password):
    user = factories.UtilisateurFactory(email="pas-verifie@exemple.fr")
    EmailAddress.objects.filter(user=user).update(verified=False)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert client.get("/espace/").status_code == 302
