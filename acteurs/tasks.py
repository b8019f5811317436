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
