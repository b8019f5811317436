"""Django's Redis cache backend, keeping one ``redis.Redis`` client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` on every cache call;
its constructor registers some 170 response callbacks, about 0.2 ms each time — as much as
the cache round trip itself on loopback. A ``redis.Redis`` is safe to share (it takes a
connection from its pool per command), and Django already keeps one backend per thread,
so building it once per pool changes nothing else.
"""

import time

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache as _RedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import transaction

# The generation of public content: every cached public page and export embeds it in its key
# (public.cache). Any app that changes what the public sees bumps it.
GENERATION_KEY = "public:generation"


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
