"""Settings read the environment once, at start-up: each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every variable the settings read, removed from the child's environment unless a case sets it.
SETTINGS_VARIABLES = [
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "ATELIER_SITE_URL",
    "ATELIER_MFA_OBLIGATOIRE",
    "ATELIER_INVITATION_JOURS",
    "ATELIER_TRUSTED_PROXY_COUNT",
    "ATELIER_TASK_SOFT_TIME_LIMIT",
    "ATELIER_TASK_TIME_LIMIT",
    "ATELIER_MEDIA_ROOT",
    "ATELIER_STATIC_ROOT",
    "ATELIER_UPLOAD_MAX_MO",
    "ATELIER_CARTE_TUILES_URL",
    "ATELIER_CARTE_TUILES_ATTRIBUTION",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "DEFAULT_FROM_EMAIL",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_HSTS_SECONDS",
    "PROCONNECT_CLIENT_ID",
    "PROCONNECT_CLIENT_SECRET",
    "PROCONNECT_SERVER_URL",
]

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "cache": settings.CACHES["default"]["BACKEND"],
    "engine": settings.DATABASES["default"]["ENGINE"],
    "debug": settings.DEBUG,
    "email": settings.EMAIL_BACKEND,
    "tz": settings.TIME_ZONE,
    "lang": settings.LANGUAGE_CODE,
    "use_tz": settings.USE_TZ,
}))
"""


def run_settings(**env: str) -> subprocess.CompletedProcess:
    child_env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    child_env.update(env, DJANGO_SETTINGS_MODULE="atelier.settings")
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=child_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def loaded(**env: str) -> dict:
    result = run_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(**env: str) -> str:
    result = run_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def test_defaults_need_nothing_installed():
    values = loaded()
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["debug"] is True
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert (values["tz"], values["lang"], values["use_tz"]) == ("Europe/Paris", "fr", True)


def test_redis_url_switches_cache_and_broker_to_redis():
    values = loaded(REDIS_URL="redis://127.0.0.1:6379/6")
    assert values["eager"] is False
    assert values["broker"] == "redis://127.0.0.1:6379/6"
    assert values["cache"] == "atelier.cache.RedisCache"


def test_postgres_database_url():
    values = loaded(DATABASE_URL="postgres://postgres@127.0.0.1:5432/atelier")
    assert values["engine"] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    "url",
    [
        "postgres://user@host:notaport/db",
        "mysql://user:pw@127.0.0.1/atelier",
        "nonsense",
        "oracle://x/y",
    ],
)
def test_malformed_or_unsupported_database_url_is_refused(url):
    message = refused(DATABASE_URL=url)
    assert "DATABASE_URL" in message


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/0", "127.0.0.1:6379", "redis://"])
def test_malformed_redis_url_is_refused(url):
    assert "REDIS_URL" in refused(REDIS_URL=url)


def test_the_tile_layer_is_https_and_credited():
    assert "ATELIER_CARTE_TUILES_URL" in refused(
        ATELIER_CARTE_TUILES_URL="http://tuiles.example/{z}/{x}/{y}.png"
    )
    assert "ATELIER_CARTE_TUILES_ATTRIBUTION" in refused(
        ATELIER_CARTE_TUILES_URL="https://tuiles.example/{z}/{x}/{y}.png",
        ATELIER_CARTE_TUILES_ATTRIBUTION=" ",
    )
    loaded(ATELIER_CARTE_TUILES_URL="")  # no tiles: only the shipped contours


def test_production_requires_a_secret_key_and_hosts():
    assert "DJANGO_SECRET_KEY" in refused(DJANGO_DEBUG="0")
    assert "DJANGO_ALLOWED_HOSTS" in refused(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60)
    values = loaded(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="atelier.gouv.fr"
    )
    assert values["debug"] is False


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_DEBUG": "peut-être"},
        {"ATELIER_UPLOAD_MAX_MO": "vingt"},
        {"ATELIER_TASK_TIME_LIMIT": "10", "ATELIER_TASK_SOFT_TIME_LIMIT": "20"},
        {"PROCONNECT_CLIENT_ID": "abc"},
    ],
)
def test_bad_values_fail_loudly(env):
    refused(**env)


def _variables_read_by_settings() -> set[str]:
    import re

    source = (ROOT / "atelier" / "settings.py").read_text()
    pattern = r'(?:os\.environ\.get|env_bool|env_int|env_list|env_url)\(\s*"([A-Z][A-Z0-9_]+)"'
    return set(re.findall(pattern, source))


def test_every_variable_is_documented_and_tested():
    variables = _variables_read_by_settings()
    assert len(variables) >= 20
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    for name in variables:
        assert f"`{name}`" in readme, f"{name} manque dans le README (Configuration)"
        assert name in SETTINGS_VARIABLES, f"{name} doit être isolée dans ces tests"
        if name != "ATELIER_TESTING":
            assert name in example, f"{name} manque dans .env.example"
