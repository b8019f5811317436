"""The shipped contours: a compact encoding of (multi)polygons, and reading them back.

A geometry is stored as a list of polygons, each a list of rings, each ring a flat list of
integers: the first position in units of ``1 / PRECISION`` degree, then the differences from
the previous position (longitude, latitude, longitude, latitude…). Neighbouring vertices are
close, so the numbers are short and gzip well: the 35,000 communes fit in a few megabytes.

No Django import: the converter script (scripts/geographie.py) uses it too.
"""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

PRECISION = 10_000  # 1e-4 degree ≈ 11 m
DONNEES = Path(__file__).resolve().parent / "data"


def _encode_ring(coordonnees) -> list[int]:
    sortie: list[int] = []
    px = py = 0
    for x, y in coordonnees:
        ix, iy = round(x * PRECISION), round(y * PRECISION)
        if sortie and ix == px and iy == py:
            continue
        sortie += [ix - px, iy - py]
        px, py = ix, iy
    return sortie


def encode(geometrie) -> list[list[list[int]]]:
    """Encode a shapely Polygon or MultiPolygon."""
    polygones = geometrie.geoms if geometrie.geom_type == "MultiPolygon" else [geometrie]
    return [
        [_encode_ring(p.exterior.coords)] + [_encode_ring(i.coords) for i in p.interiors]
        for p in polygones
        if not p.is_empty
    ]


def _decode_ring(entiers: list[int], precision: int) -> list[list[float]]:
    positions = []
    x = y = 0
    for i in range(0, len(entiers), 2):
        x += entiers[i]
        y += entiers[i + 1]
        positions.append([x / precision, y / precision])
    return positions


def decode(code: list, precision: int = PRECISION) -> dict[str, Any] | None:
    """The GeoJSON MultiPolygon of an encoded geometry (None when empty)."""
    if not code:
        return None
    return {
        "type": "MultiPolygon",
        "coordinates": [[_decode_ring(r, precision) for r in polygone] for polygone in code],
    }


def lire(nom: str) -> dict[str, Any]:
    """Read one of the shipped ``territoires/data/<nom>.json.gz`` files."""
    with gzip.open(DONNEES / f"{nom}.json.gz", "rt", encoding="utf-8") as fichier:
        return json.load(fichier)


@cache
def contours_territoires() -> dict[str, Any]:
    """EPCI, départements and régions contours (about a megabyte in memory, read once)."""
    return lire("contours-territoires")
