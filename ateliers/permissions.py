"""Object permissions on ateliers, with ``rules``. DGALN sees and manages everything."""

import rules

from acteurs.models import Role
from acteurs.permissions import has_role, is_dgaln, is_equipe, is_participant, is_pilote

rules.add_perm("ateliers.view_atelier", is_dgaln | is_participant)
rules.add_perm("ateliers.manage_atelier", is_dgaln | is_pilote)
rules.add_perm("ateliers.edit_etapes", is_dgaln | is_pilote)
rules.add_perm("ateliers.upload_document", is_dgaln | is_pilote | is_equipe)
# The logbook (cahier de suivi) is where the atelier's actors write and comment; the
# socio-professionals and inhabitants give their opinion where invited (stages,
# consultations), the observateurs read without contributing (README, "Les rôles").
rules.add_perm(
    "ateliers.write_journal",
    is_dgaln | has_role(Role.PILOTE, Role.EQUIPE, Role.ELU, Role.TECHNICIEN),
)
rules.add_perm("ateliers.invite", is_dgaln | is_pilote)
rules.add_perm("ateliers.publish_atelier", is_dgaln | is_pilote)
rules.add_perm("ateliers.manage_programme", is_dgaln)
