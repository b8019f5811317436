"""Celery tasks of the public site."""

from celery import shared_task
from django.conf import settings

from atelier.emails import send_templated


@shared_task(acks_late=True, max_retries=5, default_retry_delay=60)
def contact_send(*, nom: str, email: str, objet: str, message: str) -> int:
    """Forward a message of the contact form to DGALN (Reply-To: the sender)."""
    return send_templated(
        template="public/emails/contact",
        to=[settings.ATELIER_CONTACT_EMAIL],
        context={"nom": nom, "email": email, "objet": objet, "message": message},
        reply_to=[email],
    )
