"""Object permissions on roadmaps; the object passed is the atelier."""

import rules

from acteurs.models import Role
from acteurs.permissions import (
    has_role,
    is_agent_etat,
    is_dgaln,
    is_equipe,
    is_participant,
    is_pilote,
)


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
rules.add_perm("feuilles_de_route.send_for_signature", is_dgaln | is_pilote)
# Who may be named signatory and sign: an élu with a vouched mandate; for the State, a
# vetted State agent taking part as pilote or observateur (a DREAL partner, the prefecture).
rules.add_perm("feuilles_de_route.sign_elu", has_elu_mandate)
rules.add_perm(
    "feuilles_de_route.sign_etat", is_agent_etat & has_role(Role.PILOTE, Role.OBSERVATEUR)
)
rules.add_perm("feuilles_de_route.publish_feuille", is_dgaln | is_pilote)
rules.add_perm("feuilles_de_route.generate_rapport", is_dgaln | is_pilote)
# The national follow-up of every roadmap (/gestion/suivi/): no object.
rules.add_perm("feuilles_de_route.view_suivi_national", is_dgaln)
