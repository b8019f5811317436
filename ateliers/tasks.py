"""Tasks for a running atelier: stage notifications with their .ics."""

from celery import shared_task


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notifier_etape(etape_id: int, evenement: str, cle: str = "") -> int:
    """E-mail the participants about stage ``etape_id`` (planifiee, deplacee, annulee).

    Safe to run twice, even at the same time: each e-mail of the change ``cle`` is recorded in
    the database as it is sent (not in the cache, which a flush or an eviction empties), so a
    redelivered or retried task sends only what did not go yet.
    """
    from ateliers.services import etape_notifier

    return etape_notifier(etape_id=etape_id, evenement=evenement, cle=cle)
