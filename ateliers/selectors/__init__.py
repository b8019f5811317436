"""Reads for sessions, calls and ateliers."""

from django.db.models import Count, Q
from django.utils import timezone

from ateliers.models import AppelACandidatures, Atelier, SessionNationale


def appels_ouverts():
    """Published calls open now (à-la-carte calls have no closing date)."""
    now = timezone.now()
    return (
        AppelACandidatures.objects.filter(
            statut=AppelACandidatures.Statut.PUBLIE, ouverture__lte=now
        )
        .filter(Q(cloture__isnull=True) | Q(cloture__gt=now))
        .select_related("session")
        .order_by("cloture", "-ouverture")
    )


def chiffres_programme() -> dict:
    ateliers = Atelier.objects.publies().aggregate(
        laureats=Count("territoire", distinct=True), ateliers=Count("id")
    )
    return {**ateliers, "sessions": SessionNationale.objects.count()}
