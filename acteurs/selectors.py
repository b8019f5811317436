"""Reads for people, participants and the personal workspace."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from atelier import contributions

from .models import Invitation, Organisation, Participation


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


@dataclass
class Espace:
    participations: list = field(default_factory=list)
    candidatures: list = field(default_factory=list)
    signatures: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    etapes: list = field(default_factory=list)
    livrables: list = field(default_factory=list)
    consultations: list = field(default_factory=list)
    rapports: list = field(default_factory=list)
    instruit_candidatures: bool = False

    @property
    def a_faire(self) -> int:
        return sum(
            len(items)
            for items in (
                self.signatures,
                self.invitations,
                self.etapes,
                self.livrables,
                self.consultations,
                self.rapports,
            )
        )


def espace_for_user(user: Any, *, today: dt.date | None = None) -> Espace:
    """What ``/espace/`` shows: my ateliers and role, my candidatures, what awaits me (the
    roadmaps to sign, my invitations, and the stages still to come this week).

    Candidatures, stages and signatures come from the apps that hold them, through
    ``atelier.contributions`` (slot ``ESPACE``)."""
    participations = list(
        Participation.objects.filter(acteur__utilisateur=user)
        .select_related("atelier", "atelier__territoire")
        .order_by("-atelier__annee", "atelier__titre")
    )
    invitations = list(
        Invitation.objects.filter(
            email__iexact=user.email,
            statut=Invitation.Statut.ENVOYEE,
            expire_le__gt=timezone.now(),
        ).select_related("atelier")
    )
    today = today or timezone.localdate()
    return Espace(
        participations=participations,
        invitations=invitations,
        **contributions.gather(contributions.ESPACE, user=user, today=today),
    )


def organisations_search(requete: str, *, limite: int = 20) -> list[Organisation]:
    """Organisations whose name contains every word of ``requete`` (case aside), those
    starting with it first; nothing under 2 characters."""
    mots = (requete or "").split()
    if len("".join(mots)) < 2:
        return []
    qs = Organisation.objects.all()
    for mot in mots[:5]:
        qs = qs.filter(nom__icontains=mot[:50])
    debut = mots[0].lower()
    trouvees = list(qs.order_by("nom")[: limite * 3])
    trouvees.sort(key=lambda o: (not o.nom.lower().startswith(debut), o.nom.lower()))
    return trouvees[:limite]
