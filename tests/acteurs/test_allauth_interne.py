"""allauth's private modules are reached from one place (acteurs/adapter.py), so that an
upgrade of allauth is checked in one file."""

import pathlib
import re

PRIVE = re.compile(r"^\s*(?:from|import)\s+allauth\.[\w.]*(?:internal|mfa\.utils)\b", re.M)
APPS = [
    "atelier",
    "acteurs",
    "ateliers",
    "appels",
    "feuilles_de_route",
    "public",
    "journal",
    "territoires",
    "demo",
]


def test_allauth_internals_are_imported_only_by_the_adapter():
    racine = pathlib.Path(__file__).resolve().parents[2]
    fautifs = [
        str(path.relative_to(racine))
        for app in APPS
        for path in (racine / app).rglob("*.py")
        if PRIVE.search(path.read_text()) and path != racine / "acteurs" / "adapter.py"
    ]
    assert fautifs == []
    assert PRIVE.search((racine / "acteurs" / "adapter.py").read_text())
