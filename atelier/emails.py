"""Three-part e-mails: ``<prefix>_subject.txt``, ``<prefix>_body.txt`` and ``<prefix>_body.html``.

Called from Celery tasks (queued with ``transaction.on_commit``), never from a view directly,
so that a rolled-back change sends nothing.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

from .identite import identite


def send_templated(
    *,
    template: str,
    to: Iterable[str],
    context: dict,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    reply_to: Iterable[str] = (),
    headers: dict[str, str] | None = None,
) -> int:
    """Render and send one e-mail to each recipient listed in ``to`` (one message, To: all).

    ``template`` is a prefix such as ``"appels/emails/candidature_recue"``.
    ``attachments`` are ``(filename, content, mimetype)`` tuples; ``headers`` extra headers
    (``List-Unsubscribe``…).
    """
    recipients = [address for address in to if address]
    if not recipients:
        return 0
    context = {
        "SITE_URL": settings.SITE_URL,
        "SERVICE_NAME": "Atelier des territoires",
        **identite(),
        **context,
    }
    subject = render_text(f"{template}_subject.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    text = render_text(f"{template}_body.txt", context)
    html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=list(reply_to) or None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message.send()


def render_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping (``d'Armor``, not ``d&#x27;Armor``).

    Autoescaping is switched off for the whole render (templates it extends or includes too),
    so a text template that forgets ``{% autoescape off %}`` cannot mangle a name; the HTML
    body is rendered normally, escaped.
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


def send_once(*, record: Callable[[], object] | None, **kwargs) -> bool:
    """``send_templated`` at most once; returns whether the e-mail went out.

    ``record`` proves the sending in the database, in one of two ways: it creates a row
    under a unique constraint (an existing row raises ``IntegrityError``), or it claims an
    existing row with a conditional update and returns the number of rows updated (``0``:
    already claimed). Claim and sending share a transaction: a failed sending leaves no
    proof, so a retry sends; an earlier delivery of the task, or a concurrent one (which
    waits on the row lock until the first commits), sends nothing.
    Without ``record``, the e-mail is simply sent.
    """
    try:
        with transaction.atomic():
            if record is not None and record() == 0:
                return False
            send_templated(**kwargs)
    except IntegrityError:
        return False
    return True
