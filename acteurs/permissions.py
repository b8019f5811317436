"""Role predicates. DGALN staff is a group; every other role comes from a Participation."""

from typing import Any

import rules
from django.utils.functional import LazyObject, empty

from .models import DGALN_GROUP, Role


def memo(user: Any) -> dict:
    """Where the per-request answers about ``user`` are kept: on the user object itself.

    ``request.user`` is a lazy wrapper with a ``__dict__`` of its own, while ``rules``
    predicates (reached through ``user.has_perm``) get the wrapped object: a memo written on
    the wrapper (by the second-factor gate, the menu) was not seen by the permission checks,
    and every signed-in page asked the database twice whether its user was DGALN staff.
    """
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
    return user.__dict__


def forget(user: Any, *keys: str) -> None:
    """Drop memos of ``user`` that a change made stale (a new role, a vetted agent)."""
    cache = memo(user)
    for key in keys:
        cache.pop(key, None)


def roles_in_atelier(user: Any, atelier: Any) -> set[str]:
    """The user's roles in an atelier, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or atelier is None:
        return set()
    cache = memo(user).setdefault("_roles_par_atelier", {})
    atelier_id = getattr(atelier, "pk", atelier)
    if atelier_id not in cache:
        from .models import Participation

        cache[atelier_id] = set(
            Participation.objects.filter(
                atelier_id=atelier_id, acteur__utilisateur=user
            ).values_list("role", flat=True)
        )
    return cache[atelier_id]


def retenir_roles(user: Any, atelier_id: int, roles: set[str]) -> None:
    """Record the user's roles in an atelier, read with the atelier by the caller (one query
    fewer on every workspace page): what :func:`roles_in_atelier` then answers."""
    if getattr(user, "is_authenticated", False):
        memo(user).setdefault("_roles_par_atelier", {})[atelier_id] = roles


@rules.predicate
def is_dgaln(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    cache = memo(user)
    if "_est_dgaln" not in cache:
        cache["_est_dgaln"] = user.groups.filter(name=DGALN_GROUP).exists()
    return cache["_est_dgaln"]


def active_agent_etat(user: Any):
    """The user's active State-agent profile (vetted, not revoked, service active) or None;
    cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cache = memo(user)
    if "_agent_etat" not in cache:
        from .models import AgentEtat

        cache["_agent_etat"] = (
            AgentEtat.objects.actifs().select_related("service").filter(utilisateur=user).first()
        )
    return cache["_agent_etat"]


@rules.predicate
def is_agent_etat(user: Any) -> bool:
    """Vetted by DGALN as a State agent (or recognised through ProConnect): may be pilote
    and sign for the State."""
    return active_agent_etat(user) is not None


def has_role(*roles: str):
    wanted = set(roles)

    @rules.predicate(name=f"has_role({','.join(sorted(wanted))})")
    def predicate(user: Any, atelier: Any) -> bool:
        return bool(roles_in_atelier(user, atelier) & wanted)

    return predicate


is_participant = has_role(*Role.values)
is_pilote = has_role(Role.PILOTE)
is_equipe = has_role(Role.EQUIPE)
is_elu = has_role(Role.ELU)


# The audit history of an atelier (journal/includes/historique.html): pilotes and DGALN.
rules.add_perm("acteurs.view_historique", is_dgaln | is_pilote)
# The participants list: every participant sees it; pilotes and DGALN manage it.
rules.add_perm("acteurs.view_participants", is_dgaln | is_participant)
rules.add_perm("acteurs.manage_participants", is_dgaln | is_pilote)
# Inhabitants' names: every participant but another inhabitant (who sees only a count).
rules.add_perm(
    "acteurs.view_habitants",
    is_dgaln | has_role(*(r for r in Role.values if r != Role.HABITANT)),
)
# The list of State services and of vetted State agents (/gestion/agents-etat/).
rules.add_perm("acteurs.manage_agents_etat", is_dgaln)
# The DGALN audit log of everything.
rules.add_perm("journal.view_journal", is_dgaln)


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    """The permission check every service starts with: ``PermissionDenied`` (a 403 with a
    French message) unless ``user`` has ``perm`` on ``obj``."""
    from django.core.exceptions import PermissionDenied
    from django.utils.translation import gettext as _

    if not (user is not None and user.has_perm(perm, obj)):
        raise PermissionDenied(_("Vous n'avez pas le droit de faire cette action."))
