"""Object permissions on roadmaps; the object passed is the atelier (unless said otherwise)."""

from typing import Any

import rules

from acteurs.models import Acteur, Role
from acteurs.permissions import (
    has_role,
    is_agent_etat,
    is_dgaln,
    is_equipe,
    is_participant,
    is_pilote,
    roles_in_atelier,
)
from atelier.workflow import register_actions

from .models import Consultation, Rapport, Version


@rules.predicate
def can_follow_up(user: Any, action: Any) -> bool:
    """Pilote, équipe, DGALN, or a participant whose organisation carries the action."""
    atelier = action.axe.feuille.atelier
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_perm("feuilles_de_route.edit_feuille", atelier):
        return True
    return bool(
        action.porteur_id
        and roles_in_atelier(user, atelier)
        and Acteur.objects.filter(utilisateur=user, organisation_id=action.porteur_id).exists()
    )


def follow_up_scope(user: Any, atelier: Any) -> tuple[bool, set[int]]:
    """(may follow every action, organisations whose actions they may follow), in one query."""
    if not getattr(user, "is_authenticated", False):
        return False, set()
    if user.has_perm("feuilles_de_route.edit_feuille", atelier):
        return True, set()
    if not roles_in_atelier(user, atelier):
        return False, set()
    ids = Acteur.objects.filter(utilisateur=user, organisation__isnull=False).values_list(
        "organisation_id", flat=True
    )
    return False, set(ids)


@rules.predicate
def has_elu_mandate(user, atelier) -> bool:
    """An élu of the atelier whose mandate the pilote vouched for (on the invitation)."""
    from acteurs.models import Participation

    if not getattr(user, "is_authenticated", False) or atelier is None:
        return False
    return (
        Participation.objects.filter(
            atelier=atelier, acteur__utilisateur=user, role=Role.ELU, atteste_par_nom__gt=""
        )
        .exclude(mandat="")
        .exists()
    )


rules.add_perm("feuilles_de_route.view_feuille", is_dgaln | is_participant)
rules.add_perm("feuilles_de_route.edit_feuille", is_dgaln | is_pilote | is_equipe)
# The working draft and the frozen versions not yet put before everyone (concertation,
# signature, adoption): not for socio-professionals and inhabitants.
rules.add_perm(
    "feuilles_de_route.view_brouillon",
    is_dgaln | has_role(Role.PILOTE, Role.EQUIPE, Role.ELU, Role.TECHNICIEN, Role.OBSERVATEUR),
)
rules.add_perm("feuilles_de_route.send_for_signature", is_dgaln | is_pilote)
# Who may be named signatory and sign: an élu with a vouched mandate; for the State, a
# vetted State agent taking part as pilote or observateur (a DREAL partner, the prefecture).
rules.add_perm("feuilles_de_route.sign_elu", has_elu_mandate)
rules.add_perm(
    "feuilles_de_route.sign_etat", is_agent_etat & has_role(Role.PILOTE, Role.OBSERVATEUR)
)
rules.add_perm("feuilles_de_route.publish_feuille", is_dgaln | is_pilote)
rules.add_perm("feuilles_de_route.generate_rapport", is_dgaln | is_pilote)
rules.add_perm("feuilles_de_route.generate_carnet", is_dgaln | is_pilote)
# Concertation on a frozen draft: the pilote opens it, answers, moderates and closes it; the
# local actors comment and support (the consultation itself says which of these roles it invites).
rules.add_perm("feuilles_de_route.manage_consultation", is_dgaln | is_pilote)
COMMENTING_ROLES = (Role.ELU, Role.TECHNICIEN, Role.SOCIO_PROFESSIONNEL, Role.HABITANT)
rules.add_perm("feuilles_de_route.comment_consultation", has_role(*COMMENTING_ROLES))
# A check-in on an action of the adopted roadmap (object: the Action).
rules.add_perm("feuilles_de_route.follow_up_action", can_follow_up)
# The national follow-up of every roadmap (/gestion/suivi/): no object.
rules.add_perm("feuilles_de_route.view_suivi_national", is_dgaln)

# Who may ask for each transition (atelier.workflow.available_actions). A version is replaced
# by the next one and adopted by its last signature; a report is rendered by its task.
register_actions(
    Version,
    perms={Version.Statut.EN_SIGNATURE: "feuilles_de_route.send_for_signature"},
    target=lambda version: version.feuille.atelier,
)


def _rapport_refusal(rapport: Rapport) -> str:
    from .services import rapport_refusal

    return rapport_refusal(rapport)


register_actions(
    Rapport,
    perms={Rapport.Statut.EN_ATTENTE: "feuilles_de_route.generate_rapport"},
    target=lambda rapport: rapport.atelier,
    guards={Rapport.Statut.EN_ATTENTE: _rapport_refusal},
)
# The national indicator catalogue (/gestion/indicateurs/): no object.
rules.add_perm("feuilles_de_route.manage_indicateurs", is_dgaln)
# The national synthesis PDF (/gestion/syntheses/): no object.
rules.add_perm("feuilles_de_route.manage_syntheses", is_dgaln)
# Relaunch a re-render after an account closure that failed for good (/gestion/): no object.
rules.add_perm("feuilles_de_route.manage_regenerations", is_dgaln)
register_actions(
    Consultation,
    perms={Consultation.Statut.CLOSE: "feuilles_de_route.manage_consultation"},
    target=lambda consultation: consultation.version.feuille.atelier,
)
