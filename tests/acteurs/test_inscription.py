"""Signing up (issue 14): names and organisation asked, an invitee's names carried over,
the page the person was going to reached after confirming the address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from acteurs.models import Acteur, Invitation, Organisation, Role
from acteurs.services import invitation_create
from tests.factories.appels import appel_complet

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "Un-mot-de-passe-solide-42"


def _signup(client, email, next_url="", **extra):
    data = {
        "email": email,
        "password1": MOT_DE_PASSE,
        "password2": MOT_DE_PASSE,
        "first_name": "Marie",
        "last_name": "Durand",
        "organisation": "Communauté de communes du Val d'Émeraude",
        "organisation_nature": "collectivite",
        **extra,
    }
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_signup"), data)


def _confirmation_path(message) -> str:
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+", message.body).group(0)
    return "/" + link.split("/", 3)[3]


def test_signup_asks_names_and_organisation(client):
    html = client.get(reverse("account_signup")).content.decode()
    for name in ("first_name", "last_name", "organisation"):
        assert f'name="{name}"' in html
    response = _signup(client, "marie.durand@val-emeraude.fr", last_name="")
    assert response.status_code == 200  # the last name is required
    response = _signup(client, "marie.durand@val-emeraude.fr")
    assert response.status_code == 302
    acteur = Acteur.objects.get(utilisateur__email="marie.durand@val-emeraude.fr")
    assert (acteur.utilisateur.first_name, acteur.utilisateur.last_name) == ("Marie", "Durand")
    assert acteur.organisation.nom == "Communauté de communes du Val d'Émeraude"
    assert acteur.organisation.nature == Organisation.Nature.COLLECTIVITE
    # The DGALN cannot be chosen at signup.
    response = _signup(client, "faux@dgaln.fr", organisation_nature="dgaln")
    assert response.status_code == 200


def test_after_confirming_the_address_the_applicant_lands_on_candidater(client):
    """Before: the ``next`` to « candidater » was lost on the way through the e-mail."""
    appel = appel_complet()
    candidater = reverse("appels:candidater", args=[appel.slug])
    response = client.get(candidater)
    assert response.status_code == 302
    login_url = response["Location"]
    login_page = client.get(login_url).content.decode()
    signup_href = re.search(r'href="(/comptes/signup/[^"]*)"', login_page).group(1)
    assert "next=" in signup_href
    _signup(client, "marie.durand@val-emeraude.fr", next_url=candidater)
    response = client.post(_confirmation_path(mail.outbox[-1]))
    assert response.status_code == 302
    assert response["Location"] == candidater
    assert client.get(candidater).status_code == 200
    assert "Bonjour Marie" in client.get("/espace/").content.decode()


def test_confirming_in_another_browser_still_leads_to_candidater(client, django_user_model):
    from django.test import Client

    appel = appel_complet()
    candidater = reverse("appels:candidater", args=[appel.slug])
    _signup(client, "marie.durand@val-emeraude.fr", next_url=candidater)
    other = Client()
    response = other.post(_confirmation_path(mail.outbox[-1]))
    assert response.status_code == 302
    assert candidater in response["Location"]


def test_an_invitees_names_typed_by_the_pilote_are_carried_over(client, atelier, pilote):
    invitation = invitation_create(
        atelier=atelier,
        by=pilote,
        email="jean.leroy@commune.fr",
        role=Role.ELU,
        prenom="Jean",
        nom="Leroy",
        collectivite="Commune de Quintin",
        mandat="Maire",
    )
    from acteurs.invitations import make_token

    client.get(reverse("acteurs:invitation", kwargs={"token": make_token(invitation)}))
    html = client.get(reverse("account_signup")).content.decode()
    assert 'value="Jean"' in html and 'value="Leroy"' in html
    assert 'value="jean.leroy@commune.fr"' in html
    assert Invitation.objects.get(pk=invitation.pk).statut == Invitation.Statut.ENVOYEE
