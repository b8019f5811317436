"""Every e-mail goes through ``atelier.emails.send_once``: a task delivered twice, one after
the other (broker redelivery) or at the same time (two workers), sends one e-mail.

The candidature, reviewer and stage notifications have their own tests (tests/appels,
tests/ateliers); this file covers the roadmap and invitation senders.
"""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.db import connection, connections

from acteurs import services as acteurs_services
from acteurs.models import Invitation, Role
from feuilles_de_route.models import FeuilleDeRoute, RappelSuivi, SignataireRequis, Version
from feuilles_de_route.tasks import (
    send_rappel_suivi,
    send_rappels_suivi,
    send_signature_request,
    send_version_remplacee,
)
from tests import factories
from tests.factories import feuilles_de_route as fdr

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrence réelle : PostgreSQL seulement"
)


def _deliver_at_once(monkeypatch, task, *args) -> list:
    """Run ``task`` in two threads (two connections) at the same moment; return the results.

    Sending is slowed down so that the second delivery arrives while the first is sending.
    """
    from atelier import emails

    envoyer = emails.send_templated
    ensemble = threading.Barrier(2)

    def lent(**kwargs):
        time.sleep(0.3)
        return envoyer(**kwargs)

    monkeypatch.setattr(emails, "send_templated", lent)
    resultats = []

    def livrer():
        try:
            ensemble.wait()
            resultats.append(task.apply(args=args).get())
        finally:
            connections.close_all()

    fils = [threading.Thread(target=livrer) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    return resultats


def _en_signature(atelier, pilote, elu):
    etat = fdr.etat_signataire(atelier)
    version = fdr.send(fdr.feuille_with_actions(atelier), pilote, elu, etat)
    return version, SignataireRequis.objects.get(version=version, utilisateur=elu)


def _remplacee(atelier, pilote, elu):
    """A version in signature replaced by a new one; returns (the elu's request, the new one)."""
    version, requis = _en_signature(atelier, pilote, elu)
    etat = SignataireRequis.objects.get(version=version, qualite="etat").utilisateur
    feuille = version.feuille
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(titre="Feuille de route révisée")
    feuille.refresh_from_db()
    nouvelle = fdr.send(feuille, pilote, elu, etat)
    requis.refresh_from_db()
    assert requis.version.statut == Version.Statut.REMPLACEE
    return requis, nouvelle


def _invitation(atelier, pilote):
    return acteurs_services.invitation_create(
        atelier=atelier,
        by=pilote,
        email="invitee@commune.fr",
        role=Role.ELU,
        collectivite="Commune de Quintin",
        mandat="Maire",
    )


# --- Redelivery: the same task run twice ----------------------------------------------------


@pytest.mark.django_db
def test_signature_request_redelivered_sends_once(atelier, pilote, elu):
    _version, requis = _en_signature(atelier, pilote, elu)
    mail.outbox.clear()
    assert send_signature_request(requis.pk) is True
    assert send_signature_request(requis.pk) is False
    assert [m.to for m in mail.outbox] == [[elu.email]]


@pytest.mark.django_db
def test_replaced_version_notice_redelivered_sends_once(atelier, pilote, elu):
    requis, nouvelle = _remplacee(atelier, pilote, elu)
    mail.outbox.clear()
    assert send_version_remplacee(requis.pk, nouvelle.pk) is True
    assert send_version_remplacee(requis.pk, nouvelle.pk) is False
    assert [m.to for m in mail.outbox] == [[elu.email]]


@pytest.mark.django_db
def test_follow_up_reminder_redelivered_sends_once(atelier, pilote, elu):
    etat = fdr.etat_signataire(atelier)
    adoptee = fdr.adopt(fdr.feuille_with_actions(atelier), pilote, elu, etat)
    with time_machine.travel(adoptee.adoptee_le + dt.timedelta(days=190), tick=False):
        assert send_rappels_suivi() == 1
    rappel = RappelSuivi.objects.get(mois=6)
    mail.outbox.clear()
    assert send_rappel_suivi(rappel.pk) is True
    assert send_rappel_suivi(rappel.pk) is False
    assert len(mail.outbox) == 1 and pilote.email in mail.outbox[0].to


@pytest.mark.django_db
def test_invitation_redelivered_sends_once(atelier, pilote):
    invitation = _invitation(atelier, pilote)
    from acteurs.tasks import envoyer_invitation

    mail.outbox.clear()
    assert envoyer_invitation(invitation.pk) is True
    assert envoyer_invitation(invitation.pk) is False
    assert [m.to for m in mail.outbox] == [["invitee@commune.fr"]]


@pytest.mark.django_db
def test_a_failed_sending_is_sent_by_the_retry(atelier, pilote, monkeypatch):
    """The proof of sending is rolled back with a failed sending: the retry sends."""
    from acteurs.tasks import envoyer_invitation
    from atelier import emails

    invitation = _invitation(atelier, pilote)
    mail.outbox.clear()
    envoyer = emails.send_templated

    def panne(**kwargs):
        raise OSError("SMTP indisponible")

    monkeypatch.setattr(emails, "send_templated", panne)
    with pytest.raises(OSError):
        envoyer_invitation.run(invitation.pk)
    assert Invitation.objects.get(pk=invitation.pk).courriel_envoye_le is None
    monkeypatch.setattr(emails, "send_templated", envoyer)
    assert envoyer_invitation(invitation.pk) is True
    assert len(mail.outbox) == 1


# --- Concurrency: two deliveries at the same time (PostgreSQL) ------------------------------


def _not_sent_yet(model, pk, field):
    """Back to the state before the task ran (the setup itself sent the e-mail)."""
    model.objects.filter(pk=pk).update(**{field: None})
    mail.outbox.clear()


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_signature_request_delivered_twice_at_once_sends_once(monkeypatch):
    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE, email="p@concurrence.fr")
    elu = factories.participant(atelier, Role.ELU, email="e@concurrence.fr")
    _version, requis = _en_signature(atelier, pilote, elu)
    _not_sent_yet(SignataireRequis, requis.pk, "courriel_demande_le")
    resultats = _deliver_at_once(monkeypatch, send_signature_request, requis.pk)
    assert sorted(resultats) == [False, True]
    assert [m.to for m in mail.outbox] == [[elu.email]]


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_replaced_version_notice_delivered_twice_at_once_sends_once(monkeypatch):
    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE, email="p@concurrence.fr")
    elu = factories.participant(atelier, Role.ELU, email="e@concurrence.fr")
    requis, nouvelle = _remplacee(atelier, pilote, elu)
    _not_sent_yet(SignataireRequis, requis.pk, "courriel_remplacement_le")
    resultats = _deliver_at_once(monkeypatch, send_version_remplacee, requis.pk, nouvelle.pk)
    assert sorted(resultats) == [False, True]
    assert [m.to for m in mail.outbox] == [[elu.email]]


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_follow_up_reminder_delivered_twice_at_once_sends_once(monkeypatch):
    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE, email="p@concurrence.fr")
    elu = factories.participant(atelier, Role.ELU, email="e@concurrence.fr")
    etat = fdr.etat_signataire(atelier)
    adoptee = fdr.adopt(fdr.feuille_with_actions(atelier), pilote, elu, etat)
    with time_machine.travel(adoptee.adoptee_le + dt.timedelta(days=190), tick=False):
        assert send_rappels_suivi() == 1
    rappel = RappelSuivi.objects.get(mois=6)
    _not_sent_yet(RappelSuivi, rappel.pk, "courriel_envoye_le")
    resultats = _deliver_at_once(monkeypatch, send_rappel_suivi, rappel.pk)
    assert sorted(resultats) == [False, True]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_invitation_delivered_twice_at_once_sends_once(monkeypatch):
    from acteurs.tasks import envoyer_invitation

    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE, email="p@concurrence.fr")
    invitation = _invitation(atelier, pilote)
    _not_sent_yet(Invitation, invitation.pk, "courriel_envoye_le")
    resultats = _deliver_at_once(monkeypatch, envoyer_invitation, invitation.pk)
    assert sorted(resultats) == [False, True]
    assert [m.to for m in mail.outbox] == [["invitee@commune.fr"]]
