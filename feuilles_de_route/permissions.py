"""Object permissions on roadmaps; the object passed is the atelier."""

import rules

from acteurs.permissions import is_dgaln, is_equipe, is_participant, is_pilote
from atelier.workflow import register_actions

from .models import Rapport, Version

rules.add_perm("feuilles_de_route.view_feuille", is_dgaln | is_participant)
rules.add_perm("feuilles_de_route.edit_feuille", is_dgaln | is_pilote | is_equipe)
rules.add_perm("feuilles_de_route.send_for_signature", is_dgaln | is_pilote)
rules.add_perm("feuilles_de_route.publish_feuille", is_dgaln | is_pilote)
rules.add_perm("feuilles_de_route.generate_rapport", is_dgaln | is_pilote)
# The national follow-up of every roadmap (/gestion/suivi/): no object.
rules.add_perm("feuilles_de_route.view_suivi_national", is_dgaln)

# Who may ask for each transition (atelier.workflow.available_actions). A version is replaced
# by the next one and adopted by its last signature; a report is rendered by its task.
register_actions(
    Version,
    perms={Version.Statut.EN_SIGNATURE: "feuilles_de_route.send_for_signature"},
    target=lambda version: version.feuille.atelier,
)
register_actions(
    Rapport,
    perms={Rapport.Statut.EN_ATTENTE: "feuilles_de_route.generate_rapport"},
    target=lambda rapport: rapport.atelier,
)
