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


# --- Candidatures (object: a Candidature) ---------------------------------------------------


@rules.predicate
def is_auteur_candidature(user, candidature) -> bool:
    return bool(getattr(user, "is_authenticated", False) and candidature.auteur_id == user.pk)


@rules.predicate
def is_rapporteur_candidature(user, candidature) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return candidature.rapporteurs.filter(pk=user.pk).exists()


rules.add_perm(
    "ateliers.view_candidature",
    is_dgaln | is_auteur_candidature | is_rapporteur_candidature,
)
rules.add_perm("ateliers.edit_candidature", is_auteur_candidature)
rules.add_perm("ateliers.instruct_candidature", is_dgaln)
rules.add_perm("ateliers.review_candidature", is_dgaln | is_rapporteur_candidature)
rules.add_perm("ateliers.give_avis", is_rapporteur_candidature)
