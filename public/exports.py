"""Open data: one declarative list of columns drives the CSV, the GeoJSON properties, the
API's lauréat objects and the documentation page, so they cannot drift apart."""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Min, QuerySet, TextField
from django.db.models.functions import Cast

from atelier.csv import csv_bytes
from territoires.models import Territoire

LICENCE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Colonne:
    nom: str
    type: str  # OpenAPI / JSON type: string, integer, number
    description: str
    valeur: Callable[[dict], Any]  # from a row of ``lignes()``
    exemple: str = ""
    nullable: bool = False
    format: str = ""


# Fields read with ``QuerySet.values()``: exports of thousands of rows skip model instances.
CHAMPS = (
    "pk", "titre", "format", "annee", "statut", "theme", "date_debut", "date_fin",
    "territoire_id", "territoire__nom", "territoire__slug", "territoire__nature",
    "territoire__code_insee", "territoire__siren", "territoire__latitude",
    "territoire__longitude", "territoire__region__code",
    "territoire__region__nom", "session__titre", "session__slug", "session__theme",
)  # fmt: skip


def _date(valeur) -> str | None:
    return valeur.isoformat() if valeur else None


COLONNES: list[Colonne] = [
    Colonne("id", "integer", "Identifiant de l'atelier sur la plateforme.", lambda r: r["pk"], "42"),
    Colonne("territoire", "string", "Nom du territoire lauréat.", lambda r: r["territoire__nom"],
            "Communauté de communes du Val d'Ille"),
    Colonne("territoire_slug", "string", "Identifiant du territoire dans les adresses du site.",
            lambda r: r["territoire__slug"], "cc-val-d-ille"),
    Colonne("nature", "string",
            "Nature du territoire : commune, epci, petr, pnr, departement, inter_territorial, autre.",
            lambda r: r["territoire__nature"], "epci"),
    Colonne("code_insee", "string", "Code INSEE (commune), vide sinon.",
            lambda r: r["territoire__code_insee"], "35001"),
    Colonne("siren", "string", "SIREN de la collectivité porteuse, vide s'il n'existe pas.",
            lambda r: r["territoire__siren"], "243500550"),
    Colonne("region_code", "string", "Code INSEE de la région.",
            lambda r: r["territoire__region__code"], "53"),
    Colonne("region", "string", "Nom de la région.", lambda r: r["territoire__region__nom"],
            "Bretagne"),
    Colonne("departements", "string",
            "Codes INSEE des départements concernés, séparés par des virgules.",
            lambda r: ",".join(r["departements"]), "35,22"),
    Colonne("latitude", "number", "Latitude du point représentatif (WGS 84, degrés décimaux).",
            lambda r: r["territoire__latitude"], "48.21", nullable=True),
    Colonne("longitude", "number", "Longitude du point représentatif (WGS 84, degrés décimaux).",
            lambda r: r["territoire__longitude"], "-1.62", nullable=True),
    Colonne("atelier", "string", "Intitulé de l'atelier.", lambda r: r["titre"],
            "Atelier des territoires du Val d'Ille"),
    Colonne("format", "string", "Format de l'atelier : multisite, local ou flash.",
            lambda r: r["format"], "multisite"),
    Colonne("session", "string", "Session nationale (format Multisite), vide sinon.",
            lambda r: r["session__titre"] or "", "Territoires en transition"),
    Colonne("session_slug", "string", "Identifiant de la session nationale, vide sinon.",
            lambda r: r["session__slug"] or "", "territoires-en-transition"),
    Colonne("annee", "integer", "Année de sélection du lauréat.", lambda r: r["annee"], "2024"),
    Colonne("statut", "string",
            "État de l'atelier : en_preparation, en_cours, restitue, en_mise_en_oeuvre, clos.",
            lambda r: r["statut"], "en_cours"),
    Colonne("theme", "string", "Thème de l'atelier (à défaut, celui de la session).",
            lambda r: r["theme"] or r["session__theme"] or "", "Littoral"),
    Colonne("date_debut", "string", "Date de début de l'accompagnement (AAAA-MM-JJ).",
            lambda r: _date(r["date_debut"]), "2024-03-01", nullable=True, format="date"),
    Colonne("date_fin", "string", "Date de fin de l'accompagnement (AAAA-MM-JJ), vide si en cours.",
            lambda r: _date(r["date_fin"]), "2025-02-28", nullable=True, format="date"),
    Colonne("url", "string", "Adresse de la page du territoire sur le site.",
            lambda r: f"{settings.SITE_URL}/territoires/{r['territoire__slug']}/",
            "https://…/territoires/cc-val-d-ille/", format="uri"),
]  # fmt: skip


def lignes(ateliers: QuerySet, *, perimetres: bool = False) -> list[dict]:
    """Rows (dicts) for a queryset of ateliers, in its order: two queries in all.

    With ``perimetres``, each row carries its territory's perimeter as JSON *text*, read
    as is from the database and copied as is into the GeoJSON (no parse, no re-encode).
    """
    champs = {"perimetre_json": Cast("territoire__perimetre", TextField())} if perimetres else {}
    rows = list(ateliers.prefetch_related(None).values(*CHAMPS, **champs))
    codes: dict[int, list[str]] = defaultdict(list)
    ids = {r["territoire_id"] for r in rows}
    if ids:
        lien = Territoire.departements.through.objects.filter(
            territoire_id__in=ateliers.order_by().values("territoire_id")
        ) if len(ids) > 500 else Territoire.departements.through.objects.filter(
            territoire_id__in=ids
        )  # fmt: skip
        for territoire_id, code in lien.order_by("departement__code").values_list(
            "territoire_id", "departement__code"
        ):
            codes[territoire_id].append(code)
    for r in rows:
        r["departements"] = codes.get(r["territoire_id"], [])
    return rows


def ligne(row: dict) -> dict[str, Any]:
    return {c.nom: c.valeur(row) for c in COLONNES}


def en_csv(ateliers: QuerySet) -> bytes:
    """CSV for spreadsheets used in France (see ``atelier.csv``: BOM, ``;``, no formulas)."""
    return csv_bytes([c.nom for c in COLONNES], (ligne(row).values() for row in lignes(ateliers)))


_ENCODEUR = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _feature_json(row: dict) -> str:
    lat, lon = row["territoire__latitude"], row["territoire__longitude"]
    # RFC 7946: longitude first; null when the territory has no point yet.
    geometrie = "null" if lat is None or lon is None else (
        f'{{"type":"Point","coordinates":[{float(lon)!r},{float(lat)!r}]}}'
    )  # fmt: skip
    proprietes = _ENCODEUR.encode(ligne(row))
    perimetre = row.get("perimetre_json") or "null"
    return (
        f'{{"type":"Feature","id":{int(row["pk"])},"geometry":{geometrie},'
        f'"properties":{proprietes[:-1]},"perimetre":{perimetre}}}}}'
    )


def en_geojson(ateliers: QuerySet) -> bytes:
    """A FeatureCollection of points (lon, lat), with every column as properties."""
    entete = json.dumps({"type": "FeatureCollection", "licence": LICENCE}, ensure_ascii=False)
    features = ",".join(_feature_json(r) for r in lignes(ateliers, perimetres=True))
    return f'{entete[:-1]},"features":[{features}]}}'.encode()


FORMATS_CARTE = ("multisite", "local", "flash")


LOCALISATIONS_CARTE = ("territoire", "departement", "region")


def en_carte(ateliers: QuerySet, historiques: QuerySet | None = None) -> bytes:
    """The lauréat map's data layer: only what the map shows, in as few bytes as can be read.

    ``{"formats": [...], "sessions": [...], "regions": [...], "laureats": [[lon, lat, format,
    slug, territoire, annee, session, region], ...], "historiques": [[lon, lat, session slug,
    territoire, annee, session, region, localisation], ...]}``: coordinates rounded to 1e-3
    degree (about 100 m, a marker's size at the deepest zoom of a national map), formats,
    sessions and régions as indexes into the lists (-1: none); a historical lauréat's
    ``localisation`` indexes ``localisations`` (its perimeter's point, or approximated to its
    département or région). Lauréats without a point are left out.
    """
    sessions: dict[str, int] = {}
    regions: dict[str, int] = {}
    laureats = []
    for lon, lat, fmt, slug, nom, annee, session, region in ateliers.prefetch_related(
        None
    ).values_list(
        "territoire__longitude", "territoire__latitude", "format", "territoire__slug",
        "territoire__nom", "annee", "session__titre", "territoire__region__nom",
    ):  # fmt: skip
        if lon is None or lat is None:
            continue
        laureats.append(
            [
                round(lon, 3),
                round(lat, 3),
                FORMATS_CARTE.index(fmt) if fmt in FORMATS_CARTE else -1,
                slug,
                nom,
                annee,
                sessions.setdefault(session, len(sessions)) if session else -1,
                regions.setdefault(region, len(regions)),
            ]
        )
    anciens = []
    for lon, lat, slug, nom, annee, session, region, localisation in (
        historiques.prefetch_related(None)
        .filter(latitude__isnull=False)
        .annotate(region_nom=Min("regions__nom"))
        .values_list(
            "longitude", "latitude", "session__slug", "nom", "annee", "session__titre",
            "region_nom", "localisation",
        )
        if historiques is not None
        else ()
    ):  # fmt: skip
        anciens.append(
            [
                round(lon, 3),
                round(lat, 3),
                slug,
                nom,
                annee,
                sessions.setdefault(session, len(sessions)),
                regions.setdefault(region, len(regions)) if region else -1,
                LOCALISATIONS_CARTE.index(localisation),
            ]
        )
    donnees = {
        "formats": FORMATS_CARTE,
        "localisations": LOCALISATIONS_CARTE,
        "sessions": list(sessions),
        "regions": list(regions),
        "laureats": laureats,
        "historiques": anciens,
    }
    return _ENCODEUR.encode(donnees).encode()


# --- Historical lauréats: their own file ---------------------------------------------------
# Not in the lauréat exports nor in the API, whose rows are ateliers run on the platform
# (an atelier id, a format, a state, dates): a historical lauréat has none of them. They are
# published as their own file, each row with the source that names it.
COLONNES_HISTORIQUES: list[tuple[str, str]] = [
    ("session", "Titre de la session nationale."),
    ("session_slug", "Identifiant de la session dans les adresses du site."),
    ("annee", "Année de la session."),
    ("territoire", "Le territoire lauréat, tel que la source le nomme."),
    ("nature", "Nature selon la source : commune, epci, pays, departement, groupement, autre."),
    ("code_insee", "Code INSEE de la commune du référentiel (une commune), vide sinon."),
    ("siren", "SIREN de l'EPCI du référentiel (un EPCI), vide sinon."),
    ("communes", "Codes INSEE des communes du référentiel qui le composent, séparés par des "
                 "virgules (vide si la source ne nomme pas de lieux du référentiel)."),
    ("departements", "Codes INSEE des départements, séparés par des virgules."),
    ("regions", "Codes INSEE des régions, séparés par des virgules."),
    ("latitude", "Latitude du point (WGS 84) : celui du périmètre, ou approché (voir "
                 "localisation)."),
    ("longitude", "Longitude du point (WGS 84)."),
    ("localisation", "territoire (point du périmètre du référentiel), departement ou region "
                     "(point approché), vide (non localisé)."),
    ("source_url", "Adresse de la page publique qui nomme ce lauréat."),
    ("source_titre", "Titre de cette page."),
    ("remarque", "Ce que la source précise, ou ce qui a été ajouté et pourquoi."),
]  # fmt: skip


def en_csv_historiques(historiques: QuerySet) -> bytes:
    """The historical lauréats as CSV (``atelier.csv``: BOM, ``;``, no formulas)."""
    lignes = []
    for h in historiques.prefetch_related("territoire__communes"):
        territoire = h.territoire
        lignes.append(
            [
                h.session.titre,
                h.session.slug,
                h.annee,
                h.nom,
                h.nature,
                territoire.code_insee if territoire else "",
                territoire.siren if territoire else "",
                ",".join(sorted(c.code for c in territoire.communes.all())) if territoire else "",
                ",".join(d.code for d in h.departements.all()),
                ",".join(r.code for r in h.regions.all()),
                h.latitude,
                h.longitude,
                h.localisation,
                h.source_url,
                h.source_titre,
                h.remarque,
            ]
        )
    return csv_bytes([nom for nom, _description in COLONNES_HISTORIQUES], lignes)
