"""``/sante/``: 200 when database, cache and broker answer, 503 (quickly) otherwise."""

import time

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthy(client, settings):
    response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["statut"] == "ok"
    assert body["base"]["ok"] and body["cache"]["ok"] and body["courtier"]["ok"]
    if not settings.REDIS_URL:
        assert "dans le processus" in body["courtier"]["mode"]
    assert response["Cache-Control"].startswith("max-age=0")


def test_unreachable_broker_gives_503_fast(client, settings):
    # Port 1 on the loopback: nothing listens there, the connection is refused.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = settings.REDIS_URL
    start = time.monotonic()
    response = client.get("/sante/")
    assert time.monotonic() - start < 5
    assert response.status_code == 503
    body = response.json()
    assert body["statut"] == "dégradé"
    assert body["courtier"] == {"ok": False, "detail": "courtier Celery injoignable"}
    assert body["base"]["ok"]


def test_database_down_gives_503(client, monkeypatch):
    from atelier import health

    class BrokenConnection:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["base"] == {"ok": False, "detail": "base de données injoignable"}


def test_cache_down_gives_503(client, monkeypatch):
    from atelier import health

    def boom(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(health.cache, "set", boom)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["cache"]["ok"] is False


def test_only_get(client):
    assert client.post("/sante/").status_code == 405


def test_unreachable_redis_cache_gives_503_fast(client):
    from django.test.utils import override_settings

    from atelier import settings as project_settings

    broken = {
        "default": {
            **project_settings.CACHES["default"],
            "BACKEND": "atelier.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    with override_settings(CACHES=broken):
        start = time.monotonic()
        response = client.get("/sante/")
        elapsed = time.monotonic() - start
        body = response.json()
    assert elapsed < 5
    assert response.status_code == 503
    assert body["cache"] == {"ok": False, "detail": "cache injoignable"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/calendrier/abc%00def.ics",
        "/verifier/ab%00cd/",
        "/invitations/x%00y/",
        "/laureats/?q=litt%00oral",
        "/laureats/?region%00=53",
        "/donnees/laureats.csv?theme=a%00",
    ],
)
def test_a_nul_character_in_the_address_is_a_400_not_a_500(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Requête incorrecte" in response.content.decode()


@pytest.mark.django_db
def test_the_api_refuses_a_nul_character_in_its_own_json_format(client):
    response = client.get("/api/laureats/?q=%00")
    assert response.status_code == 400
    assert response.json()["erreur"] == "Paramètres invalides."
