"""Reads of the audit trail: an atelier's history, the DGALN log, and their French labels."""

import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .models import Action, EvenementAudit


def historique_atelier(atelier: Any, *, limit: int | None = 50) -> list[EvenementAudit]:
    """The audit entries of one atelier, newest first, for ``journal/includes/historique.html``
    (labelled by ``libeller``)."""
    qs = (
        EvenementAudit.objects.filter(atelier=atelier)
        .select_related("auteur", "content_type")
        .order_by("-quand", "-id")
    )
    return libeller(qs[:limit] if limit else qs)


def libelle_action(code: str) -> str:
    """The French name of an audited action (:class:`~journal.models.Action`); the code
    itself for an action no longer written."""
    try:
        return str(Action(code).label)
    except ValueError:
        return code


def libeller(evenements: Iterable[EvenementAudit]) -> list[EvenementAudit]:
    """The entries as a list, each with ``action_libelle`` and ``avant_libelle`` /
    ``apres_libelle``: its state codes as the French labels of the audited model's status
    field (the code itself when unknown). Needs ``content_type`` selected."""
    evenements = list(evenements)
    for ev in evenements:
        libelles = _libelles_etats(ev.content_type.model_class() if ev.content_type else None)
        ev.action_libelle = libelle_action(ev.action)
        ev.avant_libelle = libelles.get(ev.etat_avant, ev.etat_avant)
        ev.apres_libelle = libelles.get(ev.etat_apres, ev.etat_apres)
    return evenements


@functools.cache
def _libelles_etats(model: Any) -> dict[str, str]:
    """French labels of the state codes of ``model``: the choices of its ``statut*`` fields
    (``atelier.workflow.transition`` records the value of such a field)."""
    if model is None:
        return {}
    libelles: dict[str, str] = {}
    for f in model._meta.get_fields():
        if f.name.startswith("statut") and getattr(f, "choices", None):
            libelles.update({str(code): str(label) for code, label in f.flatchoices})
    return libelles


def journal() -> QuerySet[EvenementAudit]:
    """Every audit entry, for the DGALN log (filtered by ``journal.filters.JournalFilter``)."""
    return EvenementAudit.objects.select_related("auteur", "content_type", "atelier").order_by(
        "-quand", "-id"
    )
