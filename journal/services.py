"""The one writer of the audit trail."""

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Action, EvenementAudit


def audit(
    *,
    by: Any,
    obj: models.Model,
    action: Action,
    from_state: str = "",
    to_state: str = "",
    summary: str = "",
    atelier: Any = None,
) -> EvenementAudit:
    """Append one row to the audit trail. Call it inside the transaction of the change.

    ``by`` is a user, or None for the system (a scheduled task, a command).
    ``atelier`` lets the atelier's page list its own history; it is deduced when ``obj``
    is an atelier or belongs to one.
    """
    user = by if getattr(by, "is_authenticated", False) else None
    if atelier is None:
        atelier = _atelier_of(obj)
    return EvenementAudit.objects.create(
        auteur=user,
        auteur_repr=str(user) if user else "Système",
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        objet_repr=str(obj)[:300],
        action=action,
        etat_avant=from_state or "",
        etat_apres=to_state or "",
        resume=summary,
        atelier=atelier,
    )


def _atelier_of(obj: models.Model) -> Any:
    # By label, not by class: the journal sits below every app and imports none of them.
    if obj._meta.label == "ateliers.Atelier":
        return obj
    atelier_id = getattr(obj, "atelier_id", None)
    if atelier_id:
        return apps.get_model("ateliers", "Atelier")(pk=atelier_id)
    return None
