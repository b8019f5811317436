"""Reads for people, participants, the personal workspace and the audit trail."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import EvenementAudit, Invitation, Participation


def participations_of_atelier(atelier: Any) -> QuerySet[Participation]:
    """Participants of an atelier, grouped by role then organisation in the template."""
    return (
        Participation.objects.filter(atelier=atelier)
        .select_related("acteur", "acteur__organisation", "acteur__utilisateur")
        .order_by("role", "acteur__organisation__nom", "acteur__nom", "acteur__prenom")
    )


def pending_invitations_of_atelier(atelier: Any) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            atelier=atelier, statut=Invitation.Statut.ENVOYEE, expire_le__gt=timezone.now()
        )
        .select_related("invitee_par")
        .order_by("-cree_le")
    )


def historique_atelier(atelier: Any, *, limit: int | None = 50) -> list[EvenementAudit]:
    """The audit entries of one atelier, newest first, for ``acteurs/includes/historique.html``.

    Each entry gets ``avant_libelle`` / ``apres_libelle``: its state codes turned into the
    French labels of the audited model's status field (the code itself when unknown).
    """
    qs = (
        EvenementAudit.objects.filter(atelier=atelier)
        .select_related("auteur", "content_type")
        .order_by("-quand", "-id")
    )
    evenements = list(qs[:limit] if limit else qs)
    for ev in evenements:
        libelles = _libelles_etats(ev.content_type.model_class() if ev.content_type else None)
        ev.avant_libelle = libelles.get(ev.etat_avant, ev.etat_avant)
        ev.apres_libelle = libelles.get(ev.etat_apres, ev.etat_apres)
    return evenements


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
    """Every audit entry, for the DGALN log (filtered by ``acteurs.filters.JournalFilter``)."""
    return EvenementAudit.objects.select_related("auteur", "content_type", "atelier").order_by(
        "-quand", "-id"
    )


@dataclass
class Espace:
    participations: list = field(default_factory=list)
    candidatures: list = field(default_factory=list)
    signatures: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    etapes: list = field(default_factory=list)

    @property
    def a_faire(self) -> int:
        return len(self.signatures) + len(self.invitations) + len(self.etapes)


def espace_for_user(user: Any, *, today: dt.date | None = None) -> Espace:
    """What ``/espace/`` shows: my ateliers and role, my candidatures, what awaits me (the
    roadmaps to sign, my invitations, and the stages still to come this week)."""
    from ateliers.models import Candidature
    from ateliers.selectors.atelier import prochaines_etapes
    from feuilles_de_route.selectors import signatures_attendues

    participations = list(
        Participation.objects.filter(acteur__utilisateur=user)
        .select_related("atelier", "atelier__territoire")
        .order_by("-atelier__annee", "atelier__titre")
    )
    candidatures = list(
        Candidature.objects.filter(auteur=user).select_related("appel").order_by("-id")
    )
    invitations = list(
        Invitation.objects.filter(
            email__iexact=user.email,
            statut=Invitation.Statut.ENVOYEE,
            expire_le__gt=timezone.now(),
        ).select_related("atelier")
    )
    today = today or timezone.localdate()
    fin_semaine = today + dt.timedelta(days=7 - today.weekday())
    tz = timezone.get_current_timezone()
    etapes = list(
        prochaines_etapes(
            user, limite=None, avant=dt.datetime.combine(fin_semaine, dt.time.min, tzinfo=tz)
        )
    )
    return Espace(
        participations=participations,
        candidatures=candidatures,
        signatures=list(signatures_attendues(user)),
        invitations=invitations,
        etapes=etapes,
    )
