"""The role × state × action harness of the workflow tests (tests/*/test_transitions.py).

For one role, one starting state and one action, :func:`check_transition` runs the service
and checks that it does exactly what the table says: done (state changed, audit row
written) for the allowed roles in the allowed states, refused otherwise (state unchanged,
no audit row). It also checks that ``atelier.workflow.available_actions`` offers the action
to the same people in the same states, so a page never shows a button the service refuses.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from atelier.workflow import TransitionError, allowed_targets
from journal.models import EvenementAudit

REFUSED = (PermissionDenied, TransitionError, ValidationError)


def user_for(request, role: str) -> Any:
    return request.getfixturevalue(role) or AnonymousUser()


def check_transition(
    *,
    obj: Any,
    user: Any,
    run: Callable[[], Any],
    to: str,
    expected: bool,
    offered: bool | None = None,
) -> None:
    """``offered`` is whether the workspace offers the action (default: ``expected``); it
    differs only where a business rule beyond role and state refuses it (the service
    then says why)."""
    before_state = obj.statut
    before_rows = EvenementAudit.objects.count()
    assert (to in allowed_targets(obj, user)) is (expected if offered is None else offered)
    try:
        run()
    except REFUSED:
        done = False
    else:
        done = True
    assert done is expected
    obj.refresh_from_db()
    if expected:
        assert obj.statut == to
        assert EvenementAudit.objects.count() > before_rows
    else:
        assert obj.statut == before_state
        assert EvenementAudit.objects.count() == before_rows
