"""A report whose worker died or whose message was lost is redone within minutes.

The deadline of a report is ATELIER_TASK_TIME_LIMIT + one minute after it was queued or
started; past it the watchdog (beat, every minute) queues it again, and "Relancer" is offered.
"""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from feuilles_de_route import services
from feuilles_de_route.models import Rapport
from journal.models import EvenementAudit
from outbox.models import PendingTask

pytestmark = pytest.mark.django_db
RENDER = "feuilles_de_route.tasks.generate_rapport"


def _stuck(atelier, version, pilote, *, statut, tentatives=1, minutes=1):
    rapport = Rapport.objects.create(atelier=atelier, version=version, demande_par=pilote)
    Rapport.objects.filter(pk=rapport.pk).update(
        statut=statut,
        tentatives=tentatives,
        echeance=timezone.now() - dt.timedelta(minutes=minutes),
    )
    rapport.refresh_from_db()
    return rapport


def test_the_deadline_follows_the_task_time_limit(atelier, pilote, adoptee, settings):
    settings.CELERY_TASK_TIME_LIMIT = 120
    before = timezone.now()
    rapport = Rapport.objects.create(
        atelier=atelier, version=adoptee, echeance=services.rapport_echeance()
    )
    assert dt.timedelta(seconds=179) < rapport.echeance - before < dt.timedelta(seconds=181)


def test_a_report_left_en_cours_by_a_dead_worker_is_redone_by_the_watchdog(
    atelier, pilote, adoptee, django_capture_on_commit_callbacks
):
    rapport = _stuck(atelier, adoptee, pilote, statut=Rapport.Statut.EN_COURS)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rapport_watchdog() == 1
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET and rapport.tentatives == 2
    assert EvenementAudit.objects.filter(action="rapport_reprogramme").count() == 1
    assert services.rapport_watchdog() == 0  # nothing left to do


def test_a_lost_message_does_not_leave_a_report_waiting_forever(
    atelier, pilote, adoptee, django_capture_on_commit_callbacks
):
    rapport = _stuck(atelier, adoptee, pilote, statut=Rapport.Statut.EN_ATTENTE, tentatives=0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rapport_watchdog() == 1
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET


def test_a_report_under_way_before_its_deadline_is_left_alone(atelier, pilote, adoptee):
    rapport = _stuck(atelier, adoptee, pilote, statut=Rapport.Statut.EN_COURS, minutes=-5)
    assert services.rapport_watchdog() == 0
    # A redelivery of its task while it renders elsewhere does not render it a second time.
    services.rapport_generate(rapport_id=rapport.pk)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.EN_COURS and rapport.tentatives == 1
    assert not rapport.bloque
    with pytest.raises(services.TransitionError, match="en cours de génération"):
        services.rapport_retry(rapport=rapport, by=pilote)


def test_a_report_waiting_for_the_broker_is_not_stuck(atelier, pilote, adoptee):
    rapport = _stuck(atelier, adoptee, pilote, statut=Rapport.Statut.EN_ATTENTE, tentatives=0)
    PendingTask.objects.create(task=RENDER, args=[rapport.pk])
    assert services.rapport_watchdog() == 0


def test_a_render_that_keeps_killing_its_worker_ends_in_failure(atelier, pilote, adoptee):
    rapport = _stuck(atelier, adoptee, pilote, statut=Rapport.Statut.EN_COURS, tentatives=3)
    assert services.rapport_watchdog() == 1
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.ECHEC and "interrompu 3 fois" in rapport.erreur
    assert not PendingTask.objects.filter(task=RENDER).exists()


# Transactional: the view's message is computed after the service's commit dispatched the task.
@pytest.mark.django_db(transaction=True)
def test_a_stuck_report_offers_relancer_and_it_works(client, atelier, pilote, adoptee):
    rapport = _stuck(atelier, adoptee, pilote, statut=Rapport.Statut.EN_COURS)
    client.force_login(pilote)
    page = client.get(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}))
    html = page.content.decode()
    assert "Relancer la génération" in html and "pas abouti dans le délai" in html
    response = client.post(
        reverse(
            "feuilles_de_route:rapport_relancer",
            kwargs={"pk": atelier.pk, "rapport_id": rapport.pk},
        )
    )
    assert response.status_code == 302
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Le rapport de restitution est prêt."
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker_up", [True, False])
def test_demander_says_what_really_happened(
    client, atelier, pilote, adoptee, monkeypatch, broker_up
):
    from feuilles_de_route.tasks import generate_rapport

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    if broker_up:  # queued, not yet taken by a worker
        monkeypatch.setattr(generate_rapport, "apply_async", lambda *args, **kwargs: None)
    else:
        monkeypatch.setattr(generate_rapport, "apply_async", broker_down)
    client.force_login(pilote)
    response = client.post(reverse("feuilles_de_route:rapport_demander", kwargs={"pk": atelier.pk}))
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    rapport = Rapport.objects.get()
    assert rapport.statut == Rapport.Statut.EN_ATTENTE
    owed = PendingTask.objects.get(task=RENDER)
    assert owed.args == [rapport.pk]
    if broker_up:
        assert messages == [
            "La génération du rapport de restitution est lancée ; cette page se met à jour seule."
        ]
        assert owed.sent_at is not None
    else:
        assert len(messages) == 1 and "momentanément injoignable" in messages[0]
        assert owed.sent_at is None
