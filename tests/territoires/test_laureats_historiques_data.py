"""Shape of the historical lauréats file (``territoires/data/laureats_historiques.csv``).

The file is hand-curated from public pages; these checks catch what a careless edit would
break: a row without its source, a malformed code, a session that the reference does not
know, a département outside its région, a row entered twice.
"""

import csv
import re
from pathlib import Path

import pytest

import territoires
from ateliers.reference import SESSIONS_HISTORIQUES
from territoires.data.geographie import DEPARTEMENTS, REGIONS

CSV_PATH = Path(territoires.__file__).parent / "data" / "laureats_historiques.csv"
COLUMNS = [
    "session_annee_debut",
    "session_titre",
    "territoire_nom",
    "type",
    "code_insee",
    "siren",
    "departements",
    "region",
    "source_url",
    "source_titre",
    "remarque",
]
TYPES = {"commune", "epci", "pnr", "pays", "departement", "groupement", "autre"}
INSEE_COMMUNE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
SIREN = re.compile(r"^\d{9}$")
REGION_OF_DEPARTEMENT = {code: region for code, _nom, region, _lat, _lon in DEPARTEMENTS}
REGION_CODES = {code for code, _nom, _lat, _lon in REGIONS}


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _codes(value: str) -> list[str]:
    return value.split("|") if value else []


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        number = int(char) * (2 if position % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


ROWS = _rows()


def _label(row: dict[str, str]) -> str:
    return f"{row['session_annee_debut']} {row['territoire_nom']}"


def test_the_file_has_rows_for_several_sessions():
    assert len({row["session_titre"] for row in ROWS}) >= 10


@pytest.mark.parametrize("row", ROWS, ids=_label)
def test_each_row_names_its_source(row):
    assert re.match(r"^https?://\S+$", row["source_url"])
    assert row["source_titre"].strip()
    assert row["territoire_nom"].strip()


@pytest.mark.parametrize("row", ROWS, ids=_label)
def test_each_row_belongs_to_a_reference_session(row):
    sessions = {(str(debut), titre) for titre, debut, _fin, _theme in SESSIONS_HISTORIQUES}
    assert (row["session_annee_debut"], row["session_titre"]) in sessions


@pytest.mark.parametrize("row", ROWS, ids=_label)
def test_codes_are_well_formed(row):
    assert row["type"] in TYPES
    if row["type"] == "commune":
        assert INSEE_COMMUNE.match(row["code_insee"])
    else:
        assert row["code_insee"] == ""
    if row["siren"]:
        assert row["type"] == "epci"
        assert SIREN.match(row["siren"]) and _luhn_ok(row["siren"])


@pytest.mark.parametrize("row", ROWS, ids=_label)
def test_departements_lie_in_the_regions_given(row):
    departements = _codes(row["departements"])
    regions = _codes(row["region"])
    assert all(code in REGION_OF_DEPARTEMENT for code in departements)
    assert all(code in REGION_CODES for code in regions)
    assert {REGION_OF_DEPARTEMENT[code] for code in departements} <= set(regions)
    if row["code_insee"]:
        assert departements == [_departement_of(row["code_insee"])]


def _departement_of(code_insee: str) -> str:
    return code_insee[:3] if code_insee.startswith("97") else code_insee[:2]


def test_no_row_is_entered_twice():
    keys = [
        (row["session_annee_debut"], row["session_titre"], row["territoire_nom"]) for row in ROWS
    ]
    assert len(keys) == len(set(keys))
