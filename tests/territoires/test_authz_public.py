"""Runs the public entries of the authorization matrix on their own, until the shared
matrix (tests/authz.py, issue 3) collects them: every public URL × every role."""

import sys
import types
from dataclasses import dataclass, field

import pytest
from django.urls import reverse

from tests.conftest import ROLES


@dataclass
class _Entry:
    name: str
    kwargs: dict = field(default_factory=dict)
    expected: dict = field(default_factory=dict)


def _module():
    if "tests.authz" not in sys.modules:
        try:
            import tests.authz  # noqa: F401
        except ImportError:
            fake = types.ModuleType("tests.authz")
            fake.Entry = _Entry
            fake.expect = lambda **kw: kw
            sys.modules["tests.authz"] = fake
    from tests.territoires import authz_public

    return authz_public


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_public_urls_for_every_role(client, role, request):
    user = request.getfixturevalue(role)
    world = types.SimpleNamespace(atelier=request.getfixturevalue("atelier"), users={role: user})
    entries = _module().entries(world)
    if user is not None:
        client.force_login(user)
    for entry in entries:
        url = reverse(entry.name, kwargs=entry.kwargs)
        assert client.get(url).status_code == entry.expected[role], (entry.name, url, role)
