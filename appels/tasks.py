"""Tasks for calls and candidatures: notifications (applicants, reviewers) and deadline
reminders."""

from celery import shared_task


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def notifier_candidature(candidature_id: int, nature: str) -> bool:
    """E-mail the applicant about their candidature (receipt, admissibility, decision,
    reminder). Safe to run twice: each notification is recorded once."""
    from appels.services import candidature_notifier

    return candidature_notifier(candidature_id=candidature_id, nature=nature)


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_kwargs={"max_retries": 5},
)
def notifier_rapporteur(candidature_id: int, rapporteur_id: int) -> bool:
    """E-mail a reviewer newly assigned to a candidature. Safe to run twice: each
    assignment is announced once."""
    from appels.services import rapporteur_notifier

    return rapporteur_notifier(candidature_id=candidature_id, rapporteur_id=rapporteur_id)


@shared_task(acks_late=True)
def rappels_cloture() -> int:
    """Run by beat every hour: queue the 7-day and 1-day reminders to authors of drafts."""
    from appels.services import rappels_cloture_planifier

    return rappels_cloture_planifier()


@shared_task(acks_late=True)
def purger_donnees_expirees() -> dict:
    """Run by beat daily: delete what the retention periods say (candidatures not retained,
    expired invitations, security traces) and log what was removed. Safe to run twice."""
    from appels.services import retention_run

    return retention_run()
