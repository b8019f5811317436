from celery import shared_task


@shared_task(acks_late=True)
def dispatch_pending() -> int:
    """Beat, every 30 seconds: hand to the broker the tasks a broker outage left waiting."""
    from .services import dispatch_pending as sweep

    return sweep()
