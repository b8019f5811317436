"""Object permissions on roadmaps; the object passed is the atelier."""

import rules

from acteurs.permissions import is_dgaln, is_equipe, is_participant, is_pilote

rules.add_perm("feuilles_de_route.view_feuille", is_dgaln | is_participant)
rules.add_perm("feuilles_de_route.edit_feuille", is_dgaln | is_pilote | is_equipe)
rules.add_perm("feuilles_de_route.send_for_signature", is_dgaln | is_pilote)
rules.add_perm("feuilles_de_route.publish_feuille", is_dgaln | is_pilote)
rules.add_perm("feuilles_de_route.generate_rapport", is_dgaln | is_pilote)
# The national follow-up of every roadmap (/gestion/suivi/): no object.
rules.add_perm("feuilles_de_route.view_suivi_national", is_dgaln)
# The national indicator catalogue (/gestion/indicateurs/): no object.
rules.add_perm("feuilles_de_route.manage_indicateurs", is_dgaln)
# The national synthesis PDF (/gestion/syntheses/): no object.
rules.add_perm("feuilles_de_route.manage_syntheses", is_dgaln)
