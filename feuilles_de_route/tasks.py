"""Celery tasks of the roadmap: signature e-mails, the restitution PDF, follow-up reminders.

Each takes ids, calls one service or sends one e-mail, and is safe to run twice.
"""

from celery import shared_task
from django.urls import reverse

from atelier.emails import send_templated


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_signature_request(signataire_requis_id: int) -> None:
    """E-mail a required signatory the link to the read-and-sign page.

    Does nothing once the version has left signature or the signatory has signed, so a
    retried or duplicated task never asks someone to sign twice.
    """
    from .models import SignataireRequis, Signature

    requis = (
        SignataireRequis.objects.select_related(
            "version__feuille__atelier__territoire", "utilisateur"
        )
        .filter(pk=signataire_requis_id)
        .first()
    )
    if requis is None or requis.version.statut != "en_signature":
        return
    if Signature.objects.filter(
        version_id=requis.version_id, signataire_id=requis.utilisateur_id
    ).exists():
        return
    version = requis.version
    atelier = version.feuille.atelier
    send_templated(
        template="feuilles_de_route/emails/demande_signature",
        to=[requis.utilisateur.email],
        context={
            "requis": requis,
            "version": version,
            "atelier": atelier,
            "lien": reverse(
                "feuilles_de_route:signer", kwargs={"pk": atelier.pk, "numero": version.numero}
            ),
        },
    )


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=180,
    time_limit=240,
)
def generate_rapport(rapport_id: int) -> None:
    """Render the restitution report PDF (idempotent; resumes a render left by a dead worker).

    Hitting the soft time limit (``SoftTimeLimitExceeded``) inside the render marks the report
    as failed, and the pilote can retry it.
    """
    from .services import rapport_generate

    rapport_generate(rapport_id=rapport_id)


@shared_task(acks_late=True)
def send_rappels_suivi() -> int:
    """Beat, daily: send the 6/12/36-month follow-up reminders that are due."""
    from .services import rappel_suivi_send, rappels_suivi_due

    return sum(rappel_suivi_send(feuille_id=f, mois=m) for f, m in rappels_suivi_due())


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_rappel_suivi(rappel_id: int) -> None:
    """E-mail one follow-up reminder to the pilotes and the porteurs of actions."""
    from .models import RappelSuivi
    from .services import rappel_recipients

    rappel = RappelSuivi.objects.select_related("feuille__atelier").filter(pk=rappel_id).first()
    if rappel is None:
        return
    atelier = rappel.feuille.atelier
    send_templated(
        template="feuilles_de_route/emails/rappel_suivi",
        to=rappel_recipients(rappel.feuille),
        context={
            "rappel": rappel,
            "atelier": atelier,
            "lien": reverse("feuilles_de_route:suivi", kwargs={"pk": atelier.pk}),
        },
    )
