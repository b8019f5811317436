"""GeoJSON and coordinate validation for geometries stored as plain JSON (no GDAL/PostGIS).

Why this exists: perimeters and markers are drawn by users (Leaflet) or pasted from other tools
and saved in ``JSONField``s. Without a spatial database nothing else checks them, so this module
is the single gate that guarantees a stored geometry is well-formed GeoJSON (RFC 7946), small
enough to render, and located in France. The France check is deliberately coarse (bounding
boxes): it catches the real-life mistakes (latitude/longitude swapped, 0/0 for "not filled in",
projected Lambert-93 metres pasted as degrees, a copy-paste from the wrong place), not a
border dispute — a point in Geneva or Brussels passes, one in Madrid or London does not.

Only ``ValidationError`` and ``gettext_lazy`` are imported from Django, neither of which needs
configured settings at import time, so the module can be used from scripts and plain tests.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "FRANCE_BOXES",
    "MAX_GEOJSON_CHARS",
    "MAX_POSITIONS",
    "SUPPORTED_TYPES",
    "BoundingBox",
    "geometry_bbox",
    "geometry_centroid",
    "geometry_vertex_count",
    "is_in_france",
    "parse_geojson",
    "simplify_for_display",
    "validate_point",
]


class BoundingBox(NamedTuple):
    """A named lon/lat rectangle, in the GeoJSON ``bbox`` order (west, south, east, north).

    When ``lon_min > lon_max`` the box crosses the antimeridian (it covers
    ``lon >= lon_min`` or ``lon <= lon_max``), so boxes can be written for Pacific territories
    without splitting them by hand.
    """

    name: str
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float

    def contains(self, lon: float, lat: float) -> bool:
        """Return True if (lon, lat) lies in the box, borders included."""
        if not self.lat_min <= lat <= self.lat_max:
            return False
        if self.lon_min <= self.lon_max:
            return self.lon_min <= lon <= self.lon_max
        return lon >= self.lon_min or lon <= self.lon_max


# Land extent plus a small margin (coastal and offshore projects, islets). Boxes are generous on
# purpose: rejecting a legitimate perimeter is worse for a user than accepting a slightly
# foreign vertex. TAAF and Clipperton are left out: no local authority there can run an atelier.
FRANCE_BOXES: tuple[BoundingBox, ...] = (
    BoundingBox("France métropolitaine", -5.5, 42.25, 8.35, 51.2),
    BoundingBox("Corse", 8.45, 41.3, 9.65, 43.1),
    BoundingBox("Guadeloupe", -61.9, 15.8, -60.95, 16.55),
    BoundingBox("Martinique", -61.3, 14.35, -60.75, 14.95),
    BoundingBox("Guyane", -54.65, 2.1, -51.55, 5.85),
    BoundingBox("La Réunion", 55.2, -21.4, 55.85, -20.85),
    BoundingBox("Mayotte", 44.95, -13.05, 45.35, -12.6),
    BoundingBox("Saint-Pierre-et-Miquelon", -56.5, 46.7, -56.1, 47.15),
    BoundingBox("Saint-Barthélemy", -62.95, 17.85, -62.75, 17.98),
    BoundingBox("Saint-Martin", -63.2, 18.0, -62.95, 18.15),
    BoundingBox("Wallis-et-Futuna", -178.25, -14.4, -176.1, -13.15),
    BoundingBox("Polynésie française", -155.0, -28.0, -134.0, -7.5),
    BoundingBox("Nouvelle-Calédonie", 163.0, -23.0, 168.5, -19.0),
)

# Abuse limits: a commune perimeter simplified for the web has a few thousand vertices; more
# than this is an unsimplified cadastral export or an attack, and would freeze the map anyway.
MAX_POSITIONS = 50_000
MAX_GEOJSON_CHARS = 5_000_000

# Geometry types this module can validate. GeometryCollection is excluded on purpose: it would
# let a "perimeter" mix points and lines, which nothing downstream knows how to display.
SUPPORTED_TYPES: tuple[str, ...] = (
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
)
_OTHER_GEOJSON_TYPES = ("GeometryCollection", "Feature", "FeatureCollection")

_NESTING_HINTS = {
    "Point": _("un Point attend une seule position [longitude, latitude]."),
    "MultiPoint": _("un MultiPoint attend une liste de positions [longitude, latitude]."),
    "LineString": _("une LineString attend une liste de positions [longitude, latitude]."),
    "MultiLineString": _(
        "une MultiLineString attend une liste de lignes, chacune étant une liste de positions "
        "[longitude, latitude]."
    ),
    "Polygon": _(
        "un Polygon attend une liste d'anneaux, chacun étant une liste de positions "
        "[longitude, latitude]."
    ),
    "MultiPolygon": _(
        "un MultiPolygon attend une liste de polygones, chacun étant une liste d'anneaux de "
        "positions [longitude, latitude]."
    ),
}

Position = list[float]


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    """Format a coordinate the French way (decimal comma, no useless zeros) for messages."""
    if abs(value) >= 1e9:
        return f"{value:g}".replace(".", ",")
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


def _describe(value: Any) -> Any:
    """Name the JSON kind of ``value`` in French, to say what was found instead of expected."""
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("un booléen")
    if isinstance(value, int | float | Decimal):
        return _("un nombre")
    if isinstance(value, str):
        return _("un texte")
    if isinstance(value, list | tuple):
        return _("une liste")
    if isinstance(value, dict):
        return _("un objet")
    return _("une valeur non JSON")


def _shorten(value: Any, limit: int = 40) -> str:
    """Echo a user value in a message without letting a huge paste flood the error."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_number(value: Any) -> bool:
    """JSON numbers only: ``bool`` is an ``int`` subclass in Python but not a coordinate."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def is_in_france(lon: float, lat: float) -> bool:
    """Return True if (lon, lat) falls in one of ``FRANCE_BOXES`` (metropole or overseas).

    Argument order is GeoJSON order (longitude first). Non-finite values are never in France.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return False
    return any(box.contains(lon, lat) for box in FRANCE_BOXES)


def _swapped_hint(lon: float, lat: float) -> Any:
    """Explain the most common mistake when the swapped pair would have been in France."""
    if -90 <= lon <= 90 and is_in_france(lat, lon):
        return _(
            " La latitude et la longitude semblent inversées : GeoJSON attend "
            "[longitude, latitude]."
        )
    return ""


# --------------------------------------------------------------------------------------------
# validate_point
# --------------------------------------------------------------------------------------------


def _coerce_coordinate(value: Any, message: Any, code: str) -> float:
    """Turn a form/API value into a finite float, accepting "48,85" as typed by French users."""
    if isinstance(value, str):
        candidate: Any = value.strip().replace(",", ".")
        try:
            candidate = float(candidate)
        except ValueError:
            candidate = None
    elif _is_number(value):
        candidate = float(value)
    else:
        candidate = None
    if candidate is None or not math.isfinite(candidate):
        raise ValidationError(message, code=code, params={"value": _shorten(value)})
    return candidate


def validate_point(lat: Any, lon: Any) -> tuple[float, float]:
    """Check that (lat, lon) is a valid WGS 84 position in France; return it as floats.

    Takes latitude first because that is how forms and humans write it ("48.85, 2.35");
    :func:`is_in_france` and GeoJSON use longitude first. Numeric strings, including a
    decimal comma, are accepted since this is typically fed from form fields.

    Raises ``ValidationError`` (French message) for non-numbers, out-of-range values and
    positions outside France.
    """
    lat_f = _coerce_coordinate(
        lat,
        _("La latitude doit être un nombre (valeur reçue : « %(value)s »)."),
        "invalid_latitude",
    )
    lon_f = _coerce_coordinate(
        lon,
        _("La longitude doit être un nombre (valeur reçue : « %(value)s »)."),
        "invalid_longitude",
    )
    if not -90 <= lat_f <= 90:
        raise ValidationError(
            _("La latitude doit être comprise entre -90 et 90 (valeur reçue : %(value)s)."),
            code="latitude_out_of_range",
            params={"value": _fmt(lat_f)},
        )
    if not -180 <= lon_f <= 180:
        raise ValidationError(
            _("La longitude doit être comprise entre -180 et 180 (valeur reçue : %(value)s)."),
            code="longitude_out_of_range",
            params={"value": _fmt(lon_f)},
        )
    if not is_in_france(lon_f, lat_f):
        if lat_f == 0 and lon_f == 0:
            hint: Any = _(" (0, 0) correspond généralement à une position non renseignée.")
        elif -90 <= lon_f <= 90 and is_in_france(lat_f, lon_f):
            hint = _(" La latitude et la longitude semblent inversées.")
        else:
            hint = ""
        raise ValidationError(
            _(
                "Les coordonnées (lat %(lat)s ; lon %(lon)s) sont hors de France "
                "(métropole et outre-mer).%(hint)s"
            ),
            code="outside_france",
            params={"lat": _fmt(lat_f), "lon": _fmt(lon_f), "hint": hint},
        )
    return lat_f, lon_f


# --------------------------------------------------------------------------------------------
# parse_geojson
# --------------------------------------------------------------------------------------------


def _invalid(message: Any, code: str = "invalid_geojson", **params: Any) -> ValidationError:
    """Build (not raise) a ValidationError, so call sites read ``raise _invalid(...)``."""
    return ValidationError(message, code=code, params=params)


def _reject_constant(name: str) -> None:
    """``json.loads`` hook: Python accepts NaN/Infinity, JSON (and RFC 7946) does not."""
    raise _invalid(
        _(
            "GeoJSON invalide : la valeur « %(name)s » n'est pas un nombre JSON valide "
            "(NaN et Infinity sont interdits)."
        ),
        name=name,
    )


def _load(value: Any) -> dict[str, Any]:
    """Accept a dict or a JSON text (str/bytes) and return the top-level JSON object."""
    if isinstance(value, bytes | bytearray):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise _invalid(_("GeoJSON invalide : le texte n'est pas encodé en UTF-8.")) from None
    if isinstance(value, str):
        if not value.strip():
            raise _invalid(_("GeoJSON invalide : la valeur est vide."), code="empty_geojson")
        if len(value) > MAX_GEOJSON_CHARS:
            raise _invalid(
                _(
                    "GeoJSON invalide : le texte est trop volumineux (plus de %(max)s "
                    "caractères). Simplifiez le tracé avant de l'enregistrer."
                ),
                code="geojson_too_large",
                max=f"{MAX_GEOJSON_CHARS:_}".replace("_", "\u202f"),
            )
        try:
            value = json.loads(value, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise _invalid(
                _(
                    "GeoJSON invalide : le texte n'est pas du JSON valide (%(error)s, "
                    "ligne %(line)s, colonne %(column)s)."
                ),
                error=exc.msg,
                line=exc.lineno,
                column=exc.colno,
            ) from None
        except RecursionError:
            raise _invalid(
                _("GeoJSON invalide : le JSON est imbriqué trop profondément.")
            ) from None
    if value is None:
        raise _invalid(_("GeoJSON invalide : aucune géométrie fournie."), code="empty_geojson")
    if not isinstance(value, dict):
        raise _invalid(
            _("GeoJSON invalide : un objet JSON est attendu, mais c'est %(got)s."),
            got=_describe(value),
        )
    return value


def _unwrap(obj: dict[str, Any]) -> dict[str, Any]:
    """Reduce a Feature / one-feature FeatureCollection to its geometry object."""
    if obj.get("type") == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise _invalid(
                _("GeoJSON invalide : la FeatureCollection n'a pas de liste « features ».")
            )
        if len(features) != 1:
            raise _invalid(
                _(
                    "GeoJSON invalide : la FeatureCollection doit contenir exactement une "
                    "entité (elle en contient %(count)s). Fusionnez les tracés en un seul "
                    "MultiPolygon."
                ),
                count=len(features),
            )
        obj = features[0]
        if not isinstance(obj, dict) or obj.get("type") != "Feature":
            raise _invalid(
                _(
                    "GeoJSON invalide : l'élément de « features » doit être un objet de type "
                    "« Feature »."
                )
            )
    if obj.get("type") == "Feature":
        geometry = obj.get("geometry")
        if geometry is None:
            raise _invalid(
                _("GeoJSON invalide : l'entité (Feature) n'a pas de géométrie."),
                code="empty_geojson",
            )
        if not isinstance(geometry, dict):
            raise _invalid(
                _("GeoJSON invalide : « geometry » doit être un objet, mais c'est %(got)s."),
                got=_describe(geometry),
            )
        obj = geometry
    return obj


class _Walker:
    """Validate the ``coordinates`` tree of one geometry and collect its positions.

    Holds the geometry type (for nesting hints) and the position budget, so a huge input is
    rejected as soon as the cap is passed instead of after walking all of it.
    """

    def __init__(self, geometry_type: str) -> None:
        self.geometry_type = geometry_type
        self.positions: list[tuple[str, Position]] = []

    def _wrong_kind(self, path: str, expected: Any, got: Any) -> ValidationError:
        return _invalid(
            _(
                "GeoJSON invalide : %(path)s devrait être %(expected)s, mais c'est %(got)s. "
                "Vérifiez l'imbrication des crochets : %(hint)s"
            ),
            path=path,
            expected=expected,
            got=_describe(got),
            hint=_NESTING_HINTS[self.geometry_type],
        )

    def _list(self, raw: Any, path: str, expected: Any) -> list[Any]:
        if not isinstance(raw, list | tuple):
            raise self._wrong_kind(path, expected, raw)
        if len(raw) > MAX_POSITIONS:
            raise self._too_many()
        return list(raw)

    @staticmethod
    def _at_least(items: list[Any], path: str, min_len: int, what: Any) -> None:
        """Length check, done after the children so a nesting error is reported first."""
        if len(items) < min_len:
            raise _invalid(
                _(
                    "GeoJSON invalide : %(path)s doit contenir au moins %(min)s %(what)s "
                    "(il en contient %(count)s)."
                ),
                path=path,
                min=min_len,
                what=what,
                count=len(items),
            )

    @staticmethod
    def _too_many() -> ValidationError:
        return _invalid(
            _(
                "GeoJSON invalide : le tracé comporte trop de points (plus de %(max)s). "
                "Simplifiez-le avant de l'enregistrer."
            ),
            code="too_many_positions",
            max=f"{MAX_POSITIONS:_}".replace("_", "\u202f"),
        )

    def position(self, raw: Any, path: str) -> Position:
        if not isinstance(raw, list | tuple):
            raise self._wrong_kind(path, _("une position [longitude, latitude]"), raw)
        # Kinds first (at most 4 items): "[[lon, lat]]" is a nesting error, not a length one.
        for index, item in enumerate(raw[:4]):
            if not _is_number(item):
                raise self._wrong_kind(f"{path}[{index}]", _("un nombre"), item)
        if len(raw) not in (2, 3):
            raise _invalid(
                _(
                    "GeoJSON invalide : la position %(path)s doit contenir 2 nombres "
                    "[longitude, latitude] (ou 3 avec l'altitude), elle en contient %(count)s."
                ),
                path=path,
                count=len(raw),
            )
        values: list[float] = []
        for index, item in enumerate(raw):
            number = float(item)
            if not math.isfinite(number):
                raise _invalid(
                    _("GeoJSON invalide : %(path)s n'est pas un nombre fini (NaN ou infini)."),
                    path=f"{path}[{index}]",
                )
            values.append(number)
        lon, lat = values[0], values[1]
        if not -180 <= lon <= 180:
            projected: Any = ""
            if abs(lon) > 1000 or abs(lat) > 1000:
                projected = _(
                    " Les coordonnées semblent projetées (Lambert-93 ?) : GeoJSON attend des "
                    "degrés WGS 84 (EPSG:4326)."
                )
            raise _invalid(
                _(
                    "GeoJSON invalide : la longitude %(path)s vaut %(value)s, elle doit être "
                    "comprise entre -180 et 180.%(hint)s"
                ),
                code="invalid_coordinate",
                path=f"{path}[0]",
                value=_fmt(lon),
                hint=projected,
            )
        if not -90 <= lat <= 90:
            raise _invalid(
                _(
                    "GeoJSON invalide : la latitude %(path)s vaut %(value)s, elle doit être "
                    "comprise entre -90 et 90. Rappel : GeoJSON attend [longitude, latitude]."
                ),
                code="invalid_coordinate",
                path=f"{path}[1]",
                value=_fmt(lat),
            )
        if len(self.positions) >= MAX_POSITIONS:
            raise self._too_many()
        # Altitude is dropped: maps are 2D and a uniform shape keeps consumers simple.
        normalised = [lon, lat]
        self.positions.append((path, normalised))
        return normalised

    def positions_list(self, raw: Any, path: str, min_len: int) -> list[Position]:
        items = self._list(raw, path, _("une liste de positions"))
        positions = [self.position(item, f"{path}[{i}]") for i, item in enumerate(items)]
        self._at_least(positions, path, min_len, _("positions"))
        return positions

    def ring(self, raw: Any, path: str) -> list[Position]:
        ring = self.positions_list(raw, path, min_len=4)
        if ring[0] != ring[-1]:
            raise _invalid(
                _(
                    "GeoJSON invalide : l'anneau %(path)s n'est pas fermé : son dernier point "
                    "(lon %(last_lon)s ; lat %(last_lat)s) doit être identique au premier "
                    "(lon %(first_lon)s ; lat %(first_lat)s)."
                ),
                code="ring_not_closed",
                path=path,
                first_lon=_fmt(ring[0][0]),
                first_lat=_fmt(ring[0][1]),
                last_lon=_fmt(ring[-1][0]),
                last_lat=_fmt(ring[-1][1]),
            )
        return ring

    def polygon(self, raw: Any, path: str) -> list[list[Position]]:
        items = self._list(raw, path, _("une liste d'anneaux"))
        rings = [self.ring(item, f"{path}[{i}]") for i, item in enumerate(items)]
        self._at_least(rings, path, 1, _("anneau"))
        return rings

    def walk(self, coordinates: Any) -> Any:
        path = "coordinates"
        kind = self.geometry_type
        if kind == "Point":
            return self.position(coordinates, path)
        if kind == "MultiPoint":
            return self.positions_list(coordinates, path, min_len=1)
        if kind == "LineString":
            return self.positions_list(coordinates, path, min_len=2)
        if kind == "MultiLineString":
            items = self._list(coordinates, path, _("une liste de lignes"))
            lines = [
                self.positions_list(line, f"{path}[{i}]", min_len=2) for i, line in enumerate(items)
            ]
            self._at_least(lines, path, 1, _("ligne"))
            return lines
        if kind == "Polygon":
            return self.polygon(coordinates, path)
        # MultiPolygon
        items = self._list(coordinates, path, _("une liste de polygones"))
        polygons = [self.polygon(poly, f"{path}[{i}]") for i, poly in enumerate(items)]
        self._at_least(polygons, path, 1, _("polygone"))
        return polygons


def _check_in_france(positions: list[tuple[str, Position]]) -> None:
    """Refuse the geometry if any vertex is outside France, naming the first offender."""
    outside = [(path, pos) for path, pos in positions if not is_in_france(pos[0], pos[1])]
    if not outside:
        return
    path, (lon, lat) = outside[0]
    params = {
        "path": path,
        "lat": _fmt(lat),
        "lon": _fmt(lon),
        "count": len(outside),
        "total": len(positions),
        "hint": _swapped_hint(lon, lat),
    }
    if len(positions) == 1:
        message = _(
            "Le tracé sort du territoire français : le point (lat %(lat)s ; lon %(lon)s) est "
            "hors de France (métropole et outre-mer).%(hint)s"
        )
    elif len(outside) == 1:
        message = _(
            "Le tracé sort du territoire français : le point %(path)s (lat %(lat)s ; "
            "lon %(lon)s) est hors de France (métropole et outre-mer).%(hint)s"
        )
    else:
        message = _(
            "Le tracé sort du territoire français : %(count)s points sur %(total)s sont hors "
            "de France (métropole et outre-mer), dont %(path)s (lat %(lat)s ; "
            "lon %(lon)s).%(hint)s"
        )
    raise ValidationError(message, code="outside_france", params=params)


def parse_geojson(
    value: Any, *, allowed_types: tuple[str, ...] | list[str] = ("Point", "Polygon", "MultiPolygon")
) -> dict[str, Any]:
    """Validate user-supplied GeoJSON and return a normalised geometry dict.

    Accepts a dict or a JSON text; a bare geometry, a ``Feature`` or a ``FeatureCollection``
    holding exactly one feature (what drawing tools and geojson.io export). Returns only
    ``{"type": ..., "coordinates": ...}`` with float ``[lon, lat]`` positions (altitude,
    properties, ``bbox`` and foreign members dropped), so what is stored is predictable.

    Checks the structure strictly (RFC 7946 nesting, numbers, closed rings of >= 4 positions,
    lon in [-180, 180], lat in [-90, 90], no NaN/infinity), caps the size at
    ``MAX_POSITIONS`` and requires every position to be in France (:func:`is_in_france`).
    Ring orientation and self-intersections are not checked (RFC 7946 says parsers should
    not reject on winding order, and Leaflet renders both).

    Usable directly as a model/form field validator (the return value is then ignored).
    Raises ``ValidationError`` with a French message saying what is wrong and where.
    """
    unsupported = [t for t in allowed_types if t not in SUPPORTED_TYPES]
    if unsupported or not allowed_types:
        raise ValueError(f"allowed_types must be a non-empty subset of {SUPPORTED_TYPES}")

    obj = _unwrap(_load(value))
    geometry_type = obj.get("type")
    if not isinstance(geometry_type, str):
        raise _invalid(_("GeoJSON invalide : le membre « type » est absent ou n'est pas un texte."))
    allowed_text = ", ".join(allowed_types)
    if geometry_type not in SUPPORTED_TYPES + _OTHER_GEOJSON_TYPES:
        known = {t.lower(): t for t in SUPPORTED_TYPES + _OTHER_GEOJSON_TYPES}
        if geometry_type.lower() in known:
            message: Any = _(
                "GeoJSON invalide : le type « %(type)s » est inconnu (types acceptés : "
                "%(allowed)s). Attention à la casse : écrivez « %(suggestion)s »."
            )
        else:
            message = _(
                "GeoJSON invalide : le type « %(type)s » est inconnu (types acceptés : "
                "%(allowed)s)."
            )
        raise _invalid(
            message,
            code="unknown_type",
            type=_shorten(geometry_type),
            allowed=allowed_text,
            suggestion=known.get(geometry_type.lower(), ""),
        )
    if geometry_type not in allowed_types:
        raise _invalid(
            _(
                "GeoJSON invalide : le type « %(type)s » n'est pas accepté ici (types "
                "acceptés : %(allowed)s)."
            ),
            code="type_not_allowed",
            type=geometry_type,
            allowed=allowed_text,
        )
    if "coordinates" not in obj:
        raise _invalid(
            _("GeoJSON invalide : la géométrie %(type)s n'a pas de membre « coordinates »."),
            type=geometry_type,
        )

    walker = _Walker(geometry_type)
    coordinates = walker.walk(obj["coordinates"])
    _check_in_france(walker.positions)
    return {"type": geometry_type, "coordinates": coordinates}


# --------------------------------------------------------------------------------------------
# Geometry helpers (on already-validated geometries)
# --------------------------------------------------------------------------------------------


def _iter_positions(geometry: dict[str, Any], *, exterior_only: bool) -> Iterator[Position]:
    """Yield the positions of a validated geometry, optionally only exterior ring vertices.

    With ``exterior_only`` holes are ignored and each ring's closing vertex (a duplicate of
    the first) is skipped, so a marker is not pulled towards a hole or the first vertex.
    """
    kind = geometry.get("type")
    coords: Any = geometry.get("coordinates")
    if kind == "Point":
        yield coords
    elif kind in ("MultiPoint", "LineString"):
        yield from coords
    elif kind == "MultiLineString":
        for line in coords:
            yield from line
    elif kind in ("Polygon", "MultiPolygon"):
        polygons = [coords] if kind == "Polygon" else coords
        for polygon in polygons:
            rings = polygon[:1] if exterior_only else polygon
            for ring in rings:
                yield from (ring[:-1] if exterior_only else ring)
    else:
        raise ValueError(f"Unsupported geometry type: {kind!r}")


def geometry_centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """Return an approximate centre (lon, lat) of a validated geometry, to place a marker.

    Simple mean of the exterior vertices, not the area centroid: good enough for a pin on a
    map and robust without a geometry library. It may fall outside a concave shape. No French
    territory straddles the antimeridian, so averaging longitudes is safe here.
    """
    total_lon = total_lat = 0.0
    count = 0
    for position in _iter_positions(geometry, exterior_only=True):
        total_lon += position[0]
        total_lat += position[1]
        count += 1
    if not count:
        raise ValueError("Geometry has no positions")
    return total_lon / count, total_lat / count


def geometry_bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """Return (lon_min, lat_min, lon_max, lat_max) of a validated geometry, e.g. to fit a map."""
    positions = list(_iter_positions(geometry, exterior_only=False))
    if not positions:
        raise ValueError("Geometry has no positions")
    lons = [p[0] for p in positions]
    lats = [p[1] for p in positions]
    return min(lons), min(lats), max(lons), max(lats)


def geometry_vertex_count(geometry: dict[str, Any]) -> int:
    """How many positions a validated geometry holds (every ring, closing vertices too)."""
    return sum(1 for _ in _iter_positions(geometry, exterior_only=False))


def _simplify_ring(ring: list[Any], tolerance: float, *, closed: bool) -> list[Any]:
    """Douglas–Peucker on one line or ring (iterative: a ring may hold 50 000 positions)."""
    minimum = 4 if closed else 2
    if len(ring) <= minimum:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = ring[first][:2], ring[last][:2]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        farthest, distance = -1, tolerance
        for i in range(first + 1, last):
            x, y = ring[i][:2]
            d = (
                abs(dy * x - dx * y + x2 * y1 - y2 * x1) / norm
                if norm
                else math.hypot(x - x1, y - y1)
            )
            if d > distance:
                farthest, distance = i, d
        if farthest >= 0:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    simplified = [p for p, kept in zip(ring, keep, strict=True) if kept]
    if len(simplified) < minimum:  # a ring shrunk to a sliver: keep it drawable
        step = max(1, (len(ring) - 1) // (minimum - 1))
        simplified = [*ring[:-1:step][: minimum - 1], ring[-1]]
    return simplified


def simplify_for_display(geometry: dict[str, Any] | None, *, pixels: int = 2000) -> Any:
    """A lighter copy of a validated geometry for maps: vertices closer than 1/``pixels`` of
    the geometry's extent to the simplified outline are dropped (invisible at any zoom a map
    of the whole shape uses). Points and small shapes are returned as they are."""
    if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon", "LineString"):
        return geometry
    lon_min, lat_min, lon_max, lat_max = geometry_bbox(geometry)
    tolerance = max(lon_max - lon_min, lat_max - lat_min) / pixels
    if tolerance <= 0:
        return geometry
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "LineString":
        return {"type": kind, "coordinates": _simplify_ring(coords, tolerance, closed=False)}
    polygons = [coords] if kind == "Polygon" else coords
    simplified = [[_simplify_ring(r, tolerance, closed=True) for r in p] for p in polygons]
    return {"type": kind, "coordinates": simplified[0] if kind == "Polygon" else simplified}
