"""Reads of the audit trail: an atelier's history, the DGALN log, and their French labels."""

import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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
        model = ev.content_type.model_class() if ev.content_type else None
        libelles = _libelles_etats(model)
        ev.action_libelle = libelle_action(ev.action)
        ev.type_libelle = libelle_type(model)
        ev.avant_libelle = libelles.get(ev.etat_avant, ev.etat_avant)
        ev.apres_libelle = libelles.get(ev.etat_apres, ev.etat_apres)
        ev.changement = changement(ev.avant_libelle, ev.apres_libelle)
    return evenements


def changement(avant: str, apres: str) -> str:
    """A change of state in words: « de « En préparation » à « En cours » »; the state
    reached alone when there was none before (a creation), the state left alone when
    there is none after (a removal)."""
    if avant and apres:
        return _("de « %(a)s » à « %(b)s »") % {"a": avant, "b": apres}
    if apres:
        return _("état : « %(b)s »") % {"b": apres}
    if avant:
        return _("était « %(a)s »") % {"a": avant}
    return ""


# Where the model's own name would puzzle a reader of the journal.
TYPES = {
    "acteurs.Utilisateur": _lazy("Compte"),
    "sites.Site": _lazy("Plateforme"),
    "feuilles_de_route.Action": _lazy("Action de la feuille de route"),
}


def libelle_type(model: Any) -> str:
    """The French name of an audited object's type ("Version de feuille de route"), never
    Django's content-type label ("feuilles_de_route | version")."""
    if model is None:
        return str(_("Objet supprimé"))
    if model._meta.label in TYPES:
        return str(TYPES[model._meta.label])
    return capfirst(str(model._meta.verbose_name))


@functools.cache
def _libelles_etats(model: Any) -> dict[str, str]:
    """French labels of the state codes of ``model``: the choices of its ``statut*`` fields
    (``atelier.workflow.transition`` records the value of such a field)."""
    if model is None:
        return {}
    libelles: dict[str, str] = {}
    for f in model._meta.get_fields():
        recorded = f.name.startswith("statut") or f.name in ETAT_FIELDS
        if recorded and getattr(f, "choices", None):
            libelles.update({str(code): str(label) for code, label in f.flatchoices})
    return libelles


# Fields other than ``statut*`` whose values the trail records as states: a participant's
# role ("Technicien·ne", not "technicien"), how a comment was taken into account.
ETAT_FIELDS = ("role", "prise_en_compte", "etat")


def journal() -> QuerySet[EvenementAudit]:
    """Every audit entry, for the DGALN log (filtered by ``journal.filters.JournalFilter``)."""
    return EvenementAudit.objects.select_related("auteur", "content_type", "atelier").order_by(
        "-quand", "-id"
    )
