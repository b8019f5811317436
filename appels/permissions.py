"""Object permissions on candidatures, with ``rules``. DGALN instructs every candidature."""

from typing import Any

import rules

from acteurs.permissions import is_dgaln
from atelier.workflow import register_actions

from .models import AppelACandidatures, Candidature

# --- Candidatures (object: a Candidature) ---------------------------------------------------


@rules.predicate
def is_auteur_candidature(user, candidature) -> bool:
    return bool(getattr(user, "is_authenticated", False) and candidature.auteur_id == user.pk)


@rules.predicate
def is_rapporteur_candidature(user, candidature) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return candidature.rapporteurs.filter(pk=user.pk).exists()


def peut_acceder_gestion_candidatures(user: Any) -> bool:
    """The instruction back-office: DGALN, or a rapporteur with an assigned candidature."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_dgaln(user) or user.candidatures_a_instruire.exists()


rules.add_perm(
    "appels.view_candidature",
    is_dgaln | is_auteur_candidature | is_rapporteur_candidature,
)
rules.add_perm("appels.edit_candidature", is_auteur_candidature)
rules.add_perm("appels.instruct_candidature", is_dgaln)
rules.add_perm("appels.review_candidature", is_dgaln | is_rapporteur_candidature)
rules.add_perm("appels.give_avis", is_rapporteur_candidature)

# Who may ask for each transition (atelier.workflow.available_actions).
register_actions(
    AppelACandidatures,
    perms={
        AppelACandidatures.Statut.PUBLIE: "ateliers.manage_programme",
        AppelACandidatures.Statut.CLOS: "ateliers.manage_programme",
        AppelACandidatures.Statut.DECIDE: "ateliers.manage_programme",
    },
    target=lambda appel: None,
)
register_actions(
    Candidature,
    perms={
        Candidature.Statut.DEPOSEE: "appels.edit_candidature",
        Candidature.Statut.RECEVABLE: "appels.instruct_candidature",
        Candidature.Statut.IRRECEVABLE: "appels.instruct_candidature",
        Candidature.Statut.EN_INSTRUCTION: "appels.instruct_candidature",
        Candidature.Statut.RETENUE: "appels.instruct_candidature",
        Candidature.Statut.NON_RETENUE: "appels.instruct_candidature",
    },
)
