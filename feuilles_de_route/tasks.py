"""Celery tasks of the roadmap: signature e-mails, the restitution PDF, follow-up reminders.

Each takes ids, calls one service, and is safe to run twice.
"""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_signature_request(signataire_requis_id: int) -> bool:
    """E-mail a required signatory the link to the read-and-sign page (not once signed)."""
    from .services import signature_request_send

    return signature_request_send(signataire_requis_id=signataire_requis_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_version_remplacee(signataire_requis_id: int, nouvelle_version_id: int) -> bool:
    """Tell a pending signatory that the version they were asked to sign was replaced."""
    from .services import version_remplacee_email

    return version_remplacee_email(
        signataire_requis_id=signataire_requis_id, nouvelle_version_id=nouvelle_version_id
    )


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    # The limits the README documents (ATELIER_TASK_SOFT_TIME_LIMIT, ATELIER_TASK_TIME_LIMIT):
    # the broker's visibility timeout is computed from them.
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def generate_rapport(rapport_id: int) -> None:
    """Render the restitution report PDF (idempotent; resumes a render left by a dead worker).

    Hitting the soft time limit (``SoftTimeLimitExceeded``) inside the render marks the report
    as failed, and the pilote can retry it.
    """
    from .services import rapport_generate

    rapport_generate(rapport_id=rapport_id)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
)
def generate_carnet(carnet_id: int) -> None:
    """Render an edition of the carnet de suivi (idempotent, like the report)."""
    from .services import carnet_generate

    carnet_generate(carnet_id=carnet_id)


@shared_task(acks_late=True)
def rapports_watchdog() -> int:
    """Beat, every minute: queue again the reports stuck past their deadline, and the
    re-renders owed after an account closure that are due again."""
    from .services import rapport_watchdog

    return rapport_watchdog()


@shared_task(acks_late=True)
def send_signature_reminders() -> int:
    """Beat, hourly: remind the signatories whose deadline is near (each once)."""
    from .services import signature_reminder_send, signature_reminders_due

    return sum(signature_reminder_send(signataire_requis_id=pk) for pk in signature_reminders_due())


@shared_task(acks_late=True)
def send_rappels_suivi() -> int:
    """Beat, daily: send the 6/12/36-month follow-up reminders that are due."""
    from .services import rappel_suivi_send, rappels_suivi_due

    return sum(rappel_suivi_send(feuille_id=f, mois=m) for f, m in rappels_suivi_due())


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_rappel_suivi(rappel_id: int) -> bool:
    """E-mail one follow-up reminder to the pilotes and the porteurs of actions."""
    from .services import rappel_suivi_email

    return rappel_suivi_email(rappel_id=rappel_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=240, time_limit=300)
def generate_synthese(synthese_id: int) -> None:
    """Render the national synthesis PDF (idempotent; resumes a render left by a dead worker)."""
    from .syntheses import synthese_generate

    synthese_generate(synthese_id=synthese_id)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    max_retries=8,
)
def rerender_document(self, nature: str, document_id: int, depuis: str | None = None) -> bool:
    """Render again a generated document (``rapport``, ``carnet``, ``synthese``) owed a new
    render since a person it may name closed their account; keeps the old hash verifiable.
    Safe to run twice: once done, nothing is owed. Waits (retries) while the document is
    being rendered, and after a transient storage error; a failed render is recorded and
    tried again by the watchdog. ``depuis`` (ISO 8601): only in tasks queued by an earlier
    release."""
    import datetime as dt

    from .documents import GENRES, DocumentEnCours, document_rerender

    try:
        return document_rerender(
            genre=GENRES[nature],
            document_id=document_id,
            depuis=dt.datetime.fromisoformat(depuis) if depuis else None,
        )
    except (DocumentEnCours, OSError) as exc:
        if self.request.is_eager:
            # No worker to wait for (development without Redis): a retry would loop here.
            logger.warning("Re-rendu de %s %s impossible maintenant : %s", nature, document_id, exc)
            return False
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
