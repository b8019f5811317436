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
    "ATELIER_DB_CONN_MAX_AGE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "ATELIER_SITE_URL",
    "ATELIER_MFA_OBLIGATOIRE",
    "ATELIER_INVITATION_JOURS",
    "ATELIER_RESUME_HEURE",
    "ATELIER_CONSERVATION_CANDIDATURES_JOURS",
    "ATELIER_CONSERVATION_INVITATIONS_JOURS",
    "ATELIER_CONSERVATION_SECURITE_JOURS",
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
    "ATELIER_DEMO_SANS_INFRA",
    "ATELIER_CACHE_REDIS_URL",
    "DJANGO_ADMINS",
    "SENTRY_DSN",
    "SENTRY_ENVIRONMENT",
    "ATELIER_S3_BUCKET",
    "ATELIER_S3_ENDPOINT_URL",
    "ATELIER_S3_REGION",
    "ATELIER_S3_URL_EXPIRE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "DJANGO_SECRET_KEY_FILE",
    "DATABASE_URL_FILE",
    "EMAIL_HOST_PASSWORD_FILE",
    "PROCONNECT_CLIENT_SECRET_FILE",
    "AWS_SECRET_ACCESS_KEY_FILE",
    "SENTRY_DSN_FILE",
    "ATELIER_SITES_MAX",
    "ATELIER_SITES_MAX_SOMMETS",
    "ATELIER_SIGNING_KEY",
    "ATELIER_SIGNING_KEY_FILE",
    "ATELIER_SIGNING_KEY_SINCE",
    "ATELIER_SIGNING_PREVIOUS_KEYS",
    "ATELIER_MINISTERE",
    "ATELIER_EDITEUR",
    "ATELIER_DIRECTION_PUBLICATION",
    "ATELIER_HEBERGEUR",
    "ATELIER_CONTACT_EMAIL",
    "ATELIER_DPO_EMAIL",
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
    "secret_key": settings.SECRET_KEY,
    "database_name": str(settings.DATABASES["default"]["NAME"]),
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "email_password": getattr(settings, "EMAIL_HOST_PASSWORD", None),
    "proconnect_secret": settings.PROCONNECT_CLIENT_SECRET,
    "admins": settings.ADMINS,
    "media_backend": settings.STORAGES["default"]["BACKEND"],
    "media_options": settings.STORAGES["default"].get("OPTIONS", {}),
    "sentry": __import__("sentry_sdk").get_client().is_active(),
    "sentry_environment": __import__("sentry_sdk").get_client().options.get("environment"),
    "rapport_limits": [
        __import__("feuilles_de_route.tasks", fromlist=["x"]).generate_rapport.soft_time_limit,
        __import__("feuilles_de_route.tasks", fromlist=["x"]).generate_rapport.time_limit,
    ],
    "visibility_timeout": settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"],
}))
"""


def run_settings(*command: str, **env: str) -> subprocess.CompletedProcess:
    """The PROBE (or ``command``) in a fresh interpreter with only ``env`` of the settings'
    variables."""
    child_env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    child_env.update(env, DJANGO_SETTINGS_MODULE="atelier.settings")
    return subprocess.run(
        [sys.executable, *(command or ("-c", "import django; django.setup()\n" + PROBE))],
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


def test_database_connections_are_kept_and_checked_before_reuse():
    url = "postgres://postgres@127.0.0.1:5432/atelier"
    expressions = [
        "settings.DATABASES['default']['CONN_MAX_AGE']",
        "settings.DATABASES['default']['CONN_HEALTH_CHECKS']",
    ]
    assert evaluated(expressions, DATABASE_URL=url) == [60, True]
    assert evaluated(expressions, DATABASE_URL=url, ATELIER_DB_CONN_MAX_AGE="0") == [0, True]


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


SIGNING_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # 32 bytes, tests only

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "ATELIER_SIGNING_KEY": SIGNING_KEY,
    "DJANGO_SECRET_KEY": "x" * 60,
    "DJANGO_ALLOWED_HOSTS": "atelier.gouv.fr",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/atelier",
    "REDIS_URL": "redis://127.0.0.1:6379/6",
    "EMAIL_HOST": "smtp.atelier.gouv.fr",
}


def production(**changes: str | None) -> dict[str, str]:
    """The production variables with some changed (None removes one)."""
    env = {**PRODUCTION, **changes}
    return {k: v for k, v in env.items() if v is not None}


def test_production_requires_a_secret_key_and_hosts():
    assert "DJANGO_SECRET_KEY" in refused(**production(DJANGO_SECRET_KEY=None))
    assert "DJANGO_ALLOWED_HOSTS" in refused(**production(DJANGO_ALLOWED_HOSTS=None))
    values = loaded(**PRODUCTION)
    assert values["debug"] is False
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_requires_a_signing_key():
    assert "ATELIER_SIGNING_KEY" in refused(**production(ATELIER_SIGNING_KEY=None))


def test_signing_key_from_a_file(tmp_path):
    key = tmp_path / "cle"
    key.write_text(SIGNING_KEY + "\n")
    loaded(**production(ATELIER_SIGNING_KEY=None), ATELIER_SIGNING_KEY_FILE=str(key))
    message = refused(ATELIER_SIGNING_KEY_FILE=str(tmp_path / "absente"))
    assert "ATELIER_SIGNING_KEY_FILE" in message and "illisible" in message


@pytest.mark.parametrize("name", ["ATELIER_CONTACT_EMAIL", "ATELIER_DPO_EMAIL"])
def test_contact_addresses_must_be_addresses(name):
    assert name in refused(**{name: "pas-une-adresse"})


@pytest.mark.parametrize("name", ["ATELIER_MINISTERE", "ATELIER_EDITEUR"])
def test_the_publisher_cannot_be_blank(name):
    assert name in refused(**{name: "   "})


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        ({"DATABASE_URL": None}, "SQLite"),
        ({"DATABASE_URL": "sqlite:////tmp/atelier.sqlite3"}, "SQLite"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"EMAIL_HOST": None}, "EMAIL_HOST"),
    ],
)
def test_production_refuses_to_degrade_silently(missing, named):
    message = refused(**production(**missing))
    assert named in message
    assert "ATELIER_DEMO_SANS_INFRA=1" in message


def test_demo_without_infrastructure_starts_but_check_deploy_says_so():
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "demo.atelier.gouv.fr",
        "ATELIER_DEMO_SANS_INFRA": "1",
        "ATELIER_SIGNING_KEY": SIGNING_KEY,
    }
    values = loaded(**env)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["eager"] is True
    result = run_settings("manage.py", "check", "--deploy", **env)
    output = result.stdout + result.stderr
    for check_id, words in [
        ("atelier.W001", "SQLite"),
        ("atelier.W002", "REDIS_URL"),
        ("atelier.W003", "EMAIL_HOST"),
    ]:
        assert check_id in output and words in output, output


def test_nothing_is_reported_when_the_infrastructure_is_there():
    from atelier.infra import degradations

    assert (
        degradations(
            engine="django.db.backends.postgresql",
            redis_url="redis://127.0.0.1:6379/6",
            email_backend="django.core.mail.backends.smtp.EmailBackend",
        )
        == []
    )


def test_secrets_can_come_from_files(tmp_path):
    files = {}
    for name, value in [
        ("DJANGO_SECRET_KEY", "s" * 60),
        ("DATABASE_URL", "postgres://atelier:pw@db:5432/depuis_un_fichier"),
        ("EMAIL_HOST_PASSWORD", "mot-de-passe-smtp"),
        ("PROCONNECT_CLIENT_SECRET", "secret-proconnect"),
    ]:
        path = tmp_path / name.lower()
        path.write_text(value + "\n")  # editors and `echo` add a newline: it is dropped
        files[f"{name}_FILE"] = str(path)
    values = loaded(
        **production(DJANGO_SECRET_KEY=None, DATABASE_URL=None),
        **files,
        PROCONNECT_CLIENT_ID="atelier",
        PROCONNECT_SERVER_URL="https://proconnect.example.gouv.fr/api/v2",
    )
    assert values["secret_key"] == "s" * 60
    assert values["database_name"] == "depuis_un_fichier"
    assert values["email_password"] == "mot-de-passe-smtp"
    assert values["proconnect_secret"] == "secret-proconnect"


def test_a_secret_file_that_cannot_be_read_or_doubles_the_variable_is_refused(tmp_path):
    assert "DJANGO_SECRET_KEY_FILE" in refused(
        **production(DJANGO_SECRET_KEY=None), DJANGO_SECRET_KEY_FILE=str(tmp_path / "absent")
    )
    (tmp_path / "cle").write_text("k" * 60)
    message = refused(**production(), DJANGO_SECRET_KEY_FILE=str(tmp_path / "cle"))
    assert "n'en gardez qu'une" in message


def test_cache_can_live_on_its_own_redis():
    values = loaded(REDIS_URL="redis://127.0.0.1:6379/6")
    assert values["cache_location"] == "redis://127.0.0.1:6379/6"
    values = loaded(
        REDIS_URL="redis://127.0.0.1:6379/6", ATELIER_CACHE_REDIS_URL="redis://cache:6379/0"
    )
    assert values["broker"] == "redis://127.0.0.1:6379/6"
    assert values["cache_location"] == "redis://cache:6379/0"
    assert "REDIS_URL" in refused(ATELIER_CACHE_REDIS_URL="redis://cache:6379/0")
    assert "ATELIER_CACHE_REDIS_URL" in refused(
        REDIS_URL="redis://127.0.0.1:6379/6", ATELIER_CACHE_REDIS_URL="memcached://x"
    )


def test_admins_receive_server_errors():
    values = loaded(
        DJANGO_ADMINS="Équipe Atelier <exploitation@atelier.gouv.fr>, astreinte@gouv.fr"
    )
    assert values["admins"] == [
        ["Équipe Atelier", "exploitation@atelier.gouv.fr"],
        ["astreinte@gouv.fr", "astreinte@gouv.fr"],
    ]
    assert "DJANGO_ADMINS" in refused(DJANGO_ADMINS="pas une adresse")


def test_sentry_reports_errors_when_a_dsn_is_given():
    assert loaded()["sentry"] is False
    values = loaded(
        SENTRY_DSN="https://clef@sentry.atelier.invalid/12", SENTRY_ENVIRONMENT="recette"
    )
    assert values["sentry"] is True
    assert values["sentry_environment"] == "recette"
    assert "SENTRY_DSN" in refused(SENTRY_DSN="ceci n'est pas un DSN")


def test_media_on_s3_when_a_bucket_is_named(tmp_path):
    assert loaded()["media_backend"] == "django.core.files.storage.FileSystemStorage"
    secret = tmp_path / "s3"
    secret.write_text("secret-s3")
    values = loaded(
        ATELIER_S3_BUCKET="atelier-medias",
        ATELIER_S3_ENDPOINT_URL="http://seaweedfs:8333",
        ATELIER_S3_REGION="fr-par",
        ATELIER_S3_URL_EXPIRE="60",
        AWS_ACCESS_KEY_ID="atelier",
        AWS_SECRET_ACCESS_KEY_FILE=str(secret),
    )
    assert values["media_backend"] == "storages.backends.s3.S3Storage"
    options = values["media_options"]
    assert options["bucket_name"] == "atelier-medias"
    assert options["endpoint_url"] == "http://seaweedfs:8333"
    assert options["region_name"] == "fr-par"
    assert (options["access_key"], options["secret_key"]) == ("atelier", "secret-s3")
    assert options["querystring_expire"] == 60
    assert options["default_acl"] is None  # private bucket, no public-read ACL
    assert "ATELIER_S3_ENDPOINT_URL" in refused(
        ATELIER_S3_BUCKET="b", ATELIER_S3_ENDPOINT_URL="seaweedfs:8333"
    )


def test_report_task_honours_the_time_limit_variables():
    values = loaded(ATELIER_TASK_SOFT_TIME_LIMIT="50", ATELIER_TASK_TIME_LIMIT="70")
    assert values["rapport_limits"] == [50, 70]
    assert values["visibility_timeout"] == 280
    assert loaded()["rapport_limits"] == [240, 300]


@pytest.mark.parametrize(
    "env",
    [
        {"DJANGO_DEBUG": "peut-être"},
        {"ATELIER_UPLOAD_MAX_MO": "vingt"},
        {"ATELIER_TASK_TIME_LIMIT": "10", "ATELIER_TASK_SOFT_TIME_LIMIT": "20"},
        {"PROCONNECT_CLIENT_ID": "abc"},
        {"ATELIER_SIGNING_KEY": "trop-courte"},
        {"ATELIER_SIGNING_KEY_SINCE": "hier"},
        {"ATELIER_SIGNING_PREVIOUS_KEYS": SIGNING_KEY},
        {"ATELIER_SIGNING_PREVIOUS_KEYS": f"{SIGNING_KEY}:2025-01-01:"},
        {"ATELIER_SITES_MAX": "0"},
        {"ATELIER_RESUME_HEURE": "24"},
    ],
)
def test_bad_values_fail_loudly(env):
    refused(**env)


def _variables_read_by_settings() -> set[str]:
    import re

    source = (ROOT / "atelier" / "settings.py").read_text()
    pattern = r'(?:os\.environ\.get|env_bool|env_int|env_list|env_url)\(\s*"([A-Z][A-Z0-9_]+)"'
    secrets = set(re.findall(r'env_secret\(\s*"([A-Z][A-Z0-9_]+)"', source))
    return set(re.findall(pattern, source)) | secrets | {f"{name}_FILE" for name in secrets}


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


# Each variable of the README, its effect on the settings: (value, expression, expected).
EFFECTS = {
    "DJANGO_CSRF_TRUSTED_ORIGINS": (
        "https://atelier.gouv.fr, https://recette.atelier.gouv.fr",
        "settings.CSRF_TRUSTED_ORIGINS",
        ["https://atelier.gouv.fr", "https://recette.atelier.gouv.fr"],
    ),
    "ATELIER_SITE_URL": (
        "https://atelier.gouv.fr/",
        "settings.SITE_URL",
        "https://atelier.gouv.fr",
    ),
    "ATELIER_MFA_OBLIGATOIRE": ("non", "settings.ATELIER_MFA_OBLIGATOIRE", False),
    "ATELIER_INVITATION_JOURS": ("30", "settings.ATELIER_INVITATION_JOURS", 30),
    "ATELIER_RESUME_HEURE": ("18", "settings.ATELIER_RESUME_HEURE", 18),
    "ATELIER_TRUSTED_PROXY_COUNT": ("2", "settings.ALLAUTH_TRUSTED_PROXY_COUNT", 2),
    "ATELIER_MEDIA_ROOT": (
        "/srv/atelier/medias",
        "str(settings.MEDIA_ROOT)",
        "/srv/atelier/medias",
    ),
    "ATELIER_STATIC_ROOT": (
        "/srv/atelier/static",
        "str(settings.STATIC_ROOT)",
        "/srv/atelier/static",
    ),
    "ATELIER_UPLOAD_MAX_MO": ("5", "settings.UPLOAD_MAX_MO", 5),
    "EMAIL_HOST": ("smtp.atelier.gouv.fr", "settings.EMAIL_HOST", "smtp.atelier.gouv.fr"),
    "EMAIL_PORT": ("2525", "settings.EMAIL_PORT", 2525),
    "EMAIL_HOST_USER": ("atelier", "settings.EMAIL_HOST_USER", "atelier"),
    "EMAIL_HOST_PASSWORD": ("mot-de-passe", "settings.EMAIL_HOST_PASSWORD", "mot-de-passe"),
    "EMAIL_USE_TLS": ("0", "settings.EMAIL_USE_TLS", False),
    "DEFAULT_FROM_EMAIL": (
        "Atelier <ne-pas-repondre@atelier.gouv.fr>",
        "[settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL]",
        ["Atelier <ne-pas-repondre@atelier.gouv.fr>"] * 2,
    ),
    "ATELIER_SITES_MAX": ("7", "settings.ATELIER_SITES_MAX", 7),
    "ATELIER_SITES_MAX_SOMMETS": ("900", "settings.ATELIER_SITES_MAX_SOMMETS", 900),
    "ATELIER_SIGNING_KEY_SINCE": (
        "2026-01-01",
        "str(settings.ATELIER_SIGNING_KEY_SINCE)",
        "2026-01-01",
    ),
    "ATELIER_MINISTERE": ("Ministère A", "settings.ATELIER_MINISTERE", "Ministère A"),
    "ATELIER_EDITEUR": ("Éditeur B", "settings.ATELIER_EDITEUR", "Éditeur B"),
    "ATELIER_DIRECTION_PUBLICATION": (
        "Direction C",
        "settings.ATELIER_DIRECTION_PUBLICATION",
        "Direction C",
    ),
    "ATELIER_HEBERGEUR": ("Hébergeur D", "settings.ATELIER_HEBERGEUR", "Hébergeur D"),
    "ATELIER_CONTACT_EMAIL": ("e@f.fr", "settings.ATELIER_CONTACT_EMAIL", "e@f.fr"),
    "ATELIER_DPO_EMAIL": ("g@h.fr", "settings.ATELIER_DPO_EMAIL", "g@h.fr"),
    "ATELIER_CONSERVATION_CANDIDATURES_JOURS": (
        "365",
        "settings.ATELIER_CONSERVATION_CANDIDATURES_JOURS",
        365,
    ),
    "ATELIER_CONSERVATION_INVITATIONS_JOURS": (
        "30",
        "settings.ATELIER_CONSERVATION_INVITATIONS_JOURS",
        30,
    ),
    "ATELIER_CONSERVATION_SECURITE_JOURS": (
        "60",
        "settings.ATELIER_CONSERVATION_SECURITE_JOURS",
        60,
    ),
}
# Only read with DEBUG off, on top of PRODUCTION.
PRODUCTION_EFFECTS = {
    "DJANGO_SECURE_SSL_REDIRECT": ("0", "settings.SECURE_SSL_REDIRECT", False),
    "DJANGO_HSTS_SECONDS": ("60", "settings.SECURE_HSTS_SECONDS", 60),
}
# Variables whose effect a test above checks, by test.
TESTED_ABOVE = {
    "ATELIER_CARTE_TUILES_URL": "test_the_tile_layer_is_https_and_credited",
    "ATELIER_CARTE_TUILES_ATTRIBUTION": "test_the_tile_layer_is_https_and_credited",
    "ATELIER_SIGNING_KEY": "test_production_requires_a_signing_key",
    "ATELIER_SIGNING_KEY_FILE": "test_signing_key_from_a_file",
    "ATELIER_SIGNING_PREVIOUS_KEYS": "test_bad_values_fail_loudly",
    "DJANGO_DEBUG": "test_production_requires_a_secret_key_and_hosts",
    "DJANGO_SECRET_KEY": "test_production_requires_a_secret_key_and_hosts",
    "DJANGO_ALLOWED_HOSTS": "test_production_requires_a_secret_key_and_hosts",
    "DATABASE_URL": "test_postgres_database_url",
    "ATELIER_DB_CONN_MAX_AGE": "test_database_connections_are_kept_and_checked_before_reuse",
    "REDIS_URL": "test_redis_url_switches_cache_and_broker_to_redis",
    "ATELIER_CACHE_REDIS_URL": "test_cache_can_live_on_its_own_redis",
    "ATELIER_DEMO_SANS_INFRA": "test_demo_without_infrastructure_starts_but_check_deploy_says_so",
    "ATELIER_TASK_SOFT_TIME_LIMIT": "test_report_task_honours_the_time_limit_variables",
    "ATELIER_TASK_TIME_LIMIT": "test_report_task_honours_the_time_limit_variables",
    "DJANGO_ADMINS": "test_admins_receive_server_errors",
    "SENTRY_DSN": "test_sentry_reports_errors_when_a_dsn_is_given",
    "SENTRY_ENVIRONMENT": "test_sentry_reports_errors_when_a_dsn_is_given",
    "ATELIER_S3_BUCKET": "test_media_on_s3_when_a_bucket_is_named",
    "ATELIER_S3_ENDPOINT_URL": "test_media_on_s3_when_a_bucket_is_named",
    "ATELIER_S3_REGION": "test_media_on_s3_when_a_bucket_is_named",
    "ATELIER_S3_URL_EXPIRE": "test_media_on_s3_when_a_bucket_is_named",
    "AWS_ACCESS_KEY_ID": "test_media_on_s3_when_a_bucket_is_named",
    "AWS_SECRET_ACCESS_KEY": "test_media_on_s3_when_a_bucket_is_named",
    "AWS_SECRET_ACCESS_KEY_FILE": "test_media_on_s3_when_a_bucket_is_named",
    "DJANGO_SECRET_KEY_FILE": "test_secrets_can_come_from_files",
    "DATABASE_URL_FILE": "test_secrets_can_come_from_files",
    "EMAIL_HOST_PASSWORD_FILE": "test_secrets_can_come_from_files",
    "PROCONNECT_CLIENT_SECRET_FILE": "test_secrets_can_come_from_files",
    "SENTRY_DSN_FILE": "test_secret_files_for_sentry",
    "PROCONNECT_CLIENT_ID": "test_proconnect_is_configured_from_the_environment",
    "PROCONNECT_CLIENT_SECRET": "test_proconnect_is_configured_from_the_environment",
    "PROCONNECT_SERVER_URL": "test_proconnect_is_configured_from_the_environment",
}


def evaluated(expressions: list[str], **env: str) -> list:
    code = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        f"print(json.dumps([{', '.join(expressions)}]))"
    )
    result = run_settings("-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_each_variable_has_its_effect():
    names = list(EFFECTS)
    values = evaluated([EFFECTS[n][1] for n in names], **{n: EFFECTS[n][0] for n in names})
    assert dict(zip(names, values, strict=True)) == {n: EFFECTS[n][2] for n in names}
    names = list(PRODUCTION_EFFECTS)
    values = evaluated(
        [PRODUCTION_EFFECTS[n][1] for n in names],
        **PRODUCTION,
        **{n: PRODUCTION_EFFECTS[n][0] for n in names},
    )
    assert dict(zip(names, values, strict=True)) == {n: PRODUCTION_EFFECTS[n][2] for n in names}


def test_secret_files_for_sentry(tmp_path):
    dsn = tmp_path / "dsn"
    dsn.write_text("https://clef@sentry.atelier.invalid/3\n")
    assert loaded(SENTRY_DSN_FILE=str(dsn))["sentry"] is True


def test_proconnect_is_configured_from_the_environment():
    assert evaluated(["settings.PROCONNECT_ENABLED"]) == [False]
    enabled, apps = evaluated(
        ["settings.PROCONNECT_ENABLED", "settings.SOCIALACCOUNT_PROVIDERS['proconnect']['APPS']"],
        PROCONNECT_CLIENT_ID="atelier",
        PROCONNECT_CLIENT_SECRET="secret",
        PROCONNECT_SERVER_URL="https://proconnect.example.gouv.fr/api/v2",
    )
    assert enabled is True
    assert apps == [
        {
            "client_id": "atelier",
            "secret": "secret",
            "settings": {"server_url": "https://proconnect.example.gouv.fr/api/v2"},
        }
    ]


def test_every_variable_has_a_test_of_its_effect():
    tests = {name for name in globals() if name.startswith("test_")}
    for name in _variables_read_by_settings():
        if name in EFFECTS or name in PRODUCTION_EFFECTS:
            continue
        assert name in TESTED_ABOVE, f"{name} : aucun test ne vérifie son effet"
        assert TESTED_ABOVE[name] in tests, TESTED_ABOVE[name]
