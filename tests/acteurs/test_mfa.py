"""DGALN staff and pilotes must have a second factor before the back-office or a pilot action."""

import pytest
from allauth.mfa.models import Authenticator
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from acteurs.decorators import staff_mfa_required
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


def test_decorator_lets_other_roles_through(habitant, pilote):
    @staff_mfa_required
    def view(request):
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = habitant
    assert view(request).status_code == 200
    request.user = pilote  # has a TOTP authenticator from the factory
    assert view(request).status_code == 200


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
