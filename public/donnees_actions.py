"""Open data of the national capitalisation: the actions of published roadmaps (one row per
action) and the indicator catalogue with the values measured on those actions, in CSV and
JSON, filtered like the lauréats, under the Licence Ouverte 2.0. The schema page documents
every column (/donnees/actions/)."""

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from atelier.csv import csv_bytes
from feuilles_de_route import export_actions
from feuilles_de_route.models import Action, Indicateur, IndicateurAction

from . import exports
from .views import _export

# 2: partners, funding by funder and by status, last follow-up (the roadmap spreadsheet).
SCHEMA_ACTIONS = "atelier-des-territoires/actions/2"
SCHEMA_INDICATEURS = "atelier-des-territoires/indicateurs/1"


@dataclass(frozen=True)
class Champ:
    nom: str
    type: str
    description: str


# The identification of each action, then the columns of the roadmap spreadsheet the pilote
# downloads (feuilles_de_route.export_actions): the same columns, named for programs.
CHAMPS_ACTIONS = [
    Champ("action_id", "integer", "Identifiant de l'action sur la plateforme."),
    Champ("atelier", "string", "Titre de l'atelier."),
    Champ("territoire", "string", "Nom du territoire lauréat."),
    Champ("code_insee", "string", "Code INSEE du territoire (commune, département), s'il existe."),
    Champ("siren", "string", "SIREN du territoire (EPCI, syndicat), s'il existe."),
    Champ("session", "string", "Session nationale de l'atelier (vide hors session)."),
    *[Champ(c.nom, c.type, c.description) for c in export_actions.COLONNES],
]  # fmt: skip

CHAMPS_INDICATEURS = [
    Champ("indicateur_id", "integer", "Identifiant de l'indicateur."),
    Champ("nom", "string", "Nom de l'indicateur."),
    Champ("definition", "string", "Définition."),
    Champ("unite", "string", "Unité des valeurs."),
    Champ("source", "string", "Source des données."),
    Champ("periodicite", "string", "Périodicité de la mesure."),
    Champ("sens", "string", "hausse ou baisse : le sens souhaité."),
    Champ("themes", "string", "Thèmes, séparés par des virgules."),
    Champ("cible_nationale", "number", "Cible nationale, si elle existe."),
    Champ("local", "boolean", "Vrai pour un indicateur créé par un atelier hors catalogue."),
    Champ("action_id", "integer", "Action qui suit l'indicateur (vide : aucune action publiée)."),
    Champ("territoire", "string", "Territoire de l'action."),
    Champ("valeur_initiale", "number", "Valeur de référence de l'action."),
    Champ("valeur_cible", "number", "Valeur cible de l'action."),
    Champ("derniere_valeur", "number", "Dernière valeur mesurée."),
    Champ("derniere_date", "string", "Date de la dernière valeur (AAAA-MM-JJ)."),
]  # fmt: skip


def _publiees(ateliers: QuerySet) -> QuerySet[Action]:
    return Action.objects.filter(
        axe__feuille__atelier__in=ateliers.order_by().values("pk"),
        axe__feuille__publiee=True,
    )


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


IDENTIFICATION = {
    "atelier": "axe__feuille__atelier__titre",
    "territoire": "axe__feuille__atelier__territoire__nom",
    "code_insee": "axe__feuille__atelier__territoire__code_insee",
    "siren": "axe__feuille__atelier__territoire__siren",
    "session": "axe__feuille__atelier__session__titre",
}


def lignes_actions(ateliers: QuerySet) -> list[dict[str, Any]]:
    """One dict per action of the published roadmaps of ``ateliers``; five queries."""
    actions = _publiees(ateliers).order_by(
        "axe__feuille__atelier__territoire__nom", "axe__ordre", "ordre", "pk"
    )
    rows = []
    for row in export_actions.lignes(actions, *IDENTIFICATION.values()):
        for nom, champ in IDENTIFICATION.items():
            value = row.pop(champ)
            row[nom] = (value or "") if nom == "session" else value
        rows.append({k: _num(v) if isinstance(v, Decimal) else v for k, v in row.items()})
    return rows


def lignes_indicateurs(ateliers: QuerySet) -> list[dict[str, Any]]:
    """The catalogue (one row per indicator not followed by a published action) and one row
    per indicator followed on an action of a published roadmap."""
    suivis = list(
        IndicateurAction.objects.filter(action__in=_publiees(ateliers))
        .select_related("indicateur", "action__axe__feuille__atelier__territoire")
        .order_by("indicateur__nom", "pk")
    )
    suivis_par_indicateur: dict[int, list] = defaultdict(list)
    for s in suivis:
        suivis_par_indicateur[s.indicateur_id].append(s)
    indicateurs = Indicateur.objects.filter(local=False, actif=True) | Indicateur.objects.filter(
        pk__in=suivis_par_indicateur.keys()
    )
    rows = []
    for ind in indicateurs.distinct().order_by("local", "nom", "pk"):
        base = {
            "indicateur_id": ind.pk,
            "nom": ind.nom,
            "definition": ind.definition,
            "unite": str(ind.get_unite_display()),
            "source": ind.source,
            "periodicite": str(ind.get_periodicite_display()),
            "sens": ind.sens,
            "themes": ind.themes,
            "cible_nationale": _num(ind.cible_nationale),
            "local": ind.local,
        }
        vide = dict.fromkeys(
            ("action_id", "territoire", "valeur_initiale", "valeur_cible", "derniere_valeur",
             "derniere_date")
        )  # fmt: skip
        if not suivis_par_indicateur.get(ind.pk):
            rows.append({**base, **vide})
        for s in suivis_par_indicateur.get(ind.pk, []):
            rows.append(
                {
                    **base,
                    "action_id": s.action_id,
                    "territoire": s.action.axe.feuille.atelier.territoire.nom,
                    "valeur_initiale": _num(s.valeur_initiale),
                    "valeur_cible": _num(s.valeur_cible),
                    "derniere_valeur": _num(s.derniere_valeur),
                    "derniere_date": s.derniere_date.isoformat() if s.derniere_date else None,
                }
            )
    return rows


def _csv(champs, produire):
    return lambda ateliers: csv_bytes(
        [c.nom for c in champs], ([r[c.nom] for c in champs] for r in produire(ateliers))
    )


def _json(schema: str, champs, produire):
    def en_json(ateliers) -> bytes:
        document = {
            "schema": schema,
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
            "champs": [c.nom for c in champs],
            "donnees": produire(ateliers),
        }
        return json.dumps(document, ensure_ascii=False).encode("utf-8")

    return en_json


def _vue(nom: str, fichier: str, content_type: str, produire):
    @require_safe
    def vue(request: HttpRequest) -> HttpResponse:
        return _export(
            request,
            nom=nom,
            content_type=content_type,
            fichier=fichier,
            produire=lambda filtre: produire(filtre.qs),
        )

    return vue


actions_csv = _vue(
    "actions_csv", "actions.csv", "text/csv; charset=utf-8", _csv(CHAMPS_ACTIONS, lignes_actions)
)
actions_json = _vue(
    "actions_json",
    "actions.json",
    "application/json",
    _json(SCHEMA_ACTIONS, CHAMPS_ACTIONS, lignes_actions),
)
indicateurs_csv = _vue(
    "indicateurs_csv",
    "indicateurs.csv",
    "text/csv; charset=utf-8",
    _csv(CHAMPS_INDICATEURS, lignes_indicateurs),
)
indicateurs_json = _vue(
    "indicateurs_json",
    "indicateurs.json",
    "application/json",
    _json(SCHEMA_INDICATEURS, CHAMPS_INDICATEURS, lignes_indicateurs),
)


@require_safe
def schema(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/donnees_actions.html",
        {
            "champs_actions": CHAMPS_ACTIONS,
            "champs_indicateurs": CHAMPS_INDICATEURS,
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
            "breadcrumb": [("Données ouvertes", "/donnees/"), ("Actions et indicateurs", None)],
        },
    )
