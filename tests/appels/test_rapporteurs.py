"""Reviewers (rapporteurs) are told by e-mail when DGALN assigns them a candidature."""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from appels import services
from appels.models import AppelACandidatures, Candidature, NotificationRapporteur
from tests.factories import UtilisateurFactory
from tests.factories.appels import appel_complet, candidature_en_etat

pytestmark = pytest.mark.django_db
S = Candidature.Statut
SITE = "https://atelier.exemple.gouv.fr"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def candidature():
    cloture = timezone.make_aware(dt.datetime(2031, 3, 31, 23, 59))
    appel = appel_complet(titre="AMI 2031 — Sobriété foncière", cloture=cloture)
    return candidature_en_etat(S.RECEVABLE, appel=appel, territoire_nom="Pays de Redon")


def _assigner(candidature, by, rapporteurs):
    services.candidature_assigner_rapporteurs(
        candidature=candidature, by=by, rapporteurs=rapporteurs
    )


def test_each_new_reviewer_gets_an_email_after_commit(
    client, dgaln, candidature, mailoutbox, django_capture_on_commit_callbacks
):
    premier = UtilisateurFactory(email="rapporteur@cerema.fr", first_name="Léa")
    second = UtilisateurFactory(email="expert@ademe.fr")
    client.force_login(dgaln)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("appels:gestion_candidature_rapporteurs", args=[candidature.pk]),
            {"autres": "rapporteur@cerema.fr, expert@ademe.fr"},
        )
        # Nothing leaves before the assignment is committed.
        assert mailoutbox == []
    assert response.status_code == 302
    for callback in callbacks:
        callback()

    assert sorted(m.to[0] for m in mailoutbox) == sorted([premier.email, second.email])
    assert all(len(m.to) == 1 for m in mailoutbox)
    message = next(m for m in mailoutbox if m.to == [premier.email])
    lien = f"{SITE}/gestion/candidatures/{candidature.pk}/"
    assert "rapporteur" in message.subject and "Pays de Redon" in message.subject
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "AMI 2031 — Sobriété foncière" in part
        assert "Pays de Redon" in part
        assert "31 mars 2031 à 23h59" in part
        assert lien in part
    assert message.body.startswith("Bonjour Léa,")
    assert NotificationRapporteur.objects.filter(candidature=candidature).count() == 2


def test_saving_the_same_reviewers_again_sends_nothing(
    dgaln, candidature, mailoutbox, django_capture_on_commit_callbacks
):
    premier, second = UtilisateurFactory(), UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _assigner(candidature, dgaln, [premier, second])
    assert len(mailoutbox) == 2
    candidature.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _assigner(candidature, dgaln, [second, premier])
    assert callbacks == []
    assert len(mailoutbox) == 2


def test_only_the_added_reviewer_is_told_and_removing_one_sends_nothing(
    dgaln, candidature, mailoutbox, django_capture_on_commit_callbacks
):
    premier, second, troisieme = UtilisateurFactory(), UtilisateurFactory(), UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _assigner(candidature, dgaln, [premier, second])
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _assigner(candidature, dgaln, [premier, second, troisieme])
    assert [m.to for m in mailoutbox] == [[troisieme.email]]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _assigner(candidature, dgaln, [premier])
    assert mailoutbox == []
    assert set(candidature.rapporteurs.all()) == {premier}


def test_a_reviewer_id_no_column_holds_is_refused(client, dgaln, candidature):
    # On SQLite, pk__in=[99999999999999999999] raised OverflowError: a 500.
    client.force_login(dgaln)
    response = client.post(
        reverse("appels:gestion_candidature_rapporteurs", args=[candidature.pk]),
        {"rapporteurs": [dgaln.pk, "99999999999999999999"]},
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not candidature.rapporteurs.exists()


def test_a_reviewer_assigned_again_after_removal_is_told_again(
    dgaln, candidature, mailoutbox, django_capture_on_commit_callbacks
):
    rapporteur = UtilisateurFactory()
    for rapporteurs in ([rapporteur], [], [rapporteur]):
        with django_capture_on_commit_callbacks(execute=True):
            _assigner(candidature, dgaln, rapporteurs)
    assert [m.to for m in mailoutbox] == [[rapporteur.email], [rapporteur.email]]


def test_a_retried_task_sends_nothing_more(
    dgaln, candidature, mailoutbox, django_capture_on_commit_callbacks
):
    rapporteur = UtilisateurFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _assigner(candidature, dgaln, [rapporteur])
    assert len(mailoutbox) == 1
    assert (
        services.rapporteur_notifier(candidature_id=candidature.pk, rapporteur_id=rapporteur.pk)
        is False
    )
    assert len(mailoutbox) == 1


def test_a_reviewer_removed_before_the_task_runs_gets_nothing(
    dgaln, candidature, mailoutbox, django_capture_on_commit_callbacks
):
    rapporteur, autre = UtilisateurFactory(), UtilisateurFactory()
    with django_capture_on_commit_callbacks() as premiers:
        _assigner(candidature, dgaln, [rapporteur])
    with django_capture_on_commit_callbacks(execute=True):
        _assigner(candidature, dgaln, [autre])
    for callback in premiers:  # the first task runs late, after the change of mind
        callback()
    assert [m.to for m in mailoutbox] == [[autre.email]]


def test_nothing_is_sent_when_the_assignment_rolls_back(dgaln, candidature, mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        _assigner(candidature, dgaln, [UtilisateurFactory()])
        raise RuntimeError
    assert mailoutbox == []
    assert not NotificationRapporteur.objects.exists()


def test_a_call_without_deadline_is_announced_without_one(
    dgaln, mailoutbox, django_capture_on_commit_callbacks
):
    appel = appel_complet(nature=AppelACandidatures.Nature.A_LA_CARTE, session=None, cloture=None)
    candidature = candidature_en_etat(S.RECEVABLE, appel=appel, format_demande="local")
    with django_capture_on_commit_callbacks(execute=True):
        _assigner(candidature, dgaln, [UtilisateurFactory()])
    assert len(mailoutbox) == 1
    assert "Clôture" not in mailoutbox[0].body
    assert "Clôture" not in mailoutbox[0].alternatives[0][0]
