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


@pytest.mark.parametrize("role", ["pilote", "dgaln"])
def test_a_page_asks_once_who_its_user_is(client, request, atelier, role):
    """The second-factor gate, the menu and the permission checks share one answer per
    request: ``request.user`` is a lazy wrapper, and a memo kept on the wrapper was not seen
    by the checks made on the user itself (every page asked twice about the DGALN group)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(request.getfixturevalue(role))
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(reverse("ateliers:atelier", args=[atelier.pk])).status_code == 200
    sql = [q["sql"] for q in requetes.captured_queries]
    assert sum('"auth_group"' in q for q in sql) == 1
    assert sum('"mfa_authenticator"' in q for q in sql) == 1


def test_a_forgotten_answer_is_asked_again_through_the_lazy_user(atelier, pilote):
    from django.utils.functional import SimpleLazyObject

    from acteurs.permissions import forget, memo

    paresseux = SimpleLazyObject(lambda: pilote)
    assert roles_in_atelier(paresseux, atelier) == {"pilote"}
    assert "_roles_par_atelier" in memo(pilote)
    forget(paresseux, "_roles_par_atelier")
    assert "_roles_par_atelier" not in pilote.__dict__


@pytest.mark.parametrize(
    "role, attendu", [("pilote", {"pilote"}), ("elu", {"elu"}), ("dgaln", set())]
)
def test_the_workspace_reads_the_users_role_with_the_atelier(
    request, atelier, role, attendu, django_assert_num_queries
):
    """get_atelier_for_user reads the user's role in the same query as the atelier: the
    permission checks of the page then ask nothing more — and answer as if they had asked."""
    from ateliers.selectors import get_atelier_for_user

    user = request.getfixturevalue(role)
    user.__dict__.pop("_roles_par_atelier", None)
    is_dgaln(user)  # the gate's answer, asked once per request before the view
    with django_assert_num_queries(1):
        lu = get_atelier_for_user(user, atelier.pk)
    with django_assert_num_queries(0):
        assert roles_in_atelier(user, lu) == attendu
        assert is_pilote(user, lu) is (role == "pilote")
    user.__dict__.pop("_roles_par_atelier")
    assert roles_in_atelier(user, lu) == attendu  # asked again: the same answer


def test_a_stranger_to_the_atelier_still_gets_a_404(autre_pilote, atelier):
    from django.http import Http404

    from ateliers.selectors import get_atelier_for_user

    with pytest.raises(Http404):
        get_atelier_for_user(autre_pilote, atelier.pk)
    assert roles_in_atelier(autre_pilote, atelier) == set()
