"""Writes for the public site: the cache of public pages and exports.

Public pages and exports are cached under keys that embed a *generation* number. Publishing
or unpublishing anything bumps the generation (``invalider_cache_public``), so every cached
page becomes unreachable at once, whatever the cache backend (no key scan, no pattern
delete) — the stale entries simply expire.
"""

from collections.abc import Callable
from hashlib import sha256
from typing import TypeVar

from django.core.cache import cache

GENERATION_KEY = "public:generation"
CACHE_TIMEOUT = 600  # seconds; invalidation is explicit, the timeout only bounds memory.

T = TypeVar("T")


def generation_publique() -> int:
    """The current generation of public content (created on first use)."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def invalider_cache_public() -> None:
    """Make every cached public page and export stale. Call after any publication change."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key does not exist (yet, or evicted): start a new generation
        cache.set(GENERATION_KEY, generation_publique() + 1, timeout=None)


def cle_publique(nom: str, *parts: str) -> str:
    """A cache key for a public resource, bound to the current generation."""
    digest = sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"public:{generation_publique()}:{nom}:{digest}"


def en_cache(*, nom: str, parts: tuple[str, ...], calcul: Callable[[], T]) -> T:
    """Return the cached value for (nom, parts) or compute, store and return it."""
    key = cle_publique(nom, *parts)
    value = cache.get(key)
    if value is None:
        value = calcul()
        cache.set(key, value, timeout=CACHE_TIMEOUT)
    return value
