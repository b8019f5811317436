"""The cache of public pages and exports.

Public pages and exports are cached under keys that embed a *generation* number. Publishing
or unpublishing anything bumps the generation (``atelier.cache.invalidate_public_cache``, callable from any app), so every cached
page becomes unreachable at once, whatever the cache backend (no key scan, no pattern
delete) — the stale entries simply expire.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from hashlib import sha256
from typing import TypeVar

from django.core.cache import cache

from atelier.cache import GENERATION_KEY, generation_publique

CACHE_TIMEOUT = 600  # seconds; invalidation is explicit, the timeout only bounds memory.

T = TypeVar("T")


def _cle(nom: str, parts: tuple[str, ...]) -> str:
    digest = sha256("\x1f".join(parts).encode()).hexdigest()[:32]
    return f"public:{nom}:{digest}"


# Values this process read or computed recently, tagged with their generation. A page or an
# export found here costs one round trip for the (tiny) generation number instead of moving
# and unpickling the whole value again; the generation check keeps every process exact.
# Bounded in bytes; least recently used first out.
_LOCAL: OrderedDict[str, tuple[int, object, int]] = OrderedDict()
_LOCAL_MAX_OCTETS = 32 * 1024 * 1024
_LOCAL_VERROU = threading.Lock()
_local_octets = 0


def _octets(valeur: object) -> int:
    """Approximate size of a cached value (bytes, text, containers, prepared pages)."""
    if isinstance(valeur, bytes | str):
        return len(valeur)
    if isinstance(valeur, dict):
        valeur = tuple(valeur.values())
    if isinstance(valeur, tuple | list):
        return sum(_octets(v) for v in valeur)
    return getattr(valeur, "octets", 64)


def _garder(cle: str, generation: int, valeur: object) -> None:
    global _local_octets
    taille = _octets(valeur)
    if taille > _LOCAL_MAX_OCTETS // 4:
        return
    with _LOCAL_VERROU:
        ancienne = _LOCAL.pop(cle, None)
        if ancienne is not None:
            _local_octets -= ancienne[2]
        _LOCAL[cle] = (generation, valeur, taille)
        _local_octets += taille
        while _local_octets > _LOCAL_MAX_OCTETS:
            _, (_, _, sortie) = _LOCAL.popitem(last=False)
            _local_octets -= sortie


def lire(*, nom: str, parts: tuple[str, ...], local: bool = False) -> tuple[object | None, int]:
    """(cached value or None, current generation) in one cache round trip.

    Entries carry the generation they were computed under; an older one is a miss. With
    ``local``, the value is also kept in this process and, while the generation holds,
    served from there.
    """
    cle = _cle(nom, parts)
    if local and (copie := _LOCAL.get(cle)) is not None:
        generation = generation_publique()
        if copie[0] == generation:
            with _LOCAL_VERROU:
                if cle in _LOCAL:
                    _LOCAL.move_to_end(cle)
            return copie[1], generation
    trouve = cache.get_many([GENERATION_KEY, cle])
    generation = trouve.get(GENERATION_KEY)
    if generation is None:
        generation = generation_publique()
    entree = trouve.get(cle)
    if entree is not None and entree[0] == generation:
        if local:
            _garder(cle, generation, entree[1])
        return entree[1], generation
    return None, generation


def ecrire(
    *, nom: str, parts: tuple[str, ...], generation: int, valeur: object, local: bool = False
) -> None:
    """Store a value computed under ``generation`` (read *before* computing it: a
    publication during the computation leaves an entry that is already stale)."""
    cle = _cle(nom, parts)
    cache.set(cle, (generation, valeur), timeout=CACHE_TIMEOUT)
    if local:
        _garder(cle, generation, valeur)


def en_cache(*, nom: str, parts: tuple[str, ...], calcul: Callable[[], T]) -> T:
    """Return the cached value for (nom, parts) or compute, store and return it."""
    valeur, generation = lire(nom=nom, parts=parts)
    if valeur is None:
        valeur = calcul()
        ecrire(nom=nom, parts=parts, generation=generation, valeur=valeur)
    return valeur
