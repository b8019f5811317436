"""Tests for the reference geography constants and the GeoJSON/coordinate validators.

No database: these run standalone (``-p no:django``) as well as under pytest-django.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from territoires.data.geographie import DEPARTEMENTS, REGIONS
from territoires.geo import (
    FRANCE_BOXES,
    MAX_POSITIONS,
    BoundingBox,
    geometry_bbox,
    geometry_centroid,
    is_in_france,
    parse_geojson,
    validate_point,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True, scope="module")
def _django_settings() -> None:
    """Make lazy French messages renderable when no Django settings are available.

    Under pytest-django the project settings are used untouched; standalone, a minimal
    configuration without i18n is enough to interpolate the messages.
    """
    from django.conf import settings

    try:
        settings.USE_I18N  # noqa: B018 — forces the lazy settings to load if they can
    except (ImproperlyConfigured, ImportError):
        settings.configure(USE_I18N=False)


def error_text(excinfo: pytest.ExceptionInfo[ValidationError]) -> str:
    """All rendered messages of a ValidationError, as the user would read them."""
    return " ".join(excinfo.value.messages)


def square(lon: float, lat: float, size: float = 0.01) -> list[list[float]]:
    """A closed, counter-clockwise square ring whose south-west corner is (lon, lat)."""
    return [
        [lon, lat],
        [lon + size, lat],
        [lon + size, lat + size],
        [lon, lat + size],
        [lon, lat],
    ]


PARIS_POLYGON = {"type": "Polygon", "coordinates": [square(2.34, 48.85)]}


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------

EXPECTED_DEPARTEMENT_CODES = (
    {f"{n:02d}" for n in range(1, 96) if n != 20}
    | {"2A", "2B"}
    | {"971", "972", "973", "974", "976"}
)

EXPECTED_DEPARTEMENTS_PER_REGION = {
    "01": 1,
    "02": 1,
    "03": 1,
    "04": 1,
    "06": 1,
    "11": 8,
    "24": 6,
    "27": 8,
    "28": 5,
    "32": 5,
    "44": 10,
    "52": 5,
    "53": 4,
    "75": 12,
    "76": 13,
    "84": 12,
    "93": 6,
    "94": 2,
}


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), enough to sanity-check the reference coordinates."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_counts() -> None:
    assert len(REGIONS) == 18
    assert len(DEPARTEMENTS) == 101


def test_codes_are_unique() -> None:
    region_codes = [r[0] for r in REGIONS]
    departement_codes = [d[0] for d in DEPARTEMENTS]
    assert len(set(region_codes)) == len(region_codes)
    assert len(set(departement_codes)) == len(departement_codes)
    assert len({r[1] for r in REGIONS}) == len(REGIONS)
    assert len({d[1] for d in DEPARTEMENTS}) == len(DEPARTEMENTS)


def test_departement_codes_are_the_official_list() -> None:
    assert {d[0] for d in DEPARTEMENTS} == EXPECTED_DEPARTEMENT_CODES
    assert "20" not in {d[0] for d in DEPARTEMENTS}  # Corse is split since 1976


def test_every_departement_region_exists_and_every_region_is_used() -> None:
    region_codes = {r[0] for r in REGIONS}
    per_region = Counter(d[2] for d in DEPARTEMENTS)
    assert set(per_region) == region_codes
    assert dict(per_region) == EXPECTED_DEPARTEMENTS_PER_REGION


def test_overseas_included() -> None:
    regions = {code: name for code, name, *_ in REGIONS}
    assert regions["01"] == "Guadeloupe"
    assert regions["02"] == "Martinique"
    assert regions["03"] == "Guyane"
    assert regions["04"] == "La Réunion"
    assert regions["06"] == "Mayotte"
    departements = {code: (name, region) for code, name, region, *_ in DEPARTEMENTS}
    assert departements["971"] == ("Guadeloupe", "01")
    assert departements["974"] == ("La Réunion", "04")
    assert departements["976"] == ("Mayotte", "06")


def test_official_names_keep_accents_and_hyphens() -> None:
    regions = {code: name for code, name, *_ in REGIONS}
    departements = {code: name for code, name, *_ in DEPARTEMENTS}
    assert regions["11"] == "Île-de-France"
    assert regions["84"] == "Auvergne-Rhône-Alpes"
    assert regions["93"] == "Provence-Alpes-Côte d'Azur"
    assert departements["22"] == "Côtes-d'Armor"
    assert departements["93"] == "Seine-Saint-Denis"
    assert departements["2A"] == "Corse-du-Sud"


def test_coordinates_are_floats_in_france() -> None:
    for code, name, lat, lon in REGIONS:
        assert isinstance(lat, float) and isinstance(lon, float), code
        assert is_in_france(lon, lat), f"région {code} {name}"
    for code, name, _region, lat, lon in DEPARTEMENTS:
        assert isinstance(lat, float) and isinstance(lon, float), code
        assert is_in_france(lon, lat), f"département {code} {name}"


def test_prefectures_are_near_their_region_centre() -> None:
    """Catches a wrong région code or a lat/lon swap in the reference data."""
    centres = {code: (lat, lon) for code, _name, lat, lon in REGIONS}
    for code, name, region, lat, lon in DEPARTEMENTS:
        distance = _distance_km(lat, lon, *centres[region])
        assert distance < 250, f"{code} {name} is {distance:.0f} km from région {region}"


# ---------------------------------------------------------------------------------------------
# is_in_france / FRANCE_BOXES
# ---------------------------------------------------------------------------------------------


def test_boxes_are_well_formed() -> None:
    names = [box.name for box in FRANCE_BOXES]
    assert len(set(names)) == len(names)
    for box in FRANCE_BOXES:
        assert -180 <= box.lon_min <= 180 and -180 <= box.lon_max <= 180, box.name
        assert -90 <= box.lat_min < box.lat_max <= 90, box.name


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (2.3522, 48.8566),  # Paris
        (-4.79, 48.45),  # Ouessant
        (8.74, 41.92),  # Ajaccio
        (-61.53, 16.24),  # Pointe-à-Pitre
        (-61.07, 14.60),  # Fort-de-France
        (-52.33, 4.94),  # Cayenne
        (55.45, -20.88),  # Saint-Denis (La Réunion)
        (45.23, -12.78),  # Mamoudzou
        (-56.17, 46.78),  # Saint-Pierre
        (-62.85, 17.90),  # Gustavia
        (-63.08, 18.07),  # Marigot
        (-176.17, -13.28),  # Mata-Utu
        (-149.56, -17.55),  # Papeete
        (166.46, -22.28),  # Nouméa
    ],
)
def test_is_in_france_accepts_french_places(lon: float, lat: float) -> None:
    assert is_in_france(lon, lat)


@pytest.mark.parametrize(
    ("lon", "lat"),
    [
        (-0.1278, 51.5074),  # London
        (-3.70, 40.42),  # Madrid
        (0.0, 0.0),
        (48.8566, 2.3522),  # Paris with lon/lat swapped
        (-74.0, 40.7),  # New York
        (math.nan, 48.85),
        (2.35, math.inf),
    ],
)
def test_is_in_france_rejects_other_places(lon: float, lat: float) -> None:
    assert not is_in_france(lon, lat)


def test_bounding_box_across_antimeridian() -> None:
    box = BoundingBox("test", 170.0, -20.0, -170.0, -10.0)
    assert box.contains(179.9, -15.0)
    assert box.contains(-179.9, -15.0)
    assert box.contains(180.0, -15.0)
    assert box.contains(-180.0, -15.0)
    assert not box.contains(0.0, -15.0)
    assert not box.contains(179.9, -25.0)


# ---------------------------------------------------------------------------------------------
# validate_point
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        (48.8566, 2.3522),  # Paris
        (-20.8821, 55.4504),  # Saint-Denis de La Réunion
        (-22.2758, 166.4580),  # Nouméa
        (-17.5516, -149.5585),  # Papeete
    ],
)
def test_validate_point_accepts_french_places(lat: float, lon: float) -> None:
    assert validate_point(lat, lon) == (lat, lon)


def test_validate_point_accepts_form_strings_with_decimal_comma() -> None:
    assert validate_point("48,85", " 2.35 ") == (48.85, 2.35)


def test_validate_point_rejects_london() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_point(51.5074, -0.1278)
    assert excinfo.value.code == "outside_france"
    assert error_text(excinfo) == (
        "Les coordonnées (lat 51,5074 ; lon -0,1278) sont hors de France (métropole et outre-mer)."
    )


def test_validate_point_rejects_null_island_with_a_hint() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_point(0, 0)
    assert "hors de France" in error_text(excinfo)
    assert "non renseignée" in error_text(excinfo)


def test_validate_point_detects_swapped_coordinates() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_point(2.35, 48.85)
    assert "hors de France" in error_text(excinfo)
    assert "inversées" in error_text(excinfo)


def test_validate_point_rejects_latitude_out_of_range() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_point(200, 2.35)
    assert excinfo.value.code == "latitude_out_of_range"
    assert "La latitude doit être comprise entre -90 et 90" in error_text(excinfo)


def test_validate_point_rejects_longitude_out_of_range() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_point(48.85, -200)
    assert "La longitude doit être comprise entre -180 et 180" in error_text(excinfo)


@pytest.mark.parametrize("bad", ["abc", "", None, True, [48.85], "nan", "inf", math.nan])
def test_validate_point_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_point(bad, 2.35)
    assert excinfo.value.code == "invalid_latitude"
    assert "La latitude doit être un nombre" in error_text(excinfo)


def test_validate_point_names_the_bad_longitude() -> None:
    with pytest.raises(ValidationError) as excinfo:
        validate_point(48.85, "abc")
    assert error_text(excinfo) == "La longitude doit être un nombre (valeur reçue : « abc »)."


# ---------------------------------------------------------------------------------------------
# parse_geojson — valid input
# ---------------------------------------------------------------------------------------------


def test_parse_point() -> None:
    assert parse_geojson({"type": "Point", "coordinates": [2.35, 48.85]}) == {
        "type": "Point",
        "coordinates": [2.35, 48.85],
    }


def test_parse_point_normalises_ints_tuples_and_altitude() -> None:
    geometry = parse_geojson({"type": "Point", "coordinates": (2, 48, 35.5)})
    assert geometry == {"type": "Point", "coordinates": [2.0, 48.0]}
    assert all(isinstance(v, float) for v in geometry["coordinates"])


def test_parse_polygon_drops_foreign_members() -> None:
    value = dict(PARIS_POLYGON, bbox=[0, 0, 1, 1], crs={"type": "name"}, extra="x")
    assert parse_geojson(value) == PARIS_POLYGON


def test_parse_polygon_with_hole() -> None:
    outer = square(2.30, 48.80, size=0.1)
    hole = square(2.33, 48.83, size=0.01)
    geometry = parse_geojson({"type": "Polygon", "coordinates": [outer, hole]})
    assert geometry["coordinates"] == [outer, hole]


def test_parse_multipolygon_across_territories() -> None:
    value = {
        "type": "MultiPolygon",
        "coordinates": [[square(9.0, 42.0)], [square(55.4, -21.0)]],  # Corse + La Réunion
    }
    assert parse_geojson(value) == value


def test_parse_feature_returns_its_geometry() -> None:
    feature = {"type": "Feature", "properties": {"nom": "Quartier"}, "geometry": PARIS_POLYGON}
    assert parse_geojson(feature) == PARIS_POLYGON


def test_parse_feature_collection_with_one_feature() -> None:
    collection = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": None, "geometry": PARIS_POLYGON}],
    }
    assert parse_geojson(collection) == PARIS_POLYGON


def test_parse_json_string_and_bytes() -> None:
    text = json.dumps({"type": "Feature", "properties": {}, "geometry": PARIS_POLYGON})
    assert parse_geojson(text) == PARIS_POLYGON
    assert parse_geojson(text.encode()) == PARIS_POLYGON


def test_parse_is_idempotent_and_json_serialisable() -> None:
    geometry = parse_geojson(json.dumps(PARIS_POLYGON))
    assert parse_geojson(json.loads(json.dumps(geometry))) == geometry


def test_parse_other_types_when_allowed() -> None:
    line = {"type": "LineString", "coordinates": [[2.35, 48.85], [2.36, 48.86]]}
    assert parse_geojson(line, allowed_types=("LineString",)) == line
    points = {"type": "MultiPoint", "coordinates": [[2.35, 48.85], [55.45, -20.88]]}
    assert parse_geojson(points, allowed_types=["MultiPoint"]) == points


def test_parse_pacific_polygon_near_antimeridian() -> None:
    wallis = {"type": "Polygon", "coordinates": [square(-176.2, -13.3, size=0.05)]}
    assert parse_geojson(wallis) == wallis


def test_parse_rejects_unsupported_allowed_types_as_programming_error() -> None:
    with pytest.raises(ValueError, match="allowed_types"):
        parse_geojson(PARIS_POLYGON, allowed_types=("GeometryCollection",))


# ---------------------------------------------------------------------------------------------
# parse_geojson — invalid input: every message is French and says what is wrong
# ---------------------------------------------------------------------------------------------


def assert_invalid(value: object, *fragments: str, **kwargs: object) -> ValidationError:
    """Parse ``value``, expect a ValidationError whose message contains every fragment."""
    with pytest.raises(ValidationError) as excinfo:
        parse_geojson(value, **kwargs)  # type: ignore[arg-type]
    text = error_text(excinfo)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    return excinfo.value


def test_invalid_json_string() -> None:
    error = assert_invalid('{"type": "Point", "coordinates": [2.35, 48.85]', "GeoJSON invalide")
    assert "n'est pas du JSON valide" in error.messages[0]
    assert "ligne 1" in error.messages[0]


@pytest.mark.parametrize("empty", ["", "   ", None])
def test_empty_value(empty: object) -> None:
    assert_invalid(empty, "GeoJSON invalide")


def test_top_level_must_be_an_object() -> None:
    assert_invalid("[2.35, 48.85]", "GeoJSON invalide", "un objet JSON est attendu", "une liste")


def test_unknown_type() -> None:
    error = assert_invalid(
        {"type": "Circle", "coordinates": [2.35, 48.85]},
        "GeoJSON invalide",
        "« Circle » est inconnu",
        "Point, Polygon, MultiPolygon",
    )
    assert error.code == "unknown_type"


def test_type_is_case_sensitive_with_a_hint() -> None:
    assert_invalid(
        {"type": "point", "coordinates": [2.35, 48.85]}, "« point » est inconnu", "« Point »"
    )


def test_missing_type() -> None:
    assert_invalid({"coordinates": [2.35, 48.85]}, "GeoJSON invalide", "« type »")


def test_known_type_not_allowed_here() -> None:
    line = {"type": "LineString", "coordinates": [[2.35, 48.85], [2.36, 48.86]]}
    error = assert_invalid(line, "« LineString » n'est pas accepté ici")
    assert error.code == "type_not_allowed"
    assert_invalid(PARIS_POLYGON, "« Polygon » n'est pas accepté ici", allowed_types=("Point",))


def test_missing_coordinates() -> None:
    assert_invalid({"type": "Point"}, "GeoJSON invalide", "« coordinates »")


def test_unclosed_ring() -> None:
    ring = [*square(2.34, 48.85)[:-1], [2.341, 48.851]]
    error = assert_invalid(
        {"type": "Polygon", "coordinates": [ring]},
        "GeoJSON invalide",
        "l'anneau coordinates[0] n'est pas fermé",
    )
    assert error.code == "ring_not_closed"


def test_ring_with_too_few_positions() -> None:
    ring = [[2.34, 48.85], [2.35, 48.85], [2.34, 48.85]]
    assert_invalid(
        {"type": "Polygon", "coordinates": [ring]},
        "coordinates[0] doit contenir au moins 4 positions (il en contient 3)",
    )


def test_polygon_without_rings() -> None:
    assert_invalid({"type": "Polygon", "coordinates": []}, "au moins 1 anneau")


def test_polygon_nested_one_level_too_shallow() -> None:
    """A ring given directly as the polygon coordinates (forgotten outer brackets)."""
    assert_invalid(
        {"type": "Polygon", "coordinates": square(2.34, 48.85)},
        "GeoJSON invalide",
        "coordinates[0][0] devrait être une position [longitude, latitude], mais c'est un nombre",
        "imbrication",
        "un Polygon attend une liste d'anneaux",
    )


def test_multipolygon_given_polygon_nesting() -> None:
    assert_invalid(
        {"type": "MultiPolygon", "coordinates": [square(2.34, 48.85)]},
        "mais c'est un nombre",
        "un MultiPolygon attend une liste de polygones",
    )


def test_point_nested_too_deep() -> None:
    assert_invalid(
        {"type": "Point", "coordinates": [[2.35, 48.85]]},
        "coordinates[0] devrait être un nombre, mais c'est une liste",
    )


def test_coordinates_must_be_numbers() -> None:
    assert_invalid(
        {"type": "Point", "coordinates": ["2.35", "48.85"]},
        "coordinates[0] devrait être un nombre, mais c'est un texte",
    )
    assert_invalid({"type": "Point", "coordinates": [True, 48.85]}, "mais c'est un booléen")


def test_position_with_wrong_length() -> None:
    assert_invalid(
        {"type": "Point", "coordinates": [2.35]},
        "la position coordinates doit contenir 2 nombres [longitude, latitude]",
        "elle en contient 1",
    )


def test_nan_in_json_text_is_rejected() -> None:
    assert_invalid('{"type": "Point", "coordinates": [NaN, 48.85]}', "GeoJSON invalide", "NaN")
    assert_invalid('{"type": "Point", "coordinates": [2.35, -Infinity]}', "-Infinity")


def test_nan_and_infinity_in_python_dict_are_rejected() -> None:
    assert_invalid(
        {"type": "Point", "coordinates": [math.nan, 48.85]},
        "coordinates[0] n'est pas un nombre fini",
    )
    assert_invalid({"type": "Point", "coordinates": [2.35, 1e999]}, "n'est pas un nombre fini")


def test_longitude_and_latitude_ranges() -> None:
    assert_invalid(
        {"type": "Point", "coordinates": [200, 48.85]},
        "la longitude coordinates[0] vaut 200, elle doit être comprise entre -180 et 180",
    )
    assert_invalid(
        {"type": "Point", "coordinates": [2.35, 95.5]},
        "la latitude coordinates[1] vaut 95,5, elle doit être comprise entre -90 et 90",
    )


def test_projected_lambert93_coordinates_get_a_hint() -> None:
    assert_invalid(
        {"type": "Point", "coordinates": [652469.02, 6862035.26]}, "Lambert-93", "EPSG:4326"
    )


def test_one_vertex_in_spain() -> None:
    ring = [[2.34, 48.85], [2.35, 48.85], [-3.7038, 40.4168], [2.34, 48.86], [2.34, 48.85]]
    error = assert_invalid(
        {"type": "Polygon", "coordinates": [ring]},
        "Le tracé sort du territoire français",
        "coordinates[0][2]",
        "lat 40,4168 ; lon -3,7038",
        "hors de France",
    )
    assert error.code == "outside_france"


def test_several_vertices_outside_france_are_counted() -> None:
    ring = square(-3.70, 40.41)  # Madrid: all 5 positions outside
    assert_invalid(
        {"type": "Polygon", "coordinates": [ring]},
        "Le tracé sort du territoire français : 5 points sur 5",
        "dont coordinates[0][0]",
    )


def test_swapped_lat_lon_is_refused_with_a_hint() -> None:
    """The classic trap: [lat, lon] instead of GeoJSON's [lon, lat] lands off Somalia."""
    assert_invalid(
        {"type": "Point", "coordinates": [48.85, 2.35]},
        "Le tracé sort du territoire français",
        "(lat 2,35 ; lon 48,85)",
        "inversées",
        "[longitude, latitude]",
    )


def test_feature_collection_must_hold_exactly_one_feature() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": PARIS_POLYGON}
    assert_invalid(
        {"type": "FeatureCollection", "features": [feature, feature]},
        "exactement une entité (elle en contient 2)",
    )
    assert_invalid({"type": "FeatureCollection", "features": []}, "(elle en contient 0)")
    assert_invalid({"type": "FeatureCollection"}, "« features »")
    assert_invalid({"type": "FeatureCollection", "features": [PARIS_POLYGON]}, "« Feature »")


def test_feature_without_geometry() -> None:
    assert_invalid({"type": "Feature", "properties": {}, "geometry": None}, "n'a pas de géométrie")
    assert_invalid({"type": "Feature", "geometry": "POINT(2 48)"}, "mais c'est un texte")


def test_geometry_collection_is_not_accepted() -> None:
    value = {"type": "GeometryCollection", "geometries": [PARIS_POLYGON]}
    assert_invalid(value, "« GeometryCollection » n'est pas accepté ici")


def test_too_many_positions() -> None:
    ring = [[2.0 + i * 1e-5, 48.0] for i in range(MAX_POSITIONS)] + [[2.0, 48.0]]
    error = assert_invalid({"type": "Polygon", "coordinates": [ring]}, "trop de points")
    assert error.code == "too_many_positions"


def test_too_many_positions_across_polygons() -> None:
    polygons = [[square(2.0, 48.0)] for _ in range(MAX_POSITIONS // 5 + 1)]
    assert_invalid({"type": "MultiPolygon", "coordinates": polygons}, "trop de points")


def test_oversized_text_is_refused_before_parsing() -> None:
    assert_invalid(" " * 5_000_001 + "{}", "trop volumineux")


def test_deeply_nested_json_is_refused() -> None:
    assert_invalid("[" * 100_000 + "]" * 100_000, "GeoJSON invalide")


# ---------------------------------------------------------------------------------------------
# geometry_centroid / geometry_bbox
# ---------------------------------------------------------------------------------------------


def test_centroid_of_point() -> None:
    assert geometry_centroid({"type": "Point", "coordinates": [2.35, 48.85]}) == (2.35, 48.85)


def test_centroid_of_square_ignores_closing_vertex_and_holes() -> None:
    outer = square(2.0, 48.0, size=1.0)
    hole = square(2.0, 48.0, size=0.1)  # in a corner: would pull the centre if counted
    lon, lat = geometry_centroid({"type": "Polygon", "coordinates": [outer, hole]})
    assert lon == pytest.approx(2.5)
    assert lat == pytest.approx(48.5)


def test_centroid_of_multipolygon() -> None:
    geometry = {
        "type": "MultiPolygon",
        "coordinates": [[square(2.0, 48.0, size=1.0)], [square(4.0, 48.0, size=1.0)]],
    }
    assert geometry_centroid(geometry) == pytest.approx((3.5, 48.5))


def test_bbox() -> None:
    assert geometry_bbox(PARIS_POLYGON) == pytest.approx((2.34, 48.85, 2.35, 48.86))
    assert geometry_bbox({"type": "Point", "coordinates": [2.35, 48.85]}) == (
        2.35,
        48.85,
        2.35,
        48.85,
    )
    multi = {"type": "MultiPolygon", "coordinates": [[square(9.0, 42.0)], [square(55.4, -21.0)]]}
    assert geometry_bbox(multi) == pytest.approx((9.0, -21.0, 55.41, 42.01))


def test_helpers_work_on_parse_output() -> None:
    geometry = parse_geojson(json.dumps(PARIS_POLYGON))
    lon, lat = geometry_centroid(geometry)
    assert is_in_france(lon, lat)
    lon_min, lat_min, lon_max, lat_max = geometry_bbox(geometry)
    assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max


def test_helpers_reject_unknown_geometry() -> None:
    with pytest.raises(ValueError):
        geometry_centroid({"type": "Circle", "coordinates": [0, 0]})
    with pytest.raises(ValueError):
        geometry_bbox({"type": "MultiPoint", "coordinates": []})


# ---------------------------------------------------------------------------------------------
# Import contract
# ---------------------------------------------------------------------------------------------


def test_modules_import_and_run_without_django_settings() -> None:
    """Data migrations and scripts rely on these modules not needing configured settings."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = (
        "import territoires.data.geographie, territoires.geo as g;"
        "assert g.is_in_france(2.35, 48.85);"
        "assert g.parse_geojson({'type': 'Point', 'coordinates': [2.35, 48.85]})"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, check=True)
