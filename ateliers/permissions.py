"""Object permissions on ateliers, with ``rules``. DGALN sees and manages everything."""

import rules

from acteurs.permissions import is_dgaln, is_equipe, is_participant, is_pilote

rules.add_perm("ateliers.view_atelier", is_dgaln | is_participant)
rules.add_perm("ateliers.manage_atelier", is_dgaln | is_pilote)
rules.add_perm("ateliers.edit_etapes", is_dgaln | is_pilote)
rules.add_perm("ateliers.upload_document", is_dgaln | is_pilote | is_equipe)
rules.add_perm("ateliers.write_journal", is_dgaln | is_participant)
rules.add_perm("ateliers.invite", is_dgaln | is_pilote)
rules.add_perm("ateliers.publish_atelier", is_dgaln | is_pilote)
rules.add_perm("ateliers.manage_programme", is_dgaln)
# The fiche de capitalisation (issue 17): the pilote writes and submits it, DGALN reviews it.
rules.add_perm("ateliers.edit_fiche", is_dgaln | is_pilote)
rules.add_perm("ateliers.review_fiche", is_dgaln)
