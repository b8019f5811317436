"""Object permissions on candidatures, with ``rules``. DGALN instructs every candidature."""

import rules

from acteurs.permissions import is_dgaln

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
    "appels.view_candidature",
    is_dgaln | is_auteur_candidature | is_rapporteur_candidature,
)
rules.add_perm("appels.edit_candidature", is_auteur_candidature)
rules.add_perm("appels.instruct_candidature", is_dgaln)
rules.add_perm("appels.review_candidature", is_dgaln | is_rapporteur_candidature)
rules.add_perm("appels.give_avis", is_rapporteur_candidature)
