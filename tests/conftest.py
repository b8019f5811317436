"""Shared fixtures: isolation (media, cache, eager tasks) and one user per role."""

import pytest

from acteurs.models import Role
from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _isolated_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _eager_tasks(settings):
    """Run Celery tasks in-process unless a test asks for a real worker (``real_worker``)."""
    from atelier.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def password():
    return factories.PASSWORD


@pytest.fixture
def atelier(db):
    return factories.AtelierFactory()


@pytest.fixture
def autre_atelier(db):
    return factories.AtelierFactory()


@pytest.fixture
def anonymous():
    return None


@pytest.fixture
def applicant(db):
    """Someone with an account and a candidature draft, no role in any atelier."""
    return factories.UtilisateurFactory(email="candidat@collectivite.fr")


@pytest.fixture
def habitant(atelier):
    return factories.participant(atelier, Role.HABITANT, email="habitant@exemple.fr")


@pytest.fixture
def elu(atelier):
    return factories.participant(atelier, Role.ELU, email="maire@commune.fr")


@pytest.fixture
def equipe(atelier):
    return factories.participant(atelier, Role.EQUIPE, email="urbaniste@agence.fr")


@pytest.fixture
def pilote(atelier):
    return factories.participant(atelier, Role.PILOTE, email="pilote@developpement-durable.gouv.fr")


@pytest.fixture
def autre_pilote(autre_atelier):
    return factories.participant(
        autre_atelier, Role.PILOTE, email="autre-pilote@developpement-durable.gouv.fr"
    )


@pytest.fixture
def dgaln(db):
    return factories.DgalnFactory(email="agent@dgaln.gouv.fr")


ROLES = ["anonymous", "applicant", "habitant", "elu", "equipe", "pilote", "autre_pilote", "dgaln"]


@pytest.fixture(params=ROLES)
def role_user(request):
    """Parametrises a test over every role; yields (role_name, user or None)."""
    return request.param, request.getfixturevalue(request.param)


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrated reference data at its start.

    A transactional test (browser tests, real commits) ends by flushing every table,
    reference data included (régions, départements, sessions, the DGALN group). pytest-django
    runs transactional tests last; with a serialized rollback each of them first reloads the
    data the migrations created, so it never depends on which test ran before it.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        wants_transaction = bool(fixtures & {"transactional_db", "live_server"}) or (
            marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,))
        )
        if wants_transaction:
            kwargs = dict(marker.kwargs) if marker is not None else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
