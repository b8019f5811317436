"""Record owed tasks with the change that owes them, and hand them to the broker."""

import logging
from datetime import timedelta
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import PendingTask

logger = logging.getLogger(__name__)

# What a broker that cannot be reached raises when publishing without retry.
BROKER_DOWN = (OperationalError, ConnectionError, TimeoutError, OSError)
# The sweeper leaves younger rows to the on_commit dispatch of the request that made them.
GRACE = timedelta(seconds=10)
KEEP_SENT = timedelta(days=7)
SWEEP_BATCH = 500


def enqueue(task: Any, *args: Any, **kwargs: Any) -> PendingTask:
    """Owe ``task(*args, **kwargs)`` if the surrounding transaction commits; dispatch it then.

    The arguments must be JSON-serialisable (they are stored, and Celery sends JSON anyway).
    """
    row = PendingTask.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: dispatch(row_id=row.pk))
    return row


def dispatch(*, row_id: int) -> bool:
    """Hand one waiting row to the broker. True if it is sent (now or before)."""
    with transaction.atomic():
        row = (
            PendingTask.objects.select_for_update(skip_locked=True)
            .filter(pk=row_id, sent_at__isnull=True)
            .first()
        )
        if row is None:
            return not PendingTask.objects.filter(pk=row_id, sent_at__isnull=True).exists()
        return _send(row)


def is_waiting(task: Any, *args: Any) -> bool:
    """Is ``task(*args)`` owed and still not handed to the broker (broker unreachable)?"""
    return PendingTask.objects.filter(
        task=task.name, args=list(args), sent_at__isnull=True
    ).exists()


def dispatch_pending(*, now: Any = None) -> int:
    """Send every row still waiting (oldest first); stop at the first broker failure.

    Returns the number of rows sent. Also forgets rows sent more than a week ago.
    """
    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        rows = (
            PendingTask.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, created_at__lte=now - GRACE)
            # A row naming a task this process does not know (renamed, removed) stays in the
            # admin for a person to look at; it must not block the rows behind it.
            .filter(task__in=list(current_app.tasks))
            .order_by("created_at")[:SWEEP_BATCH]
        )
        for row in rows:
            if not _send(row):
                break
            sent += 1
    PendingTask.objects.filter(sent_at__lt=now - KEEP_SENT).delete()
    if sent:
        logger.info("Outbox : %s tâche(s) en attente transmise(s) au broker.", sent)
    return sent


def _send(row: PendingTask) -> bool:
    task = current_app.tasks[row.task]
    try:
        if current_app.conf.task_always_eager:
            task.apply_async(args=row.args, kwargs=row.kwargs)
        else:
            # No retry loop (kombu's default waits 6 s): a broker that is down must not hold
            # the request; the row waits for the sweeper.
            with current_app.producer_or_acquire() as producer:
                producer.connection.ensure_connection(max_retries=0)
                task.apply_async(args=row.args, kwargs=row.kwargs, producer=producer, retry=False)
    except BROKER_DOWN as exc:
        PendingTask.objects.filter(pk=row.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:1000]
        )
        logger.warning(
            "Broker injoignable : %s reste en attente (%s: %s).", row, type(exc).__name__, exc
        )
        return False
    PendingTask.objects.filter(pk=row.pk).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True
