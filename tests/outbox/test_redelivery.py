"""A task delivered twice (the outbox sweeper and the broker give at least once) sends each
e-mail once: the sending is recorded in the transaction of the e-mail."""

import pytest
from django.core import mail

from acteurs.models import Role
from feuilles_de_route import services
from feuilles_de_route.models import Action, SignataireRequis
from feuilles_de_route.tasks import send_signature_request, send_version_remplacee
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def test_a_signature_request_delivered_twice_is_sent_once(atelier, pilote, elu):
    version = f.send(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    requis = SignataireRequis.objects.get(version=version, utilisateur=elu)
    mail.outbox.clear()
    assert send_signature_request(requis.pk) is True
    assert send_signature_request(requis.pk) is False
    assert [m.to for m in mail.outbox] == [[elu.email]]


def test_a_replaced_version_notice_delivered_twice_is_sent_once(atelier, pilote, elu):
    feuille = f.feuille_with_actions(atelier)
    etat = f.etat_signataire(atelier)
    first = f.send(feuille, pilote, elu, etat)
    action = Action.objects.filter(axe__feuille=feuille).first()
    services.action_save(axe=action.axe, by=pilote, data={"titre": "Revue"}, action=action)
    second = f.send(feuille, pilote, elu, etat)  # replaces the first
    requis = SignataireRequis.objects.get(version=first, utilisateur=etat)
    mail.outbox.clear()
    assert send_version_remplacee(requis.pk, second.pk) is True
    assert send_version_remplacee(requis.pk, second.pk) is False
    assert [m.to for m in mail.outbox] == [[etat.email]]


def test_an_invitation_delivered_twice_is_sent_once(atelier, pilote):
    from acteurs.services import invitation_create
    from acteurs.tasks import envoyer_invitation

    invitation = invitation_create(
        atelier=atelier, by=pilote, email="invitee@example.fr", role=Role.HABITANT
    )
    mail.outbox.clear()
    assert envoyer_invitation(invitation.pk) is True
    assert envoyer_invitation(invitation.pk) is False
    assert [m.to for m in mail.outbox] == [["invitee@example.fr"]]
