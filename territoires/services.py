"""Writes for the public site: the cache of public pages and exports.

Public pages and exports are cached under keys that embed a *generation* number. Publishing
or unpublishing anything bumps the generation (``invalider_cache_public``), so every cached
page becomes unreachable at once, whatever the cache backend (no key scan, no pattern
delete) — the stale entries simply expire.
"""

import time
from collections.abc import Callable
from hashlib import sha256
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "public:generation"
CACHE_TIMEOUT = 600  # seconds; invalidation is explicit, the timeout only bounds memory.

T = TypeVar("T")


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


def invalider_cache_public() -> None:
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


def _cle(nom: str, parts: tuple[str, ...]) -> str:
    digest = sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"public:{nom}:{digest}"


def lire(*, nom: str, parts: tuple[str, ...]) -> tuple[object | None, int]:
    """(cached value or None, current generation) in one cache round trip.

    Entries carry the generation they were computed under; an older one is a miss.
    """
    cle = _cle(nom, parts)
    trouve = cache.get_many([GENERATION_KEY, cle])
    generation = trouve.get(GENERATION_KEY)
    if generation is None:
        generation = generation_publique()
    entree = trouve.get(cle)
    if entree is not None and entree[0] == generation:
        return entree[1], generation
    return None, generation


def ecrire(*, nom: str, parts: tuple[str, ...], generation: int, valeur: object) -> None:
    """Store a value computed under ``generation`` (read *before* computing it: a
    publication during the computation leaves an entry that is already stale)."""
    cache.set(_cle(nom, parts), (generation, valeur), timeout=CACHE_TIMEOUT)


def en_cache(*, nom: str, parts: tuple[str, ...], calcul: Callable[[], T]) -> T:
    """Return the cached value for (nom, parts) or compute, store and return it."""
    valeur, generation = lire(nom=nom, parts=parts)
    if valeur is None:
        valeur = calcul()
        ecrire(nom=nom, parts=parts, generation=generation, valeur=valeur)
    return valeur
