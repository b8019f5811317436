"""Writes of the geography: territories derived from the reference (communes, EPCI)."""

import shapely
import shapely.geometry
from django.db import transaction

from . import contours
from .models import Territoire

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
