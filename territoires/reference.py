"""Loads the reference geography (régions, départements) — idempotent, usable in migrations."""

from django.apps import apps as django_apps
from django.utils.text import slugify

from .data.geographie import DEPARTEMENTS, REGIONS


def load_geography(apps=django_apps) -> tuple[int, int]:
    """Create or update the 18 régions and 101 départements; return their counts."""
    Region = apps.get_model("territoires", "Region")
    Departement = apps.get_model("territoires", "Departement")
    regions = {}
    for code, nom, lat, lon in REGIONS:
        regions[code], _ = Region.objects.update_or_create(
            code=code,
            defaults={"nom": nom, "slug": slugify(nom), "latitude": lat, "longitude": lon},
        )
    for code, nom, code_region, lat, lon in DEPARTEMENTS:
        Departement.objects.update_or_create(
            code=code,
            defaults={
                "nom": nom,
                "slug": slugify(f"{code}-{nom}"),
                "region": regions[code_region],
                "latitude": lat,
                "longitude": lon,
            },
        )
    return Region.objects.count(), Departement.objects.count()
