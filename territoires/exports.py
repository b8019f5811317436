"""Open data: one declarative list of columns drives the CSV, the GeoJSON properties, the
API's lauréat objects and the documentation page, so they cannot drift apart."""

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from ateliers.models import Atelier

LICENCE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Colonne:
    nom: str
    type: str  # OpenAPI / JSON type: string, integer, number
    description: str
    valeur: Callable[[Atelier], Any]
    exemple: str = ""
    nullable: bool = False
    format: str = ""


def _departements(a: Atelier) -> str:
    return ",".join(d.code for d in a.territoire.departements.all())


COLONNES: list[Colonne] = [
    Colonne("id", "integer", "Identifiant de l'atelier sur la plateforme.", lambda a: a.pk, "42"),
    Colonne("territoire", "string", "Nom du territoire lauréat.", lambda a: a.territoire.nom,
            "Communauté de communes du Val d'Ille"),
    Colonne("territoire_slug", "string", "Identifiant du territoire dans les adresses du site.",
            lambda a: a.territoire.slug, "cc-val-d-ille"),
    Colonne("nature", "string",
            "Nature du territoire : commune, epci, petr, pnr, departement, inter_territorial, autre.",
            lambda a: a.territoire.nature, "epci"),
    Colonne("code_insee", "string", "Code INSEE (commune), vide sinon.",
            lambda a: a.territoire.code_insee, "35001"),
    Colonne("siren", "string", "SIREN de la collectivité porteuse, vide s'il n'existe pas.",
            lambda a: a.territoire.siren, "243500550"),
    Colonne("region_code", "string", "Code INSEE de la région.",
            lambda a: a.territoire.region.code, "53"),
    Colonne("region", "string", "Nom de la région.", lambda a: a.territoire.region.nom, "Bretagne"),
    Colonne("departements", "string",
            "Codes INSEE des départements concernés, séparés par des virgules.",
            _departements, "35,22"),
    Colonne("latitude", "number", "Latitude du point représentatif (WGS 84, degrés décimaux).",
            lambda a: a.territoire.latitude, "48.21", nullable=True),
    Colonne("longitude", "number", "Longitude du point représentatif (WGS 84, degrés décimaux).",
            lambda a: a.territoire.longitude, "-1.62", nullable=True),
    Colonne("atelier", "string", "Intitulé de l'atelier.", lambda a: a.titre,
            "Atelier des territoires du Val d'Ille"),
    Colonne("format", "string", "Format de l'atelier : multisite, local ou flash.",
            lambda a: a.format, "multisite"),
    Colonne("session", "string", "Session nationale (format Multisite), vide sinon.",
            lambda a: a.session.titre if a.session else "", "Territoires en transition"),
    Colonne("session_slug", "string", "Identifiant de la session nationale, vide sinon.",
            lambda a: a.session.slug if a.session else "", "territoires-en-transition"),
    Colonne("annee", "integer", "Année de sélection du lauréat.", lambda a: a.annee, "2024"),
    Colonne("statut", "string",
            "État de l'atelier : en_preparation, en_cours, restitue, en_mise_en_oeuvre, clos.",
            lambda a: a.statut, "en_cours"),
    Colonne("theme", "string", "Thème de l'atelier (à défaut, celui de la session).",
            lambda a: a.theme or (a.session.theme if a.session else ""), "Littoral"),
    Colonne("date_debut", "string", "Date de début de l'accompagnement (AAAA-MM-JJ).",
            lambda a: a.date_debut.isoformat() if a.date_debut else None, "2024-03-01",
            nullable=True, format="date"),
    Colonne("date_fin", "string", "Date de fin de l'accompagnement (AAAA-MM-JJ), vide si en cours.",
            lambda a: a.date_fin.isoformat() if a.date_fin else None, "2025-02-28",
            nullable=True, format="date"),
    Colonne("url", "string", "Adresse de la page du territoire sur le site.",
            lambda a: f"{settings.SITE_URL}{a.territoire.get_absolute_url()}",
            "https://…/territoires/cc-val-d-ille/", format="uri"),
]  # fmt: skip


def ligne(atelier: Atelier) -> dict[str, Any]:
    return {c.nom: c.valeur(atelier) for c in COLONNES}


def en_csv(ateliers: Iterable[Atelier]) -> bytes:
    """CSV for spreadsheets used in France: UTF-8 with BOM, ``;`` separator, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.nom for c in COLONNES])
    for atelier in ateliers:
        writer.writerow(["" if v is None else v for v in ligne(atelier).values()])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def feature(atelier: Atelier) -> dict[str, Any]:
    territoire = atelier.territoire
    proprietes = ligne(atelier)
    proprietes["perimetre"] = territoire.perimetre
    return {
        "type": "Feature",
        "id": atelier.pk,
        "geometry": territoire.point,  # lon/lat order, or null when unknown
        "properties": proprietes,
    }


def en_geojson(ateliers: Iterable[Atelier]) -> bytes:
    collection = {
        "type": "FeatureCollection",
        "licence": LICENCE,
        "features": [feature(a) for a in ateliers],
    }
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
