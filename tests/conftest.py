"""Shared fixtures: isolation (media, cache, eager tasks) and one user per role."""

import os
from urllib.parse import urlsplit, urlunsplit

import pytest

from acteurs.models import Role
from tests import factories

# The production stage's tests (tests/production) need the instance .ci/production starts:
# they are collected only there (ATELIER_PRODUCTION_URL), never skipped by `make test`.
collect_ignore = [] if os.environ.get("ATELIER_PRODUCTION_URL") else ["production"]


def pytest_configure(config):
    """Under pytest-xdist (``make test``: ``-n 2``), each worker its own Redis database.

    The database (``test_<name>_gw0``…) and the live server's port are already per worker;
    Redis is not: the cache is emptied between tests (FLUSHDB) and a real Celery worker
    consumes from the broker, so two test workers on one Redis database would see each
    other's keys and tasks. Worker ``gwN`` uses database number (REDIS_URL's + N).
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    from django.conf import settings

    if not worker.startswith("gw") or not settings.REDIS_URL:
        return
    parts = urlsplit(settings.REDIS_URL)
    base = int(parts.path.strip("/") or 0)
    url = urlunsplit(parts._replace(path=f"/{base + int(worker[2:])}"))
    from django.test.signals import setting_changed

    settings.CACHES["default"]["LOCATION"] = url
    setting_changed.send(sender=None, setting="CACHES", value=settings.CACHES, enter=True)
    settings.REDIS_URL = settings.CELERY_BROKER_URL = os.environ["REDIS_URL"] = url
    from atelier.celery import app

    app.conf.broker_url = url


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


@pytest.fixture
def pilote_sans_mfa(atelier):
    """A pilote of ``atelier`` who has not set up a second factor."""
    return factories.participant(
        atelier, Role.PILOTE, totp=False, email="pilote-sans-mfa@developpement-durable.gouv.fr"
    )


@pytest.fixture
def dgaln_sans_mfa(db):
    """A DGALN agent who has not set up a second factor."""
    return factories.DgalnFactory(email="agent-sans-mfa@dgaln.gouv.fr", totp=False)


ROLES = ["anonymous", "applicant", "habitant", "elu", "equipe", "pilote", "autre_pilote", "dgaln"]


@pytest.fixture(params=ROLES)
def role_user(request):
    """Parametrises a test over every role; yields (role_name, user or None)."""
    return request.param, request.getfixturevalue(request.param)


def _is_transactional(request) -> bool:
    if set(request.fixturenames) & {"transactional_db", "live_server"}:
        return True
    marker = request.node.get_closest_marker("django_db")
    return marker is not None and bool(
        marker.kwargs.get("transaction") or marker.args[:1] == (True,)
    )


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Reload the data the migrations created when a transactional test flushed it.

    A transactional test (browser tests, real commits) ends by flushing every table: the
    régions, départements, historical sessions and the DGALN group go with it, and a flush
    does not replay data migrations. Every transactional test starts by putting them back,
    so it never depends on which test ran before it.
    """
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sites.models import Site

    from acteurs.models import DGALN_GROUP
    from acteurs.reference import load_services_etat
    from ateliers.reference import load_sessions
    from territoires.models import Region
    from territoires.reference import load_geography

    if not Region.objects.exists():
        load_geography()
        load_sessions()
        load_services_etat()
    Group.objects.get_or_create(name=DGALN_GROUP)
    # Content types and the Site row are re-created with new ids after a flush: drop the
    # stale caches that still point at the old ones.
    ContentType.objects.clear_cache()
    Site.objects.clear_cache()
    Site.objects.get_or_create(
        pk=settings.SITE_ID, defaults={"domain": "testserver", "name": "Atelier des territoires"}
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """``ATELIER_REFUSE_SKIP=1``: a skipped test fails (CI stages whose services must be there).

    The production, S3 and backup tests skip on a developer's machine without those services;
    in ``.ci/production`` a skip would hide that they never ran.
    """
    outcome = yield
    report = outcome.get_result()
    if (
        os.environ.get("ATELIER_REFUSE_SKIP") == "1"
        and report.skipped
        and not hasattr(report, "wasxfail")
    ):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"Test ignoré alors que ATELIER_REFUSE_SKIP=1 : {reason}"
