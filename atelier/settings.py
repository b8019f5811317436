"""Settings for Atelier, driven by environment variables.

One file for every environment: production differs only by variables (see the README,
"Configuration"). Defaults make ``make run`` work on a fresh machine (SQLite, tasks run
in-process, e-mails on the console). A malformed value fails loudly with
``ImproperlyConfigured`` rather than silently falling back.
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from atelier import infra, signing

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on", "oui"}
_FALSE = {"0", "false", "no", "off", "non", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} : valeur booléenne attendue (1/0, true/false).")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} : nombre entier attendu.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} : doit valoir au moins {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, *, schemes: tuple[str, ...], default: str = "") -> str:
    raw = os.environ.get(name, default).strip()
    if not raw:
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes or not (parsed.netloc or parsed.path):
        raise ImproperlyConfigured(
            f"{name}={raw!r} : URL invalide (schémas acceptés : {', '.join(schemes)})."
        )
    return raw


def env_secret(name: str, default: str = "") -> str:
    """``NAME``, or the content of the file ``NAME_FILE`` names (Docker or Kubernetes secrets).

    Both at once is ambiguous and refused; an unreadable file stops start-up.
    """
    file_name = f"{name}_FILE"
    path = os.environ.get(file_name, "").strip()
    if not path:
        return os.environ.get(name, default)
    if os.environ.get(name, "").strip():
        raise ImproperlyConfigured(f"{name} et {file_name} sont définies : n'en gardez qu'une.")
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{file_name}={path!r} : fichier illisible ({exc}).") from None


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)
# With DEBUG off, running without PostgreSQL, Redis or SMTP is refused at start-up (see
# "Production infrastructure" below) unless this says it is a demonstration on purpose.
DEMO_SANS_INFRA = env_bool("ATELIER_DEMO_SANS_INFRA", False)

SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY est obligatoire quand DJANGO_DEBUG=0 "
            "(une chaîne aléatoire d'au moins 50 caractères)."
        )
    SECRET_KEY = "django-insecure-dev-only-atelier-des-territoires-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS est obligatoire quand DJANGO_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

SITE_URL = env_url(
    "ATELIER_SITE_URL", schemes=("http", "https"), default="http://127.0.0.1:8000"
).rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "atelier.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "widget_tweaks",
    "dsfr",
    "django_filters",
    "leaflet",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "acteurs.proconnect",
    # Project apps
    "journal",
    "outbox",
    "territoires",
    "acteurs",
    "ateliers",
    "appels",
    "feuilles_de_route",
    "public",
    "demo",
    # Project-wide management commands (sauvegarder, restaurer) and system checks.
    "atelier.apps.AtelierConfig",
    "capitalisation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "atelier.middleware.PermissionsPolicyMiddleware",
    "atelier.middleware.RefusCaractereNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSP (its page gets the nonce), before everything that uses the cache.
    "atelier.middleware.CacheIndisponibleMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "acteurs.middleware.JournalSecuriteMiddleware",
    "acteurs.middleware.MfaObligatoireMiddleware",
    "atelier.middleware.PagesErreurMiddleware",
    "atelier.middleware.BusinessErrorMiddleware",
]

ROOT_URLCONF = "atelier.urls"
CSRF_FAILURE_VIEW = "atelier.views.csrf_failure"
WSGI_APPLICATION = "atelier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "atelier.context_processors.site",
            ],
            # ``date_fr`` (French dates with « 1er »), ``taille_fr`` (Ko, Mo) and
            # ``nature_fichier`` (« Tableur (XLSX) », never a MIME type) in every template.
            "builtins": ["atelier.dates", "atelier.textes"],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"
DSFR_MARK_OPTIONAL_FIELDS = True
# django-dsfr treats alert and message contents as trusted HTML by default; messages repeat
# what users typed (titles, file names): escape them. Markup built with format_html stays.
DSFR_CONTENT_IS_SAFE = False

# --- Database -------------------------------------------------------------------------------

_database_url = env_secret("DATABASE_URL").strip() or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
except Exception as exc:  # dj-database-url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL invalide ({exc}).") from exc
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured(
        "DATABASE_URL : seuls PostgreSQL (postgres://…) et SQLite (sqlite:///…) sont pris en charge."
    )
# Connections are kept between requests (CONN_MAX_AGE, ATELIER_DB_CONN_MAX_AGE) and checked
# before reuse: after a PostgreSQL restart, the next request reconnects instead of failing.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("ATELIER_DB_CONN_MAX_AGE", 60, minimum=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# No server-side cursors: a select drawn from a model (ModelChoiceIterator reads it with
# QuerySet.iterator()) cost four round trips to PostgreSQL (DECLARE … WITH HOLD, two FETCH,
# CLOSE) instead of one; the back-office journal was 14 % slower for it. It also lets a
# connection pooler in transaction mode (PgBouncer) stand in front. What reads a whole table
# goes by batches of primary keys (atelier.requetes.par_lots).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery --------------------------------------------------------------------------

REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
# The cache may live on its own Redis (bounded memory, an eviction policy) so that evicting
# cache keys can never drop a queued task. Defaults to REDIS_URL.
CACHE_REDIS_URL = env_url("ATELIER_CACHE_REDIS_URL", schemes=("redis", "rediss")) or REDIS_URL
if CACHE_REDIS_URL and not REDIS_URL:
    raise ImproperlyConfigured("ATELIER_CACHE_REDIS_URL demande aussi REDIS_URL (le broker).")

# The longest task (the restitution PDF) is capped by its hard time limit; the broker must
# not redeliver a task still running, so the visibility timeout is well above that limit.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("ATELIER_TASK_SOFT_TIME_LIMIT", 240, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("ATELIER_TASK_TIME_LIMIT", 300, minimum=1)
if CELERY_TASK_TIME_LIMIT <= CELERY_TASK_SOFT_TIME_LIMIT:
    raise ImproperlyConfigured(
        "ATELIER_TASK_TIME_LIMIT doit être supérieur à ATELIER_TASK_SOFT_TIME_LIMIT."
    )

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "atelier.cache.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "KEY_PREFIX": "atelier",
            "TIMEOUT": 300,
            # Fail fast rather than hang a request (or /sante/) when Redis is unreachable.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "atelier",
            "TIMEOUT": 300,
        }
    }
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True

CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 4}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Europe/Paris"
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE: dict = {
    # Tasks owed by committed changes that a broker outage left waiting (outbox/), every 30 s.
    "outbox-dispatch-pending": {
        "task": "outbox.tasks.dispatch_pending",
        "schedule": timedelta(seconds=30),
    },
    # Reports stuck past ATELIER_TASK_TIME_LIMIT + 1 min (worker killed, message lost), and
    # re-renders owed after an account closure whose task was lost or failed, each minute:
    # queued again (feuilles_de_route.services.rapport_watchdog).
    "rapports-bloques": {
        "task": "feuilles_de_route.tasks.rapports_watchdog",
        "schedule": timedelta(minutes=1),
    },
    # Deadline reminders to authors of unsubmitted drafts (7 days and 1 day before), hourly.
    "rappels-cloture-candidatures": {
        "task": "appels.tasks.rappels_cloture",
        "schedule": timedelta(hours=1),
    },
    # Follow-up reminders 6, 12 and 36 months after a roadmap's adoption (idempotent, daily).
    "feuilles-de-route-rappels-suivi": {
        "task": "feuilles_de_route.tasks.send_rappels_suivi",
        "schedule": timedelta(days=1),
    },
    # Reminders to signatories two days before the version's « à signer avant le », hourly
    # (each person reminded once: feuilles_de_route.services.signature_reminder_send).
    "feuilles-de-route-rappels-signature": {
        "task": "feuilles_de_route.tasks.send_signature_reminders",
        "schedule": timedelta(hours=1),
    },
    # The e-mail digest of « Ce qui m'attend », daily or weekly as each person chose, sent
    # from ATELIER_RESUME_HEURE (Paris time), hourly (one per person and period).
    "acteurs-resumes": {
        "task": "acteurs.tasks.envoyer_resumes",
        "schedule": timedelta(hours=1),
    },
    # Retention periods of personal data (ATELIER_CONSERVATION_*), daily; logs what it removed.
    "donnees-personnelles-conservation": {
        "task": "appels.tasks.purger_donnees_expirees",
        "schedule": timedelta(days=1),
    },
}

# --- Auth -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "acteurs.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/espace/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# First name, last name and organisation, asked at signup (acteurs.forms.SignupForm).
ACCOUNT_SIGNUP_FORM_CLASS = "acteurs.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Atelier des territoires] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_INPUT_RENDER_VALUE = False
# Re-authentication (before a sensitive change) by password or by the second factor only:
# allauth 65.22 adds "a code sent by e-mail", which would let whoever reads a staff
# member's mailbox pass it instead of their TOTP.
ACCOUNT_REAUTHENTICATION_METHODS = ["password", "mfa"]
# allauth's rate limits are counted in Django's cache: Redis when REDIS_URL is set, so they
# hold across every web worker. Stated explicitly so nobody turns them off by accident.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_email": "1/m/user",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
}
# Behind the reverse proxy (docker-compose), the client IP is the last-but-N entry of
# X-Forwarded-For; rate limits and the security log use it. 0 = trust REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ATELIER_TRUSTED_PROXY_COUNT", 0)
ACCOUNT_ADAPTER = "acteurs.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "acteurs.adapter.SocialAccountAdapter"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Atelier des territoires"
# One 30-second step either side: phones drift, and a code typed at the turn of a step
# must not fail.
MFA_TOTP_TOLERANCE = 1
# DGALN staff, superusers and pilotes must have a second factor before reaching any page
# under /espace/ateliers/, /gestion/ or /admin/ (acteurs.middleware.MfaObligatoireMiddleware).
# Only a development convenience may turn it off; production keeps the default.
ATELIER_MFA_OBLIGATOIRE = env_bool("ATELIER_MFA_OBLIGATOIRE", True)
# Demonstrator sites: at most this many per atelier, and this many vertices in all (each
# site's geometry is also capped by territoires.geo.MAX_POSITIONS).
ATELIER_SITES_MAX = env_int("ATELIER_SITES_MAX", 50, minimum=1)
# The hour (0–23, Paris time) from which the daily and weekly digests go out.
ATELIER_RESUME_HEURE = env_int("ATELIER_RESUME_HEURE", 7)
if ATELIER_RESUME_HEURE > 23:
    raise ImproperlyConfigured(
        f"ATELIER_RESUME_HEURE={ATELIER_RESUME_HEURE} : une heure de 0 à 23 est attendue."
    )
ATELIER_SITES_MAX_SOMMETS = env_int("ATELIER_SITES_MAX_SOMMETS", 100_000, minimum=1)
# An invitation link stays valid this many days (signed with max_age, single use).
ATELIER_INVITATION_JOURS = env_int("ATELIER_INVITATION_JOURS", 14, minimum=1)
# Retention periods (personal data, see templates/public/pages/donnees_personnelles.html):
# candidatures never retained (non retenues, irrecevables, abandoned drafts), counted from
# their last change; invitations expired or cancelled; connection traces in the database.
ATELIER_CONSERVATION_CANDIDATURES_JOURS = env_int(
    "ATELIER_CONSERVATION_CANDIDATURES_JOURS", 730, minimum=1
)
ATELIER_CONSERVATION_INVITATIONS_JOURS = env_int(
    "ATELIER_CONSERVATION_INVITATIONS_JOURS", 90, minimum=1
)
ATELIER_CONSERVATION_SECURITE_JOURS = env_int("ATELIER_CONSERVATION_SECURITE_JOURS", 180, minimum=1)

PROCONNECT_CLIENT_ID = os.environ.get("PROCONNECT_CLIENT_ID", "").strip()
PROCONNECT_CLIENT_SECRET = env_secret("PROCONNECT_CLIENT_SECRET").strip()
PROCONNECT_SERVER_URL = env_url("PROCONNECT_SERVER_URL", schemes=("http", "https"))
if bool(PROCONNECT_CLIENT_ID) != bool(PROCONNECT_SERVER_URL):
    raise ImproperlyConfigured(
        "ProConnect : PROCONNECT_CLIENT_ID et PROCONNECT_SERVER_URL vont ensemble."
    )
PROCONNECT_ENABLED = bool(PROCONNECT_CLIENT_ID and PROCONNECT_SERVER_URL)
# ProConnect (acteurs/proconnect): configured from the environment only, never in the
# database. Agents whose address matches an existing account are linked to it, not
# duplicated (policy in acteurs/adapter.py).
SOCIALACCOUNT_PROVIDERS: dict = {}
if PROCONNECT_ENABLED:
    SOCIALACCOUNT_PROVIDERS["proconnect"] = {
        "APPS": [
            {
                "client_id": PROCONNECT_CLIENT_ID,
                "secret": PROCONNECT_CLIENT_SECRET,
                "settings": {"server_url": PROCONNECT_SERVER_URL},
            }
        ],
        "OAUTH_PKCE_ENABLED": True,
    }
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False

# --- Platform signing key ------------------------------------------------------------------
# Every seal (signatures, reports) is signed with this Ed25519 key, kept outside the database
# (atelier/signing.py says what is signed). Required when DEBUG is off; in debug mode a
# development key is derived from SECRET_KEY so that `make run` works.
ATELIER_SIGNING_KEY, ATELIER_SIGNING_KEY_DEVELOPPEMENT = signing.read_private_key(
    value=os.environ.get("ATELIER_SIGNING_KEY", ""),
    file=os.environ.get("ATELIER_SIGNING_KEY_FILE", ""),
    debug=DEBUG,
    secret_key=SECRET_KEY,
)
# The day the current key started signing (shown with it; a seal dated earlier is refused).
ATELIER_SIGNING_KEY_SINCE = signing.parse_date(
    os.environ.get("ATELIER_SIGNING_KEY_SINCE", ""), "ATELIER_SIGNING_KEY_SINCE"
)
# Earlier public keys, kept so that the seals they signed stay verifiable after a rotation.
ATELIER_SIGNING_PREVIOUS_KEYS = signing.parse_previous_keys(
    env_list("ATELIER_SIGNING_PREVIOUS_KEYS", [])
)

# --- I18N -----------------------------------------------------------------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["atelier.formats"]

# --- Static and media -----------------------------------------------------------------------

STATIC_URL = "/static/"
# Where collectstatic writes (the Dockerfile builds it into the image; a CI or a probe can
# point it at a temporary directory).
STATIC_ROOT = Path(os.environ.get("ATELIER_STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "atelier.statiques.StockageStatique"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Media (documents, attachments, reports) on S3-compatible object storage when a bucket is
# named, so that web and worker containers on several hosts see the same files; local disk
# otherwise. The bucket stays private: downloads still go through the views that check the
# permission (atelier.uploads.protected_download streams the object).
S3_BUCKET = os.environ.get("ATELIER_S3_BUCKET", "").strip()
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_url("ATELIER_S3_ENDPOINT_URL", schemes=("http", "https")) or None,
            "region_name": os.environ.get("ATELIER_S3_REGION", "").strip() or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", "").strip() or None,
            "secret_key": env_secret("AWS_SECRET_ACCESS_KEY").strip() or None,
            # Path-style addressing works with every S3 server (SeaweedFS, MinIO, Garage…).
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            # Should anything ask for a file's URL, it is signed and short-lived.
            "querystring_auth": True,
            "querystring_expire": env_int("ATELIER_S3_URL_EXPIRE", 300, minimum=1),
        },
    }
# Media files are never served from a public URL: every download goes through a view that
# checks the permission on the object the file belongs to.
MEDIA_ROOT = Path(os.environ.get("ATELIER_MEDIA_ROOT", "").strip() or BASE_DIR / "media")
MEDIA_URL = "/media-non-public/"
UPLOAD_MAX_MO = env_int("ATELIER_UPLOAD_MAX_MO", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Atelier des territoires <ne-pas-repondre@atelier-territoires.gouv.fr>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = os.environ.get("EMAIL_HOST", "").strip()
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 15
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Production infrastructure, error reporting ---------------------------------------------

if not DEBUG and not DEMO_SANS_INFRA:
    _missing = infra.degradations(
        engine=DATABASES["default"]["ENGINE"], redis_url=REDIS_URL, email_backend=EMAIL_BACKEND
    )
    if _missing:
        raise ImproperlyConfigured(infra.refusal_message(_missing))

# Server errors (500) are e-mailed to these addresses when DEBUG is off ("Nom <adresse>" or
# plain addresses, separated by commas).
ADMINS = []
for _name, _address in getaddresses(env_list("DJANGO_ADMINS", [])):
    if "@" not in _address:
        raise ImproperlyConfigured(f"DJANGO_ADMINS : adresse invalide {_address!r}.")
    ADMINS.append((_name or _address, _address))

SENTRY_DSN = env_secret("SENTRY_DSN").strip()
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.utils import BadDsn

    try:
        sentry_sdk.init(
            dsn=SENTRY_DSN,
            environment=os.environ.get("SENTRY_ENVIRONMENT", "").strip() or "production",
            # Errors only: no performance tracing, no personal data (e-mail, IP, cookies).
            traces_sample_rate=0,
            send_default_pii=False,
        )
    except BadDsn as exc:
        raise ImproperlyConfigured(f"SENTRY_DSN invalide ({exc}).") from None

# --- Security -------------------------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the roadmap editor's fetch() reads it
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Browser features no page uses, switched off (atelier.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(self), "
    "screen-wake-lock=(), sync-xhr=(), usb=(), xr-spatial-tracking=(), interest-cohort=()"
)

# --- Base map -------------------------------------------------------------------------------
# The tile layer under every map (loaded by the visitor's browser, never by the server).
# Default: the Géoplateforme's Plan IGN, public and keyless. Empty: no tiles, only the shipped
# contours (départements, communes) — what a map shows offline anyway.
CARTE_TUILES_URL = env_url(
    "ATELIER_CARTE_TUILES_URL",
    schemes=("https",),
    default=(
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM"
        "&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    ),
)
CARTE_TUILES_ATTRIBUTION = os.environ.get(
    "ATELIER_CARTE_TUILES_ATTRIBUTION", "Plan IGN © IGN – Géoplateforme"
).strip()
if CARTE_TUILES_URL and not CARTE_TUILES_ATTRIBUTION:
    raise ImproperlyConfigured(
        "ATELIER_CARTE_TUILES_ATTRIBUTION est obligatoire avec ATELIER_CARTE_TUILES_URL "
        "(la source du fond de carte doit être citée)."
    )
_TUILES_ORIGINE = (
    f"{urlparse(CARTE_TUILES_URL).scheme}://{urlparse(CARTE_TUILES_URL).netloc}"
    if CARTE_TUILES_URL
    else ""
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # No 'unsafe-inline': no style attribute nor <style> in served pages (Leaflet and
        # DSFR set styles through the CSSOM, which the CSP allows). README, "Sécurité".
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *([_TUILES_ORIGINE] if _TUILES_ORIGINE else [])],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# --- Maps -----------------------------------------------------------------------------------

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 2,
    "MAX_ZOOM": 18,
    "RESET_VIEW": False,
    "TILES": [],
    "ATTRIBUTION_PREFIX": "Atelier des territoires",
}

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"simple": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "simple"},
        # Server errors to ADMINS (DJANGO_ADMINS); does nothing while the list is empty.
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "atelier.securite": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
# Django's database sessions, the row read by one statement (atelier/sessions.py).
SESSION_ENGINE = "atelier.sessions"

# --- The service's identity (legal pages, footer, PDF covers, e-mails) ------------------------
# Ministries change names: the one setting every page, PDF and e-mail reads it from.

ATELIER_MINISTERE = os.environ.get(
    "ATELIER_MINISTERE",
    "Ministère de l'Aménagement du territoire et de la Transition écologique",
).strip()
ATELIER_EDITEUR = os.environ.get(
    "ATELIER_EDITEUR",
    "Direction générale de l'aménagement, du logement et de la nature (DGALN), Bureau des "
    "stratégies territoriales, 1 place Carpeaux, Tour Séquoia, 92055 La Défense Cedex",
).strip()
ATELIER_DIRECTION_PUBLICATION = os.environ.get(
    "ATELIER_DIRECTION_PUBLICATION",
    "La directrice ou le directeur général de l'aménagement, du logement et de la nature",
).strip()
ATELIER_HEBERGEUR = os.environ.get(
    "ATELIER_HEBERGEUR",
    "Hébergeur non renseigné (variable ATELIER_HEBERGEUR : nom, adresse et téléphone)",
).strip()
ATELIER_CONTACT_EMAIL = os.environ.get(
    "ATELIER_CONTACT_EMAIL", "contact@atelier-territoires.gouv.fr"
).strip()
ATELIER_DPO_EMAIL = os.environ.get("ATELIER_DPO_EMAIL", "dpo@atelier-territoires.gouv.fr").strip()
for _nom in ("ATELIER_MINISTERE", "ATELIER_EDITEUR", "ATELIER_CONTACT_EMAIL", "ATELIER_DPO_EMAIL"):
    if not globals()[_nom]:
        raise ImproperlyConfigured(f"{_nom} ne peut pas être vide.")
for _nom in ("ATELIER_CONTACT_EMAIL", "ATELIER_DPO_EMAIL"):
    if "@" not in globals()[_nom]:
        raise ImproperlyConfigured(f"{_nom}={globals()[_nom]!r} : adresse électronique attendue.")
