"""DGALN staff, superusers and pilotes must have a second factor before any page of an
atelier's workspace, the back-office or the admin (acteurs.middleware.MfaObligatoireMiddleware)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from acteurs.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_dgaln_without_mfa_is_sent_to_totp_setup(client):
    agent = factories.DgalnFactory(email="sans-mfa@dgaln.gouv.fr", totp=False)
    client.force_login(agent)
    response = client.get(reverse("journal:journal"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_dgaln_with_mfa_reaches_the_back_office(client, dgaln):
    assert Authenticator.objects.filter(user=dgaln).exists()
    client.force_login(dgaln)
    assert client.get(reverse("journal:journal")).status_code == 200


def test_pilote_without_mfa_is_sent_to_setup_before_a_pilot_action(client, atelier):
    pilote = factories.participant(atelier, Role.PILOTE, email="p@ddt.gouv.fr", totp=False)
    other = factories.participant(atelier, Role.HABITANT, email="h2@exemple.fr")
    participation = other.acteur.participations.get()
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:participation_role", args=[atelier.pk, participation.pk]),
        {"role": Role.ELU},
    )
    assert response.url == reverse("mfa_activate_totp")
    participation.refresh_from_db()
    assert participation.role == Role.HABITANT
    response = client.post(
        reverse("ateliers:participants", args=[atelier.pk]),
        {"email": "x@exemple.fr", "role": Role.HABITANT},
    )
    assert response.url == reverse("mfa_activate_totp")


def test_other_roles_are_not_asked_for_a_second_factor(client, atelier, habitant, pilote):
    for user in (habitant, pilote):  # the pilote has a TOTP authenticator from the factory
        client.force_login(user)
        assert client.get(reverse("ateliers:atelier", args=[atelier.pk])).status_code == 200


def test_pilote_without_mfa_cannot_even_read_the_workspace(client, atelier):
    pilote = factories.participant(atelier, Role.PILOTE, email="p@ddt.gouv.fr", totp=False)
    client.force_login(pilote)
    for name in ("ateliers:atelier", "ateliers:documents", "feuilles_de_route:feuille"):
        response = client.get(reverse(name, args=[atelier.pk]))
        assert response.url == reverse("mfa_activate_totp"), name
    # The personal workspace stays open: it is where the setup is offered.
    assert client.get(reverse("acteurs:espace")).status_code == 200


def test_superuser_without_mfa_is_sent_to_setup_before_the_admin(client):
    root = factories.UtilisateurFactory(
        email="root@atelier.gouv.fr", is_superuser=True, is_staff=True
    )
    client.force_login(root)
    response = client.get(reverse("admin:index"))
    assert response.url == reverse("mfa_activate_totp")
    factories.with_totp(root)
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 200


def test_mfa_gate_can_be_disabled_by_setting(client, settings):
    settings.ATELIER_MFA_OBLIGATOIRE = False
    agent = factories.DgalnFactory(email="demo@dgaln.gouv.fr", totp=False)
    client.force_login(agent)
    assert client.get(reverse("journal:journal")).status_code == 200


def test_login_of_a_user_with_totp_asks_for_the_code(client, dgaln, password):
    response = client.post(reverse("account_login"), {"login": dgaln.email, "password": password})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    page = client.get(response.url).content.decode()
    assert "fr-input" in page
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert "aria-invalid" in response.content.decode()
    response = client.post(reverse("mfa_authenticate"), {"code": factories.totp_code()})
    assert response.status_code == 302
    assert client.get(reverse("journal:journal")).status_code == 200


def test_totp_activation_page_renders_in_dsfr(client, applicant, password):
    client.post(reverse("account_login"), {"login": applicant.email, "password": password})
    # allauth asks to confirm the password before managing the second factor.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200, response.get("Location")
    html = response.content.decode()
    assert "fr-input-group" in html
    assert "data:image/svg+xml" in html


def test_a_new_pilote_sets_up_the_second_factor_and_continues_to_their_atelier(
    client, atelier, password
):
    """Before: a pilote who had just accepted their invitation was sent to set up the second
    factor and ended on the recovery codes, with no way back to the atelier."""
    pilote = factories.participant(atelier, Role.PILOTE, email="neuf@ddt.gouv.fr", totp=False)
    client.post(reverse("account_login"), {"login": pilote.email, "password": password})
    lien = reverse("ateliers:atelier", args=[atelier.pk])
    assert client.get(lien).url == reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": password})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(
        reverse("mfa_activate_totp"), {"code": factories.totp_code(secret)}, follow=True
    )
    html = response.content.decode()
    suite = reverse("acteurs:mfa_suite")
    assert 'id="mfa-suite"' in html and f'href="{suite}"' in html
    response = client.get(suite)
    assert response.url == lien
    assert client.get(lien).status_code == 200
    # Used once: afterwards the page offers nothing and the link goes to « Mon espace ».
    assert 'id="mfa-suite"' not in client.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert client.get(suite).url == reverse("acteurs:espace")


def test_the_continuation_follows_only_the_guarded_pages(client, applicant):
    client.force_login(applicant)
    session = client.session
    session["atelier_mfa_suite"] = "https://ailleurs.example/espace/ateliers/1/"
    session.save()
    assert client.get(reverse("acteurs:mfa_suite")).url == reverse("acteurs:espace")
