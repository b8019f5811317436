"""Loads the reference geography — régions and départements (idempotent, usable in
migrations), the COG's communes and EPCI with their contours — and the Site record."""

import re
import unicodedata
from urllib.parse import urlsplit

import shapely.geometry
from django.apps import apps as django_apps
from django.conf import settings
from django.utils.text import slugify

from . import contours
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


def nom_recherche(texte: str) -> str:
    """A place name as the autocomplete compares it: no accents, no case, and hyphens and
    apostrophes as spaces ("Côtes-d'Armor" → "cotes d armor")."""
    decompose = unicodedata.normalize("NFKD", texte or "")
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c)).lower()
    return " ".join(_NON_ALPHANUMERIQUE.sub(" ", sans_accents).split())


_NON_ALPHANUMERIQUE = re.compile(r"[^0-9a-z]+")


def _point_interieur(code_contour) -> tuple[float | None, float | None]:
    geojson = contours.decode(code_contour)
    if geojson is None:
        return None, None
    point = shapely.geometry.shape(geojson).point_on_surface()
    return round(point.y, 4), round(point.x, 4)


def load_communes(*, departements: set[str] | None = None, force: bool = False) -> dict:
    """Load the shipped COG (communes, EPCI and EPT with their contours); return counts.

    Idempotent and quick when the database already holds this vintage (nothing is written
    unless ``force``). A newer vintage updates names, populations, members and contours in
    bulk; a commune or EPCI absent from it (merged, dissolved) is kept, marked inactive, so
    the territories that named it still read. ``departements`` restricts the load to the
    communes of those départements and the EPCI touching them (tests, small demos).
    """
    from .models import EPCI, Commune, Departement, Region, Territoire

    reference = contours.lire("cog")
    millesime = reference["millesime"]
    lignes = [c for c in reference["communes"] if not departements or c[2] in departements]
    codes = {c[0] for c in lignes}
    groupements = [e for e in reference["epci"] if codes.intersection(e[3])]
    deja = Commune.objects.filter(millesime=millesime, actif=True).count() == len(lignes)
    if deja and not force and EPCI.objects.filter(millesime=millesime).count() >= len(groupements):
        from .services import territoire_derive

        # Territories created since without their search words (imported, typed in the admin).
        for territoire in Territoire.objects.filter(lieux="").select_related("region"):
            territoire_derive(territoire=territoire)
        return {"communes": len(lignes), "epci": len(groupements), "millesime": millesime}

    les_departements = {d.code: d for d in Departement.objects.all()}
    contours_communes = contours.lire("contours-communes")
    existantes = {c.code: c for c in Commune.objects.all()}
    nouvelles, modifiees = [], []
    for code, nom, departement, population, codes_postaux, point in lignes:
        commune = existantes.get(code) or Commune(code=code)
        commune.nom = nom
        commune.nom_recherche = nom_recherche(nom)
        commune.departement = les_departements[departement]
        commune.population = population
        commune.codes_postaux = codes_postaux
        commune.longitude, commune.latitude = point or (None, None)
        commune.contour = contours_communes.get(code)
        commune.actif = True
        commune.millesime = millesime
        (modifiees if commune.pk else nouvelles).append(commune)
    champs = [
        "nom", "nom_recherche", "departement", "population", "codes_postaux", "latitude",
        "longitude", "contour", "actif", "millesime",
    ]  # fmt: skip
    Commune.objects.bulk_create(nouvelles, batch_size=2000)
    Commune.objects.bulk_update(modifiees, champs, batch_size=2000)
    if not departements:
        Commune.objects.exclude(millesime=millesime).update(actif=False)
    communes = dict(Commune.objects.filter(code__in=codes).values_list("code", "pk"))
    commune_departement = {c[0]: c[2] for c in lignes}
    population = {c[0]: c[3] for c in lignes}

    region_de = dict(Departement.objects.values_list("code", "region__code"))
    les_regions = {r.code: r for r in Region.objects.all()}
    contours_epci = contours.contours_territoires()["epci"]
    existants = {e.siren: e for e in EPCI.objects.all()}
    nouveaux, modifies = [], []
    for siren, nom, nature, membres in groupements:
        epci = existants.get(siren) or EPCI(siren=siren)
        epci.nom = nom
        epci.nom_recherche = nom_recherche(nom)
        epci.nature = nature
        epci.population = sum(population.get(m, 0) for m in membres)
        epci.contour = contours_epci.get(siren)
        epci.latitude, epci.longitude = _point_interieur(epci.contour)
        epci.actif = True
        epci.millesime = millesime
        (modifies if epci.pk else nouveaux).append(epci)
    EPCI.objects.bulk_create(nouveaux, batch_size=500)
    EPCI.objects.bulk_update(
        modifies,
        ["nom", "nom_recherche", "nature", "population", "contour", "latitude", "longitude",
         "actif", "millesime"],
        batch_size=500,
    )  # fmt: skip
    if not departements:
        EPCI.objects.exclude(millesime=millesime).update(actif=False)
    les_epci = dict(EPCI.objects.filter(millesime=millesime).values_list("siren", "pk"))
    liens_communes, liens_departements, liens_regions = [], [], []
    for siren, _nom, _nature, membres in groupements:
        pk = les_epci[siren]
        deps = {commune_departement[m] for m in membres if m in commune_departement}
        liens_communes += [
            EPCI.communes.through(epci_id=pk, commune_id=communes[m])
            for m in membres
            if m in communes
        ]
        liens_departements += [
            EPCI.departements.through(epci_id=pk, departement_id=les_departements[d].pk)
            for d in sorted(deps)
        ]
        liens_regions += [
            EPCI.regions.through(epci_id=pk, region_id=les_regions[r].pk)
            for r in sorted({region_de[d] for d in deps})
        ]
    pks = list(les_epci.values())
    for through, liens in (
        (EPCI.communes.through, liens_communes),
        (EPCI.departements.through, liens_departements),
        (EPCI.regions.through, liens_regions),
    ):
        through.objects.filter(epci_id__in=pks).delete()
        through.objects.bulk_create(liens, batch_size=5000)

    # Territories made of reference members follow the new vintage (members, contours);
    # the others get the search words of their départements and région.
    from .services import territoire_derive

    for territoire in Territoire.objects.select_related("region"):
        territoire_derive(territoire=territoire)
    return {"communes": len(lignes), "epci": len(groupements), "millesime": millesime}
