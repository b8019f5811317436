"""The one mechanism for a workflow transition: check, conditional update, audit row.

Each model declares ``TRANSITIONS = {from_state: {allowed to_states}}`` and its status field
``statut``. Services call :func:`transition` inside their transaction after checking the
actor's permission; no other code writes a status.
"""

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
