"""One authorization matrix for the whole project (issue 3).

Every named URL of the URLconf must have at least one entry in a ``tests/*/authz_*.py``
module, and every entry must give, for each of the 8 base roles, the status actually returned; the
two roles without a second factor (``tests.authz.MFA_ROLES``) follow from them.
A new view without an entry fails ``test_every_url_has_an_entry``.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.authz import MFA_PREFIXES, MFA_ROLES, ROLES, Entry, build_world

TESTS_DIR = Path(__file__).resolve().parent.parent


def authz_modules() -> list:
    modules = []
    for path in sorted(TESTS_DIR.glob("*/authz_*.py")):
        name = ".".join(path.relative_to(TESTS_DIR.parent).with_suffix("").parts)
        modules.append(importlib.import_module(name))
    return modules


def collect_entries(world) -> list[Entry]:
    entries: list[Entry] = []
    for module in authz_modules():
        entries.extend(module.entries(world))
    return entries


def url_names(resolver=None, namespace: str = "") -> set[str]:
    """Every named URL pattern, with its namespace, walked from the root URLconf."""
    resolver = resolver or get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


@pytest.mark.django_db
def test_every_url_has_an_entry(request):
    world = build_world(request)
    covered = {entry.name for entry in collect_entries(world)}
    names = url_names()
    missing = sorted(names - covered)
    stale = sorted(covered - names)
    assert not missing, f"URL sans entrée dans la matrice d'autorisation : {missing}"
    assert not stale, f"Entrées de la matrice pour des URL inexistantes : {stale}"


def _request(client, entry: Entry):
    url = reverse(entry.name, kwargs=entry.kwargs) + entry.query
    if entry.method == "get":
        return url, client.get(url)
    return url, getattr(client, entry.method)(url, data=entry.data)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(role, request, client):
    world = build_world(request)
    entries = collect_entries(world)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    failures = []
    for entry in entries:
        url, response = _request(client, entry)
        expected = entry.expected_for(role, url)
        if response.status_code != expected:
            failures.append(
                f"{role} {entry.method.upper()} {url} ({entry.name}) : "
                f"{response.status_code} au lieu de {expected}"
            )
        elif (
            role in MFA_ROLES
            and url.startswith(MFA_PREFIXES)
            and response["Location"] != reverse("mfa_activate_totp")
        ):
            # Stopped by the gate, not by the view: the redirect goes to the TOTP setup.
            failures.append(
                f"{role} {entry.method.upper()} {url} ({entry.name}) : "
                f"redirigé vers {response['Location']} au lieu de la double authentification"
            )
        if entry.method != "get" and user is not None:
            # A POST may change the session (a logout, a new login): start clean.
            client.force_login(user)
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_a_view_without_entry_is_detected(request):
    """The walk sees every pattern, namespaced or not: a forgotten view cannot escape."""
    world = build_world(request)
    covered = {entry.name for entry in collect_entries(world)}
    names = url_names(get_resolver("tests.projet.urls_sans_entree"))
    assert names - covered == {"vue_oubliee", "test:x"}
