"""Object permissions on ateliers, with ``rules``. DGALN sees and manages everything."""

import rules
from django.utils.translation import gettext as _

from acteurs.models import Invitation, Role
from acteurs.permissions import has_role, is_dgaln, is_equipe, is_participant, is_pilote
from atelier.workflow import register_actions

from .formats import NatureEtape
from .models import Atelier, Etape

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


def restitution_refusal(atelier: Atelier) -> str:
    """Why a running atelier may not be "restitué" yet ("" when it may)."""
    if atelier.statut != Atelier.Statut.EN_COURS:
        return ""
    held = atelier.etapes.filter(
        nature=NatureEtape.RESTITUTION, statut=Etape.Statut.REALISEE
    ).exists()
    if held:
        return ""
    return _(
        "L'atelier ne peut pas passer à « restitué » : le séminaire de restitution "
        "n'est pas encore marqué comme réalisé."
    )


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
    guards={Atelier.Statut.RESTITUE: restitution_refusal},
)


def _realisation_refusal(etape: Etape) -> str:
    from .services import realisation_refusal

    return realisation_refusal(etape)


register_actions(
    Etape,
    perms={
        Etape.Statut.REALISEE: "ateliers.edit_etapes",
        Etape.Statut.ANNULEE: "ateliers.edit_etapes",
        Etape.Statut.PREVUE: "ateliers.edit_etapes",
    },
    target=lambda etape: etape.atelier,
    guards={Etape.Statut.REALISEE: _realisation_refusal},
)
# Accepting is done by the invited person through the link, not offered in the workspace.
register_actions(
    Invitation,
    perms={Invitation.Statut.ANNULEE: "ateliers.invite"},
    target=lambda invitation: invitation.atelier,
)
# The fiche de capitalisation (issue 17): the pilote writes and submits it, DGALN reviews it.
rules.add_perm("ateliers.edit_fiche", is_dgaln | is_pilote)
rules.add_perm("ateliers.review_fiche", is_dgaln)
