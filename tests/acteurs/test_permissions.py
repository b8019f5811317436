"""Role predicates and the acteurs permissions, for every role of the matrix."""

import pytest

from acteurs.permissions import is_dgaln, is_participant, is_pilote, roles_in_atelier

pytestmark = pytest.mark.django_db

EXPECTED = {
    # role: (participant, pilote, dgaln, historique, participants, manage)
    "anonymous": (False, False, False, False, False, False),
    "applicant": (False, False, False, False, False, False),
    "habitant": (True, False, False, False, True, False),
    "elu": (True, False, False, False, True, False),
    "equipe": (True, False, False, False, True, False),
    "pilote": (True, True, False, True, True, True),
    "autre_pilote": (False, False, False, False, False, False),
    "dgaln": (False, False, True, True, True, True),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_predicates_for_every_role(role, request, atelier):
    from django.contrib.auth.models import AnonymousUser

    user = request.getfixturevalue(role) or AnonymousUser()
    participant, pilote, dgaln, historique, voir, gerer = EXPECTED[role]
    assert is_participant(user, atelier) is participant
    assert is_pilote(user, atelier) is pilote
    assert is_dgaln(user) is dgaln
    assert user.has_perm("acteurs.view_historique", atelier) is historique
    assert user.has_perm("acteurs.view_participants", atelier) is voir
    assert user.has_perm("acteurs.manage_participants", atelier) is gerer
    assert user.has_perm("journal.view_journal") is dgaln


def test_a_person_may_have_different_roles_in_different_ateliers(atelier, autre_atelier, elu):
    from acteurs.models import Role
    from tests import factories

    factories.ParticipationFactory(acteur=elu.acteur, atelier=autre_atelier, role=Role.PILOTE)
    assert roles_in_atelier(elu, atelier) == {Role.ELU}
    assert roles_in_atelier(elu, autre_atelier) == {Role.PILOTE}
    assert not is_pilote(elu, atelier) and is_pilote(elu, autre_atelier)
