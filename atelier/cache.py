"""Django's Redis cache backend: one ``redis.Redis`` client per pool, and no hard dependency.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` on every cache call;
its constructor registers some 170 response callbacks, about 0.2 ms each time — as much as
the cache round trip itself on loopback. A ``redis.Redis`` is safe to share (it takes a
connection from its pool per command), and Django already keeps one backend per thread,
so building it once per pool changes nothing else.

The cache is an accelerator, never a place where data lives: when Redis cannot be reached,
every read is a miss and every write is skipped (logged, at most every ``LOG_EVERY`` seconds
per process), so public pages render uncached and no write fails. What counts on the cache
to *refuse* something — allauth's rate limits — fails closed instead: its lock can no longer
be taken, and :class:`atelier.middleware.CacheIndisponibleMiddleware` turns the resulting
429 into a French "try again in a few minutes" page (``cache_unavailable_during_request``).
"""

import contextvars
import logging
import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as _RedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY = 30.0  # seconds

# The generation of public content: every cached public page and export embeds it in its key
# (public.cache). Any app that changes what the public sees bumps it.
GENERATION_KEY = "public:generation"

_failed = contextvars.ContextVar("atelier_cache_failed", default=False)
_last_log = 0.0


def start_request() -> None:
    _failed.set(False)


def cache_unavailable_during_request() -> bool:
    """Did a cache call of this request (or task) find Redis unreachable?"""
    return _failed.get()


def _unreachable(operation: str, exc: Exception) -> None:
    global _last_log
    _failed.set(True)
    now = time.monotonic()
    if now - _last_log >= LOG_EVERY:
        _last_log = now
        logger.error("Cache Redis injoignable (%s : %s) : on continue sans cache.", operation, exc)


class ClientRedis(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(_RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientRedis

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNREACHABLE as exc:
            _unreachable("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNREACHABLE as exc:
            _unreachable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNREACHABLE as exc:
            _unreachable("has_key", exc)
            return False

    def add(self, key, value, timeout=None, version=None):
        # False, as for a key already there: a lock (allauth's rate limits) is not taken.
        try:
            return super().add(key, value, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("add", exc)
            return False

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("set", exc)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNREACHABLE as exc:
            _unreachable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNREACHABLE as exc:
            _unreachable("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except UNREACHABLE as exc:
            _unreachable("delete_many", exc)

    def incr(self, key, delta=1, version=None):
        # As if the key were missing: callers already handle ValueError (and start afresh).
        try:
            return super().incr(key, delta, version)
        except UNREACHABLE as exc:
            _unreachable("incr", exc)
            raise ValueError(f"Clé {key!r} indisponible : cache injoignable.") from exc

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as exc:
            _unreachable("clear", exc)
            return False


def generation_publique() -> int:
    """The current generation of public content (created on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Started from the clock, not from 1: after a cache flush, a generation number is
        # never reused, so a copy kept by a process (the exports) cannot pass for fresh.
        debut = time.time_ns() // 1_000_000
        cache.add(GENERATION_KEY, debut, timeout=None)
        value = cache.get(GENERATION_KEY) or debut
    return int(value)


def invalidate_public_cache() -> None:
    """Make every cached public page and export stale. Call after any publication change.

    Bumps the generation now, and again once the surrounding transaction commits: a page
    recomputed between the two (reading the not yet committed state) is thus discarded.
    """
    _incrementer()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_incrementer)


def _incrementer() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key does not exist (yet, or evicted): start a new generation
        cache.set(GENERATION_KEY, generation_publique() + 1, timeout=None)
