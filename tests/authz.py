"""The authorization matrix contract: every URL of the project × every role → a status.

Each app with views provides ``tests/<app>/authz_<name>.py`` with::

    from tests.authz import Entry, expect

    def entries(world) -> list[Entry]:
        return [
            Entry(
                name="ateliers:atelier",
                kwargs={"pk": world.atelier.pk},
                expected=expect(404, anonymous=302, habitant=200, elu=200, equipe=200,
                                pilote=200, dgaln=200),
            ),
        ]

``tests/projet/test_authz_matrix.py`` imports every such module, walks the URLconf and
fails when a named URL has no entry, when an entry names no URL, or when a role gets
another status than expected. Objects an entry needs are created inside ``entries(world)``
with the factories; ``world.atelier`` is the atelier where habitant, élu, équipe and pilote
take part; ``world.autre_atelier`` the one of ``autre_pilote``.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

BASE_ROLES = (
    "anonymous",
    "applicant",
    "habitant",
    "elu",
    "equipe",
    "pilote",
    "autre_pilote",
    "dgaln",
)
# A pilote of ``world.atelier`` and a DGALN agent who have not set up their second factor.
# They have the rights of the role named here, so an entry need not mention them: under
# MFA_PREFIXES they must be sent to the second-factor setup page (whatever the method),
# elsewhere they get what their role gets. Any view that lets them through fails the matrix.
MFA_ROLES = {"pilote_sans_mfa": "pilote", "dgaln_sans_mfa": "dgaln"}
MFA_PREFIXES = ("/espace/ateliers/", "/gestion/", "/admin/")
ROLES = BASE_ROLES + tuple(MFA_ROLES)


@dataclass
class Entry:
    """One request of the matrix. ``expected`` maps each of the 8 base roles to a status code
    (the roles without second factor follow from them, see ``MFA_ROLES``).

    ``method`` is ``"get"`` by default; with ``"post"``, ``data`` is the form body (posted
    with a valid CSRF token: the matrix tests authorization, not CSRF). ``query`` is
    appended to the URL (``"?format=local"``).
    """

    name: str
    expected: dict[str, int]
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)
    query: str = ""

    def __post_init__(self) -> None:
        missing = set(BASE_ROLES) - set(self.expected)
        unknown = set(self.expected) - set(ROLES)
        if missing or unknown:
            raise ValueError(
                f"{self.name}: rôles manquants {sorted(missing)} ou inconnus {sorted(unknown)}"
            )
        for role, base in MFA_ROLES.items():
            self.expected.setdefault(role, self.expected[base])

    def expected_for(self, role: str, path: str) -> int:
        """The status ``role`` must get at ``path``: 302 to the second-factor setup for a
        role without it under the gated prefixes, the entry's status otherwise."""
        if role in MFA_ROLES and path.startswith(MFA_PREFIXES):
            return MFA_GATE
        return self.expected[role]


# The status of a request the second-factor gate stops (a redirect to its setup page).
MFA_GATE = 302


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Every role gets ``default`` except the ones named: ``expect(404, dgaln=200)``."""
    unknown = set(overrides) - set(ROLES)
    if unknown:
        raise ValueError(f"Rôles inconnus : {sorted(unknown)}")
    return {role: overrides.get(role, default) for role in BASE_ROLES} | {
        role: overrides[role] for role in MFA_ROLES if role in overrides
    }


# Frequent shapes, to keep the app modules short.
def public(status: int = 200) -> dict[str, int]:
    return expect(status)


def signed_in(status: int = 200) -> dict[str, int]:
    """Any signed-in user; the anonymous visitor is sent to the login page."""
    return expect(status, anonymous=302)


def dgaln_only(status: int = 200, refused: int = 403) -> dict[str, int]:
    return expect(refused, anonymous=302, dgaln=status)


def atelier_members(status: int = 200, hidden: int = 404) -> dict[str, int]:
    """Participants of ``world.atelier`` and DGALN; others get 404 (existence not revealed)."""
    return expect(
        hidden,
        anonymous=302,
        habitant=status,
        elu=status,
        equipe=status,
        pilote=status,
        dgaln=status,
    )


class World(SimpleNamespace):
    """What the matrix is built around: ``atelier``, ``autre_atelier``, ``users[role]``."""

    atelier: Any
    autre_atelier: Any
    users: dict[str, Any]

    def user(self, role: str) -> Any:
        return self.users[role]


def build_world(request) -> World:
    """Build the world from the role fixtures of ``tests/conftest.py``."""
    users = {role: request.getfixturevalue(role) for role in ROLES}
    return World(
        atelier=request.getfixturevalue("atelier"),
        autre_atelier=request.getfixturevalue("autre_atelier"),
        users=users,
    )
