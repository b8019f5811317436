"""Writes: the cache of public pages and exports; territories derived from the reference.

Public pages and exports are cached under keys that embed a *generation* number. Publishing
or unpublishing anything bumps the generation (``invalider_cache_public``), so every cached
page becomes unreachable at once, whatever the cache backend (no key scan, no pattern
delete) — the stale entries simply expire.
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from hashlib import sha256
from typing import TypeVar

import shapely
import shapely.geometry
from django.core.cache import cache
from django.db import transaction

from . import contours
from .models import Territoire

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


# --------------------------------------------------------------------------------------------
# Territories derived from the reference geography
# --------------------------------------------------------------------------------------------

# Simplification of a union of communes, by the size of its bounding box (degrees): a
# perimeter is drawn over a map, not measured.
_TOLERANCES = ((0.2, 0.0003), (1.0, 0.001), (3.0, 0.002))


def _union(contours_encodes: list) -> "shapely.Geometry | None":
    formes = [shapely.geometry.shape(g) for g in map(contours.decode, contours_encodes) if g]
    if not formes:
        return None
    union = shapely.union_all(formes)
    etendue = max(union.bounds[2] - union.bounds[0], union.bounds[3] - union.bounds[1])
    tolerance = next((t for taille, t in _TOLERANCES if etendue <= taille), 0.004)
    simple = shapely.make_valid(union.simplify(tolerance))
    return simple if simple.geom_type in ("Polygon", "MultiPolygon") else union


def _geojson(forme) -> dict:
    def arrondir(valeur):
        if isinstance(valeur, float):
            return round(valeur, 5)
        return [arrondir(v) for v in valeur]

    geojson = shapely.geometry.mapping(forme)
    return {"type": geojson["type"], "coordinates": arrondir(geojson["coordinates"])}


def territoire_derive(*, territoire: Territoire) -> Territoire:
    """Derive what a territory made of reference members (communes, EPCI) must not have typed:
    its départements and région, population, perimeter (the union of its communes' contours),
    a representative point inside it, its INSEE or SIREN code when it is one commune or one
    EPCI, and the names and codes the search finds it by.

    A territory without members (a free perimeter) keeps what it has; only its search words
    are refreshed. Safe to run twice; run again after a new vintage of the reference.
    """
    epci = list(territoire.epci.all())
    communes = {c.pk: c for c in territoire.communes.select_related("departement__region")}
    for groupement in epci:
        for commune in groupement.communes.select_related("departement__region"):
            communes.setdefault(commune.pk, commune)
    communes = list(communes.values())
    valeurs: dict = {}
    if communes:
        departements = {c.departement for c in communes}
        poids: dict = {}
        for commune in communes:
            region = commune.departement.region
            poids[region] = poids.get(region, 0) + commune.population + 1
        valeurs["region"] = max(poids, key=lambda r: (poids[r], r.code))
        valeurs["population"] = sum(c.population for c in communes)
        forme = _union([g.contour for g in epci] if epci and not territoire.communes.exists()
                       else [c.contour for c in communes])  # fmt: skip
        if forme is not None:
            point = forme.point_on_surface()
            valeurs["perimetre"] = _geojson(forme)
            valeurs["latitude"], valeurs["longitude"] = round(point.y, 5), round(point.x, 5)
        if len(communes) == 1 and not epci:
            valeurs["code_insee"] = communes[0].code
        if len(epci) == 1 and not territoire.communes.exists():
            siren = epci[0].siren
            libre = not Territoire.objects.filter(siren=siren).exclude(pk=territoire.pk).exists()
            valeurs["siren"] = siren if libre else territoire.siren
        territoire.departements.set(departements)
    else:
        departements = set(territoire.departements.select_related("region"))
    region = valeurs.get("region") or territoire.region
    lieux = [territoire.nom, region.nom, region.code]
    lieux += [f"{d.nom} {d.code}" for d in sorted(departements, key=lambda d: d.code)]
    lieux += [f"{g.nom} {g.siren}" for g in epci]
    lieux += [f"{c.nom} {c.code} {c.codes_postaux}" for c in communes]
    valeurs["lieux"] = " ".join(lieux)
    Territoire.objects.filter(pk=territoire.pk).update(**valeurs)
    for champ, valeur in valeurs.items():
        setattr(territoire, champ, valeur)
    return territoire


def territoire_from_reference(*, nom: str, codes: list[str], nature: str = "") -> Territoire:
    """The territory made of these reference members (INSEE codes of communes, SIREN of
    EPCI), created if no territory has this name's slug yet, then derived.

    The hook for data loaded in bulk (the historical lauréats, a PNR given as its communes):
    it names places by their official codes and gets the real perimeter. Unknown codes raise
    ``ValueError`` naming them; nothing is written then.
    """
    from django.utils.text import slugify

    from .models import EPCI, Commune

    communes = list(Commune.objects.filter(code__in=[c for c in codes if len(c) == 5]))
    epci = list(EPCI.objects.filter(siren__in=[c for c in codes if len(c) == 9]))
    inconnus = set(codes) - {c.code for c in communes} - {e.siren for e in epci}
    if inconnus or not codes:
        raise ValueError(f"Codes absents du référentiel : {', '.join(sorted(inconnus)) or '∅'}")
    if not nature:
        nature = (
            Territoire.Nature.COMMUNE
            if len(communes) == 1 and not epci
            else Territoire.Nature.EPCI
            if len(epci) == 1 and not communes
            else Territoire.Nature.INTER_TERRITORIAL
        )
    region = communes[0].departement.region if communes else epci[0].regions.first()
    with transaction.atomic():
        territoire, _ = Territoire.objects.get_or_create(
            slug=slugify(nom)[:220], defaults={"nom": nom, "nature": nature, "region": region}
        )
        territoire.communes.set(communes)
        territoire.epci.set(epci)
        return territoire_derive(territoire=territoire)
