"""Runs this app's authorization entries on their own (the project matrix runs them all)."""

import pytest
from django.urls import reverse

authz = pytest.importorskip("tests.authz")


@pytest.mark.django_db
@pytest.mark.parametrize("role", authz.ROLES)
def test_feuilles_de_route_matrix(role, request, client):
    from tests.feuilles_de_route.authz_fdr import entries

    world = authz.build_world(request)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    failures = []
    for entry in entries(world):
        url = reverse(entry.name, kwargs=entry.kwargs) + entry.query
        response = getattr(client, entry.method)(
            url, **({"data": entry.data} if entry.method != "get" else {})
        )
        if response.status_code != entry.expected[role]:
            failures.append(
                f"{role} {entry.method.upper()} {url}: {response.status_code} ≠ {entry.expected[role]}"
            )
    assert not failures, "\n".join(failures)


def test_every_feuilles_de_route_url_has_an_entry():
    from feuilles_de_route import urls

    names = {f"feuilles_de_route:{p.name}" for p in urls.urlpatterns}
    import inspect

    from tests.feuilles_de_route import authz_fdr

    source = inspect.getsource(authz_fdr)
    missing = [n for n in names if f'"{n}"' not in source]
    assert not missing
