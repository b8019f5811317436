"""CI must really run on PostgreSQL and Redis: a silent fallback to SQLite would hide bugs."""

import os

import pytest
from django.conf import settings
from django.db import connection

CI = bool(os.environ.get("CI"))


@pytest.mark.django_db
def test_ci_runs_on_postgresql():
    if CI:
        assert connection.vendor == "postgresql", "CI is set but the database is not PostgreSQL"
    else:
        assert connection.vendor in ("sqlite", "postgresql")


def test_ci_uses_redis_for_cache_and_broker():
    if not CI:
        pytest.skip("hors CI : Redis est facultatif")
    assert settings.REDIS_URL, "CI is set but REDIS_URL is not"
    assert settings.CACHES["default"]["BACKEND"] == "atelier.cache.RedisCache"
    assert settings.CELERY_BROKER_URL.startswith("redis")
    from django.core.cache import cache

    cache.set("ci-probe", "ok", 5)
    assert cache.get("ci-probe") == "ok"
