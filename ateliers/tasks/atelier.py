"""Tasks for a running atelier: stage notifications with their .ics."""

from celery import shared_task
from django.core.cache import cache


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notifier_etape(etape_id: int, evenement: str, cle: str = "") -> int:
    """E-mail the participants about stage ``etape_id`` (planifiee, deplacee, annulee).

    Safe to run twice: a delivery already made for the same stage, event and key is skipped.
    """
    from ateliers.services.atelier import etape_notifier

    marque = f"notifier_etape:{etape_id}:{evenement}:{cle}"
    if cle and cache.get(marque):
        return 0
    envoyes = etape_notifier(etape_id=etape_id, evenement=evenement)
    if cle:
        cache.set(marque, 1, timeout=7 * 24 * 3600)
    return envoyes
