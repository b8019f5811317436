"""``/sante/``: can this instance reach its database, cache and broker?"""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from atelier.cache import cache_unavailable_during_request

logger = logging.getLogger(__name__)

# Seconds allowed to each dependency before it is reported unreachable.
TIMEOUT = 2


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("Santé : base de données injoignable (%s)", exc)
        return {"ok": False, "detail": "base de données injoignable"}
    return {"ok": True, "moteur": connection.vendor}


def check_cache() -> dict:
    key = f"sante:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        ok = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        logger.warning("Santé : cache injoignable (%s)", exc)
        return {"ok": False, "detail": "cache injoignable"}
    if not ok and cache_unavailable_during_request():
        # The Redis backend swallows connection errors (atelier.cache): say what happened.
        return {"ok": False, "detail": "cache injoignable"}
    backend = "redis" if settings.REDIS_URL else "mémoire locale"
    return {"ok": ok, "moteur": backend} if ok else {"ok": False, "detail": "cache incohérent"}


def check_broker() -> dict:
    if not settings.REDIS_URL:
        return {"ok": True, "mode": "tâches exécutées dans le processus (pas de REDIS_URL)"}
    from kombu import Connection

    # A fresh connection from the settings (not the Celery app's pool, configured once at
    # start-up): one attempt, no retry loop, bounded by TIMEOUT so that a load balancer
    # probing /sante/ gets an answer quickly when the broker is down.
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=TIMEOUT,
            transport_options={
                "socket_timeout": TIMEOUT,
                "socket_connect_timeout": TIMEOUT,
            },
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=TIMEOUT)
            conn.default_channel.client.ping()
    except Exception as exc:
        logger.warning("Santé : courtier Celery injoignable (%s)", exc)
        return {"ok": False, "detail": "courtier Celery injoignable"}
    return {"ok": True, "mode": "redis"}


@never_cache
@require_GET
def sante(request):
    checks = {"base": check_database(), "cache": check_cache(), "courtier": check_broker()}
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"statut": "ok" if ok else "dégradé", **checks},
        status=200 if ok else 503,
        json_dumps_params={"ensure_ascii": False},
    )
