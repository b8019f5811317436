"""Object permissions on ateliers, with ``rules``. DGALN sees and manages everything."""

import rules

from acteurs.models import Invitation
from acteurs.permissions import is_dgaln, is_equipe, is_participant, is_pilote
from atelier.workflow import register_actions

from .models import Atelier, Etape

rules.add_perm("ateliers.view_atelier", is_dgaln | is_participant)
rules.add_perm("ateliers.manage_atelier", is_dgaln | is_pilote)
rules.add_perm("ateliers.edit_etapes", is_dgaln | is_pilote)
rules.add_perm("ateliers.upload_document", is_dgaln | is_pilote | is_equipe)
rules.add_perm("ateliers.write_journal", is_dgaln | is_participant)
rules.add_perm("ateliers.invite", is_dgaln | is_pilote)
rules.add_perm("ateliers.publish_atelier", is_dgaln | is_pilote)
rules.add_perm("ateliers.manage_programme", is_dgaln)

# Who may ask for each transition (atelier.workflow.available_actions); the others are the
# platform's own.
register_actions(
    Atelier,
    perms={
        Atelier.Statut.EN_COURS: "ateliers.manage_atelier",
        Atelier.Statut.RESTITUE: "ateliers.manage_atelier",
        Atelier.Statut.EN_MISE_EN_OEUVRE: "ateliers.manage_atelier",
        Atelier.Statut.CLOS: "ateliers.manage_atelier",
    },
)
register_actions(
    Etape,
    perms={
        Etape.Statut.REALISEE: "ateliers.edit_etapes",
        Etape.Statut.ANNULEE: "ateliers.edit_etapes",
        Etape.Statut.PREVUE: "ateliers.edit_etapes",
    },
    target=lambda etape: etape.atelier,
)
# Accepting is done by the invited person through the link, not offered in the workspace.
register_actions(
    Invitation,
    perms={Invitation.Statut.ANNULEE: "ateliers.invite"},
    target=lambda invitation: invitation.atelier,
)
