#!/usr/bin/env python3
"""Vérifie les dépendances système d'Atelier (Python, bibliothèques de WeasyPrint, polices).

Script autonome (bibliothèque standard uniquement), appelé par `make run` et `make test`.
Code de sortie 0 si tout est présent, 1 sinon (avec la commande d'installation à lancer).

Option `--python-only` : ne vérifie que la version de Python (utilisée par `make .venv`
avant de créer l'environnement virtuel).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
import sys
from pathlib import Path

PYTHON_MINIMUM = (3, 11)

APT_COMMAND = "sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
BREW_COMMAND = "brew install pango"

# (nom pour find_library, noms de fichiers à essayer avec ctypes.CDLL)
LIBRARIES = [
    ("pango-1.0", ["libpango-1.0.so.0", "libpango-1.0-0.dll", "libpango-1.0.0.dylib"]),
    ("pangoft2-1.0", ["libpangoft2-1.0.so.0", "libpangoft2-1.0-0.dll", "libpangoft2-1.0.0.dylib"]),
]

FONT_DIRECTORIES = [
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),  # Fedora, Arch
    Path("/usr/local/share/fonts"),
    Path("/opt/homebrew/share/fonts"),
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
]


def check_python() -> list[str]:
    if sys.version_info >= PYTHON_MINIMUM:
        return []
    found = ".".join(str(part) for part in sys.version_info[:3])
    wanted = ".".join(str(part) for part in PYTHON_MINIMUM)
    return [
        f"Python {wanted} ou plus récent est requis ; l'interpréteur utilisé est Python {found} "
        f"({sys.executable}). Relancez avec `make PYTHON=python{wanted} ...` après avoir "
        "supprimé .venv (`make clean`)."
    ]


def library_loadable(name: str, candidates: list[str]) -> bool:
    names = list(candidates)
    found = ctypes.util.find_library(name)
    if found:
        names.insert(0, found)
    for filename in names:
        try:
            ctypes.CDLL(filename)
        except OSError:
            continue
        return True
    return False


def check_libraries() -> list[str]:
    return [
        f"Bibliothèque système introuvable : {name} (nécessaire à WeasyPrint pour générer les PDF)."
        for name, candidates in LIBRARIES
        if not library_loadable(name, candidates)
    ]


def fonts_available() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            result = subprocess.run(  # noqa: S603
                [fc_list, ":", "family"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            result = None
        if result is not None and result.returncode == 0 and result.stdout.strip():
            return True
    for directory in FONT_DIRECTORIES:
        if directory.is_dir() and any(
            path.suffix.lower() in {".ttf", ".otf", ".ttc"} for path in directory.rglob("*")
        ):
            return True
    return False


def check_fonts() -> list[str]:
    if fonts_available():
        return []
    return [
        "Aucune police installée (fc-list ne renvoie rien et /usr/share/fonts/truetype/dejavu "
        "est absent) : les PDF seraient illisibles."
    ]


def main(argv: list[str]) -> int:
    python_problems = check_python()
    python_only = "--python-only" in argv
    system_problems = [] if python_only else check_libraries() + check_fonts()

    if not python_problems and not system_problems:
        if not python_only:
            print("Dépendances système : OK (Python, Pango, polices).")
        return 0

    print("Dépendances système manquantes :", file=sys.stderr)
    for problem in python_problems + system_problems:
        print(f"  - {problem}", file=sys.stderr)
    if system_problems:
        print("", file=sys.stderr)
        print("Pour les installer :", file=sys.stderr)
        print(f"  Debian / Ubuntu : {APT_COMMAND}", file=sys.stderr)
        print(f"  macOS (Homebrew) : {BREW_COMMAND}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
