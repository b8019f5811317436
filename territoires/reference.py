"""Loads the reference geography (régions, départements) — idempotent, usable in migrations —
and the sites framework's Site record."""

from urllib.parse import urlsplit

from django.apps import apps as django_apps
from django.conf import settings
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


NOM_DU_SITE = "Atelier des territoires"


def load_site() -> str:
    """Make the Site record (``SITE_ID``) say the public address, ``settings.SITE_URL``.

    Django creates it as ``example.com``; allauth and the sitemap framework read it. Returns
    the domain written, or ``""`` when ``SITE_URL`` is empty (the record is left alone).
    """
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc
    if not domain:
        return ""
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": NOM_DU_SITE}
    )
    Site.objects.clear_cache()
    return domain
