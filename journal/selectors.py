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


# Closed accounts get an address in this reserved domain (acteurs.donnees.compte_close).
DOMAINE_COMPTES_CLOS = "compte-clos.invalid"


def libeller(evenements: Iterable[EvenementAudit]) -> list[EvenementAudit]:
    """The entries as a list, each with ``action_libelle`` and ``avant_libelle`` /
    ``apres_libelle``: its state codes as the French labels of the audited model's status
    field (the code itself when unknown). Needs ``content_type`` selected.

    The trail is append-only: the author of an entry whose account was since closed is
    shown under the account's pseudonym (its current name), not the name written then."""
    evenements = list(evenements)
    champ_auteur = EvenementAudit._meta.get_field("auteur")
    a_charger = {
        ev.auteur_id for ev in evenements if ev.auteur_id and not champ_auteur.is_cached(ev)
    }
    pseudonymes = {
        ev.auteur_id: ev.auteur.first_name
        for ev in evenements
        if ev.auteur_id
        and champ_auteur.is_cached(ev)
        and ev.auteur.email.endswith(f"@{DOMAINE_COMPTES_CLOS}")
    }
    if a_charger:
        from django.contrib.auth import get_user_model

        pseudonymes |= {
            u.pk: u.first_name
            for u in get_user_model().objects.filter(
                pk__in=a_charger, email__endswith=f"@{DOMAINE_COMPTES_CLOS}"
            )
        }
    for ev in evenements:
        if ev.auteur_id in pseudonymes:
            ev.auteur_repr = pseudonymes[ev.auteur_id]
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
