"""Benchmark of the places autocomplete (``/referentiel/lieux/?q=``) over the whole COG.

Loads the shipped reference (34,875 communes, 1,266 EPCI; once, then reused) into the
database named by DATABASE_URL (PostgreSQL or SQLite), then times the view through Django's
test client — the full request, URL resolution and JSON included — for queries a person
types (name starts, postcodes, INSEE codes, SIREN), and prints median and p95 latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_lieux python bench/lieux.py
    DATABASE_URL=sqlite:////tmp/lieux.sqlite3 python bench/lieux.py [--tours 20]

Target (issue 16): p95 under 50 ms. Nothing leaves the process.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

REQUETES = [
    "q", "qu", "qui", "quin", "quintin", "sai", "saint", "saint b", "saint brieuc", "brieuc",
    "lyon", "mars", "bor", "bordeaux", "l ile", "l'île-d'yeu", "côtes", "ca du", "cc de la",
    "métropole", "22", "228", "22800", "75001", "13055", "22262", "2000", "200069409", "zzz",
    "val de", "mont", "pays de", "sur mer", "la roche", "aix", "beau", "st",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tours", type=int, default=10, help="passages sur les requêtes")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        sys.exit("bench/lieux.py : indiquez la base dans DATABASE_URL (PostgreSQL ou SQLite).")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from territoires.reference import load_communes, load_geography

    call_command("migrate", verbosity=0)
    load_geography()
    debut = time.perf_counter()
    chargement = load_communes()
    print(
        f"Référentiel : {chargement['communes']} communes, {chargement['epci']} EPCI "
        f"({time.perf_counter() - debut:.1f} s) ; base {connection.vendor}."
    )
    client = Client()
    for requete in REQUETES:  # warm-up: connection, caches, query plans
        client.get("/referentiel/lieux/", {"q": requete})
    mesures = []
    for _ in range(max(1, min(arguments.tours, 1000))):
        for requete in REQUETES:
            t0 = time.perf_counter()
            reponse = client.get("/referentiel/lieux/", {"q": requete})
            mesures.append((time.perf_counter() - t0) * 1000)
            assert reponse.status_code == 200, reponse.status_code
    mesures.sort()
    p95 = mesures[int(len(mesures) * 0.95) - 1]
    print(
        f"/referentiel/lieux/ : {len(mesures)} requêtes, médiane "
        f"{statistics.median(mesures):.1f} ms, p95 {p95:.1f} ms, max {mesures[-1]:.1f} ms "
        f"(objectif : p95 < 50 ms) — {'OK' if p95 < 50 else 'TROP LENT'}"
    )


if __name__ == "__main__":
    main()
