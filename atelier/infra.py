"""What a production instance must not run without, checked at start-up and by ``check --deploy``.

Each fallback that makes ``make run`` need nothing installed is a silent degradation in
production: SQLite (one file, one host), no Redis (a cache per process, so a publication
reaches only the worker that made it, and tasks run inside the web request), e-mails printed
to the console (nobody receives them). With ``DJANGO_DEBUG=0`` the settings refuse them,
unless ``ATELIER_DEMO_SANS_INFRA=1`` says it is a demonstration on purpose; ``check --deploy``
then still lists them.
"""

from django.core import checks

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
SQLITE = "django.db.backends.sqlite3"


def degradations(*, engine: str, redis_url: str, email_backend: str) -> list[tuple[str, str]]:
    """(check id, French sentence) for each missing piece of infrastructure; empty when none."""
    found = []
    if engine == SQLITE:
        found.append(("atelier.W001", "la base est SQLite : renseignez DATABASE_URL=postgres://…"))
    if not redis_url:
        found.append(
            (
                "atelier.W002",
                "REDIS_URL est absente : les tâches s'exécuteraient dans la requête web et "
                "le cache resterait propre à chaque processus",
            )
        )
    if email_backend == CONSOLE_EMAIL:
        found.append(
            (
                "atelier.W003",
                "EMAIL_HOST est absente : les courriels seraient seulement affichés dans la "
                "console",
            )
        )
    return found


def refusal_message(found: list[tuple[str, str]]) -> str:
    return (
        "DJANGO_DEBUG=0 sans l'infrastructure de production — "
        + " ; ".join(sentence for _, sentence in found)
        + ". Pour une démonstration sans infrastructure, définissez ATELIER_DEMO_SANS_INFRA=1."
    )


@checks.register(checks.Tags.compatibility, deploy=True)
def check_infrastructure(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from django.conf import settings

    found = degradations(
        engine=settings.DATABASES["default"]["ENGINE"],
        redis_url=settings.REDIS_URL,
        email_backend=settings.EMAIL_BACKEND,
    )
    return [
        checks.Warning(
            f"Infrastructure de production manquante : {sentence}.",
            hint="ATELIER_DEMO_SANS_INFRA=1 ne convient qu'à une démonstration.",
            id=check_id,
        )
        for check_id, sentence in found
    ]
