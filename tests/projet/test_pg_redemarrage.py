"""PostgreSQL restarted (every backend connection cut) while the app runs: the next request
succeeds without restarting the app (CONN_HEALTH_CHECKS checks a reused connection)."""

import io
import os

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _get(path: str) -> int:
    """One request through the real WSGI handler (request_started closes unusable
    connections, which Django's test client deliberately skips)."""
    environ = RequestFactory()._base_environ(PATH_INFO=path, REQUEST_METHOD="GET")
    environ["wsgi.input"] = io.BytesIO()
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers, *a: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


def test_the_request_after_the_connections_were_cut_succeeds():
    if connection.vendor != "postgresql":
        # CI runs on PostgreSQL (.ci/run): there, this test must run, not be skipped.
        assert not os.environ.get("CI"), "CI sans PostgreSQL"
        pytest.skip("PostgreSQL seulement (DATABASE_URL=postgres://…)")
    assert connection.settings_dict["CONN_MAX_AGE"] > 0  # connections are reused...
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]  # ...after a check
    assert _get("/") == 200
    assert connection.connection is not None  # kept for the next request
    pid = connection.connection.info.backend_pid

    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    cache.clear()
    assert _get("/") == 200
    assert connection.connection.info.backend_pid != pid
