"""The demo territories (fictional perimeters around real places).

A mixin of :class:`demo.seed.DemoSeeder`, whose ``__init__`` loads the régions and départements.
"""

import math

from django.utils.text import slugify

from territoires.models import EPCI, Commune, Territoire
from territoires.services import territoire_derive

from . import data
from .base import upsert


class TerritoiresDemo:
    """Demo territories, one per entry of ``data.TERRITOIRES``."""

    def _territoire(self, nom: str) -> Territoire:
        spec = next(t for t in data.TERRITOIRES if t[0] == nom)
        _, nature, region, deps, lat, lon, population, avec_perimetre = spec
        territoire, _ = upsert(
            Territoire,
            slug=f"{slugify(nom)}-demo",
            defaults={
                "nom": nom,
                "nature": nature,
                "region": self.regions[region],
                "latitude": lat,
                "longitude": lon,
                "population": population,
                "perimetre": perimetre_autour(lat, lon) if avec_perimetre else None,
                "description": (
                    f"Territoire de démonstration (démo) : {nom}. Les ateliers, participants "
                    "et feuilles de route affichés ici sont fictifs."
                ),
                "est_demo": True,
            },
        )
        territoire.departements.set([self.departements[code] for code in deps])
        membres = data.MEMBRES.get(nom, ())
        communes = Commune.objects.filter(code__in=membres)
        epci = EPCI.objects.filter(siren__in=membres)
        if len(communes) + len(epci) == len(membres) > 0:  # the COG is loaded
            territoire.communes.set(communes)
            territoire.epci.set(epci)
        return territoire_derive(territoire=territoire)


def perimetre_autour(lat: float, lon: float, rayon: float = 0.08) -> dict:
    """A simple octagon around the point (GeoJSON Polygon, closed ring, lon/lat order)."""
    ring = []
    for i in range(8):
        angle = i * 45
        dx = rayon * 1.4 * _cos(angle)
        dy = rayon * _sin(angle)
        ring.append([round(lon + dx, 5), round(lat + dy, 5)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _cos(degrees: int) -> float:
    return math.cos(math.radians(degrees))


def _sin(degrees: int) -> float:
    return math.sin(math.radians(degrees))
