"""Celery tasks of the acteurs app: ids in, one service called, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def envoyer_invitation(invitation_id: int) -> bool:
    """Send the e-mail of a pending invitation (does nothing once it is accepted or cancelled)."""
    return services.invitation_send_email(invitation_id=invitation_id)


@shared_task(acks_late=True)
def envoyer_resumes() -> int:
    """Beat, hourly: the daily and weekly digests due (each person once per period)."""
    return sum(
        services.resume_send(user_id=user_id, periode=periode)
        for user_id, periode in services.resumes_due()
    )
