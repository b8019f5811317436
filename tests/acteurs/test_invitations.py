"""Invitations: sent after commit, signed, expiring, single use; clear pages when unusable."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from acteurs import services
from acteurs.invitations import make_token
from acteurs.models import Invitation, Participation, Role, Utilisateur
from journal.models import EvenementAudit
from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "Un-mot-de-passe-solide-42"
MANDAT = {"collectivite": "Commune de Quintin", "mandat": "Maire"}


def _invite(client, pilote, atelier, email="invitee@commune.fr", role=Role.ELU):
    from django.test import TestCase

    client.force_login(pilote)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("ateliers:participants", args=[atelier.pk]),
            {"email": email, "role": role, "prenom": "Inès", "nom": "Martin", **MANDAT},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Invitation.objects.get(email=email, statut=Invitation.Statut.ENVOYEE)


def _link(message) -> str:
    return re.search(r"(/invitations/[^/\s]+/)", message.body).group(1)


def test_pilote_invites_by_email_sent_after_commit(
    client, pilote, atelier, django_capture_on_commit_callbacks
):
    client.force_login(pilote)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("ateliers:participants", args=[atelier.pk]),
            {"email": "Invitee@Commune.fr", "role": Role.ELU, **MANDAT},
        )
    assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["invitee@commune.fr"]
    assert atelier.titre in message.subject
    assert "/invitations/" in message.body
    invitation = Invitation.objects.get()
    assert invitation.role == Role.ELU and invitation.invitee_par == pilote
    assert EvenementAudit.objects.filter(
        action="invitation_envoyee", object_id=str(invitation.pk)
    ).exists()


def test_new_account_through_the_invitation(client, pilote, atelier):
    _invite(client, pilote, atelier)
    link = _link(mail.outbox[-1])
    page = client.get(link)
    assert page.status_code == 200
    assert "Créer mon compte" in page.content.decode()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "invitee@commune.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Inès",
            "last_name": "Vitée",
            "organisation": "Commune de Plouër",
        },
    )
    # The link proved the address: no second verification e-mail, back to the invitation.
    assert response.status_code == 302
    assert response.url == link
    response = client.post(link)
    assert response.status_code == 302
    user = Utilisateur.objects.get(email="invitee@commune.fr")
    participation = Participation.objects.get(acteur__utilisateur=user, atelier=atelier)
    assert participation.role == Role.ELU
    assert participation.acteur.prenom == "Inès"
    assert Invitation.objects.get().statut == Invitation.Statut.ACCEPTEE
    assert not user.is_staff and not user.groups.exists()


def test_existing_account_is_linked_not_duplicated(client, pilote, atelier, applicant, password):
    _invite(client, pilote, atelier, email=applicant.email, role=Role.HABITANT)
    link = _link(mail.outbox[-1])
    assert "Se connecter" in client.get(link).content.decode()
    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": password}
    )
    assert response.url == link
    client.post(link)
    assert Utilisateur.objects.filter(email=applicant.email).count() == 1
    assert Participation.objects.get(acteur__utilisateur=applicant).role == Role.HABITANT


def test_reused_link_gets_a_clear_page(client, pilote, atelier, applicant):
    _invite(client, pilote, atelier, email=applicant.email)
    link = _link(mail.outbox[-1])
    client.force_login(applicant)
    client.post(link)
    response = client.post(link)
    assert response.status_code == 410
    assert "été utilisée" in response.content.decode()
    assert Participation.objects.filter(acteur__utilisateur=applicant).count() == 1


def test_expired_link_gets_a_clear_page(client, pilote, atelier, applicant, settings):
    _invite(client, pilote, atelier, email=applicant.email)
    link = _link(mail.outbox[-1])
    with time_machine.travel(
        timezone.now() + dt.timedelta(days=settings.ATELIER_INVITATION_JOURS + 1)
    ):
        response = client.get(link)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()


def test_tampered_link_gets_a_clear_page(client, pilote, atelier):
    invitation = _invite(client, pilote, atelier)
    token = make_token(invitation)
    response = client.get(reverse("acteurs:invitation", args=[token[:-3] + "abc"]))
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()
    forged = signing.dumps({"i": invitation.pk, "e": invitation.email}, salt="autre-chose")
    assert client.get(reverse("acteurs:invitation", args=[forged])).status_code == 400


def test_link_for_another_address_is_refused(client, pilote, atelier, habitant):
    _invite(client, pilote, atelier)
    link = _link(mail.outbox[-1])
    client.force_login(habitant)
    response = client.post(link)
    assert response.status_code == 403
    assert Invitation.objects.get().statut == Invitation.Statut.ENVOYEE


def test_a_new_invitation_cancels_the_previous_link(client, pilote, atelier):
    _invite(client, pilote, atelier)
    first = _link(mail.outbox[-1])
    _invite(client, pilote, atelier, role=Role.EQUIPE)
    assert client.get(first).status_code == 410


def test_cannot_invite_an_existing_participant(client, pilote, atelier, habitant):
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:participants", args=[atelier.pk]),
        {"email": habitant.email, "role": Role.ELU, **MANDAT},
    )
    assert response.status_code == 400
    assert "participe déjà" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize("role", ["applicant", "habitant", "elu", "equipe", "autre_pilote"])
def test_only_pilote_or_dgaln_may_invite(role, request, atelier, client):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(
        reverse("ateliers:participants", args=[atelier.pk]),
        {"email": "x@exemple.fr", "role": Role.PILOTE},
    )
    assert response.status_code in (403, 404)
    assert not Invitation.objects.exists()


def test_service_refuses_without_permission(habitant, atelier):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.invitation_create(atelier=atelier, by=habitant, email="a@b.fr", role=Role.ELU)


def test_task_is_idempotent(pilote, atelier):
    from acteurs.tasks import envoyer_invitation

    invitation = services.invitation_create(
        atelier=atelier, by=pilote, email="a@b.fr", role=Role.ELU, **MANDAT
    )
    user = factories.UtilisateurFactory(email="a@b.fr")
    services.invitation_accept(invitation=invitation, user=user)
    mail.outbox.clear()
    assert envoyer_invitation(invitation.pk) is False
    assert mail.outbox == []


def test_pilote_cancels_a_pending_invitation(client, pilote, atelier):
    invitation = _invite(client, pilote, atelier)
    link = _link(mail.outbox[-1])
    client.force_login(pilote)
    page = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    assert "invitee@commune.fr" in page
    client.post(reverse("ateliers:invitation_annuler", args=[atelier.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.statut == Invitation.Statut.ANNULEE
    assert EvenementAudit.objects.filter(action="invitation_annulee").exists()
    client.logout()
    response = client.get(link)
    assert response.status_code == 410 and "annulée" in response.content.decode()
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:invitation_annuler", args=[atelier.pk, invitation.pk]), follow=True
    )
    assert "plus en attente" in response.content.decode()


def test_habitant_cannot_cancel(client, pilote, atelier, habitant):
    invitation = _invite(client, pilote, atelier)
    client.force_login(habitant)
    response = client.post(reverse("ateliers:invitation_annuler", args=[atelier.pk, invitation.pk]))
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.statut == Invitation.Statut.ENVOYEE


# --- Trust: verified addresses, vouched élus, vetted pilotes ----------------------------------


def test_an_invitation_cannot_be_accepted_without_a_verified_address(client, pilote, atelier):
    """An account created outside the link (address never confirmed) must not join."""
    from allauth.account.models import EmailAddress

    invitation = _invite(client, pilote, atelier, role=Role.EQUIPE)
    link = _link(mail.outbox[-1])
    user = factories.UtilisateurFactory(email="invitee@commune.fr")
    EmailAddress.objects.filter(user=user).update(verified=False)
    client.force_login(user)
    page = client.get(link)
    assert "Confirmez d'abord votre adresse" in page.content.decode()
    response = client.post(link)
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.statut == Invitation.Statut.ENVOYEE
    assert not Participation.objects.filter(acteur__utilisateur=user).exists()
    with pytest.raises(services.ParticipationError, match="Confirmez"):
        services.invitation_accept(invitation=invitation, user=user)


def test_signing_up_through_the_link_with_another_address_is_not_verified(client, pilote, atelier):
    _invite(client, pilote, atelier)
    client.get(_link(mail.outbox[-1]))
    client.post(
        reverse("account_signup"),
        {
            "email": "complice@exemple.fr",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "Camille",
            "last_name": "Complice",
            "organisation": "Association d'essai",
        },
    )
    from allauth.account.models import EmailAddress

    assert not EmailAddress.objects.get(email="complice@exemple.fr").verified


def test_inviting_an_elu_records_the_mandate_and_who_vouched(client, pilote, atelier):
    _invite(client, pilote, atelier)
    assert "Mandat attesté par la personne qui vous invite : Maire" in mail.outbox[-1].body
    link = _link(mail.outbox[-1])
    assert "Maire, Commune de Quintin" in client.get(link).content.decode()
    user = factories.UtilisateurFactory(email="invitee@commune.fr")
    client.force_login(user)
    client.post(link)
    participation = Participation.objects.get(acteur__utilisateur=user)
    assert (participation.mandat, participation.collectivite) == ("Maire", "Commune de Quintin")
    assert participation.atteste_par == pilote
    assert participation.atteste_par_nom == pilote.get_full_name()
    assert participation.qualite_elu == "Maire, Commune de Quintin"


def test_an_elu_invitation_without_a_mandate_is_refused(client, pilote, atelier):
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:participants", args=[atelier.pk]),
        {"email": "x@exemple.fr", "role": Role.ELU, "collectivite": "Commune de Quintin"},
    )
    assert response.status_code == 400
    assert "indiquez sa collectivité et son mandat" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_pilote_role_goes_only_to_a_vetted_state_agent(client, pilote, atelier, habitant):
    client.force_login(pilote)
    inconnu = factories.UtilisateurFactory(email="moi@exemple.fr")
    for email in ("moi@exemple.fr", "personne@nulle-part.fr"):
        response = client.post(
            reverse("ateliers:participants", args=[atelier.pk]),
            {"email": email, "role": Role.PILOTE},
        )
        assert response.status_code == 400
        assert "réservé aux agents de l'État vérifiés" in response.content.decode()
    assert not Invitation.objects.exists()
    participation = Participation.objects.get(acteur__utilisateur=habitant)
    with pytest.raises(services.ParticipationError, match="agents de l'État"):
        services.participation_change_role(participation=participation, by=pilote, role=Role.PILOTE)
    with pytest.raises(services.ParticipationError, match="invitez-la comme élu"):
        services.participation_change_role(participation=participation, by=pilote, role=Role.ELU)
    # Vetted, then revoked before accepting: the pilote invitation no longer works.
    agent = factories.vetted_agent(inconnu)
    invitation = services.invitation_create(
        atelier=atelier, by=pilote, email=inconnu.email, role=Role.PILOTE
    )
    agent.revoque_le = timezone.now()
    agent.save()
    inconnu.__dict__.pop("_agent_etat", None)
    with pytest.raises(services.ParticipationError, match="réservé aux agents"):
        services.invitation_accept(invitation=invitation, user=inconnu)
