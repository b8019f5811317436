"""The one mechanism for a workflow transition: check, conditional update, audit row.

Each model declares ``TRANSITIONS = {from_state: {allowed to_states}}`` and its status field
``statut``. Services call :func:`transition` inside their transaction after checking the
actor's permission; no other code writes a status.

Each app's ``permissions.py`` says, with :func:`register_actions`, which permission a person
needs to ask for each transition; :func:`available_actions` answers views and templates from
that and the ``TRANSITIONS`` table, so no view re-derives which state allows which action.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from .errors import BusinessError


class TransitionError(BusinessError):
    """A transition refused for the object's current state (a 409 for the user, not a bug)."""

    status = 409


def allowed(model: type[models.Model], from_state: str, to_state: str) -> bool:
    return to_state in model.TRANSITIONS.get(from_state, set())


def transition(
    *,
    obj: models.Model,
    to: str,
    by: Any,
    action: str,
    summary: str = "",
    atelier: Any = None,
    updates: dict[str, Any] | None = None,
    field: str = "statut",
) -> None:
    """Move ``obj`` from its current state to ``to`` and write the audit row.

    The update is conditional on the state read by the caller, so two requests that race
    cannot both apply a transition: the second finds no row and gets a ``TransitionError``.
    """
    model = type(obj)
    current = getattr(obj, field)
    if not allowed(model, current, to):
        raise TransitionError(
            _("Action impossible : « %(obj)s » est à l'état « %(state)s ».")
            % {"obj": obj, "state": _label(model, field, current)}
        )
    updates = dict(updates or {})
    with transaction.atomic():
        count = model._default_manager.filter(pk=obj.pk, **{field: current}).update(
            **{field: to}, **updates
        )
        if count != 1:
            raise TransitionError(
                _("« %(obj)s » vient d'être modifié par quelqu'un d'autre ; rechargez la page.")
                % {"obj": obj}
            )
        from journal.services import audit

        audit(
            by=by,
            obj=obj,
            action=action,
            from_state=current,
            to_state=to,
            summary=summary,
            atelier=atelier,
        )
    setattr(obj, field, to)
    for name, value in updates.items():
        setattr(obj, name, value)


def _label(model: type[models.Model], field: str, value: str) -> str:
    choices = dict(model._meta.get_field(field).choices or [])
    return str(choices.get(value, value))


@dataclass(frozen=True)
class AvailableAction:
    """A transition out of an object's current state, as offered to one user."""

    to: str
    label: str
    allowed: bool
    reason: str = ""


@dataclass(frozen=True)
class _Actions:
    perms: dict[str, str]
    target: Callable[[Any], Any]
    field: str
    guards: dict[str, Callable[[Any], str]]


_REGISTRY: dict[type[models.Model], _Actions] = {}


def register_actions(
    model: type[models.Model],
    *,
    perms: dict[str, str],
    target: Callable[[Any], Any] | None = None,
    field: str = "statut",
    guards: dict[str, Callable[[Any], str]] | None = None,
) -> None:
    """Declare the permission a person needs to move a ``model`` object to each state of
    ``perms``, checked on ``target(obj)`` (the object itself by default; ``None`` for a
    permission without object). Transitions left out are made by the platform itself (a
    task, the last signature) and are never offered. ``guards[to](obj)`` gives the reason a
    business rule refuses the move now ("" when it does not), the one the service raises."""
    unknown = set(perms) - {to for tos in model.TRANSITIONS.values() for to in tos}
    if unknown:
        raise ValueError(f"{model.__name__}: no transition leads to {sorted(unknown)}")
    _REGISTRY[model] = _Actions(
        perms=perms, target=target or (lambda obj: obj), field=field, guards=guards or {}
    )


def available_actions(obj: models.Model, user: Any) -> list[AvailableAction]:
    """The transitions a person may ask for from ``obj``'s current state, in the order of
    the states, each allowed or not for ``user`` with the reason when not."""
    model = type(obj)
    declared = _REGISTRY[model]
    current = getattr(obj, declared.field)
    order = list(dict(model._meta.get_field(declared.field).choices))
    target = declared.target(obj)
    actions = []
    for to in sorted(model.TRANSITIONS.get(current, set()), key=order.index):
        perm = declared.perms.get(to)
        if perm is None or to == current:
            continue
        if not (user is not None and user.has_perm(perm, target)):
            reason = _("Vous n'avez pas le droit de faire cette action.")
        else:
            guard = declared.guards.get(to)
            reason = guard(obj) if guard else ""
        actions.append(
            AvailableAction(
                to=to,
                label=_label(model, declared.field, to),
                allowed=not reason,
                reason=str(reason),
            )
        )
    return actions


def allowed_targets(obj: models.Model, user: Any) -> set[str]:
    """The states ``user`` may move ``obj`` to now (the allowed :func:`available_actions`)."""
    return {action.to for action in available_actions(obj, user) if action.allowed}
