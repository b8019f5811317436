"""Every transition a person may ask for on invitations, for every role and every state
(the harness of tests/transitions.py). Accepting goes through the invitation link."""

import datetime as dt

import pytest
from django.utils import timezone

from acteurs import services
from acteurs.models import Invitation, Role
from tests.conftest import ROLES
from tests.transitions import check_transition, user_for

pytestmark = pytest.mark.django_db

I = Invitation.Statut  # noqa: E741


@pytest.mark.parametrize("statut", list(I.values))
@pytest.mark.parametrize("role", ROLES)
def test_invitation_cancel_matrix(request, atelier, role, statut):
    user = user_for(request, role)
    invitation = Invitation.objects.create(
        atelier=atelier,
        email="invitee@exemple.fr",
        role=Role.HABITANT,
        statut=statut,
        expire_le=timezone.now() + dt.timedelta(days=14),
    )
    check_transition(
        obj=invitation,
        user=user,
        run=lambda: services.invitation_cancel(invitation=invitation, by=user),
        to=I.ANNULEE,
        expected=role in {"pilote", "dgaln"} and statut == I.ENVOYEE,
    )
