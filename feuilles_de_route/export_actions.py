"""The actions of roadmaps as spreadsheet rows, one per action, with their follow-up: the
pilote's XLSX/CSV of a roadmap and the open-data actions export share these columns.

Four queries whatever the number of actions: the actions, their partners, their funding
lines, their indicators.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, QuerySet

from .models import (
    Action,
    Financement,
    Financeur,
    IndicateurAction,
    StatutFinancement,
    StatutSuivi,
)

ZERO = Decimal(0)
STATUTS_SUIVI = dict(StatutSuivi.choices)


@dataclass(frozen=True)
class Colonne:
    nom: str  # the open-data field name
    titre: str  # the spreadsheet header
    type: str  # the open-data schema type
    description: str


COLONNES = [
    Colonne("axe", "Axe", "string", "Axe stratégique de la feuille de route."),
    Colonne("action", "Action", "string", "Titre de l'action."),
    Colonne("porteur", "Porteur", "string", "Organisation qui porte l'action."),
    Colonne("partenaires", "Partenaires", "string", "Organisations partenaires, séparées par « | »."),
    Colonne("statut", "État d'avancement", "string", "À venir, En cours, Réalisée, Abandonnée ou Bloquée."),
    Colonne("avancement", "Avancement (%)", "integer", "Avancement en % (100 pour une action réalisée)."),
    Colonne("cout_estime", "Coût estimé (€)", "number", "Coût estimé en euros."),
    *[
        Colonne(f"financement_{code}", f"Financement {label} (€)", "number",
                f"Somme des financements de ce financeur ({label}), tous statuts, en euros.")
        for code, label in Financeur.choices
    ],
    *[
        Colonne(f"financement_{code}", f"Financement {str(label).lower()} (€)", "number",
                f"Somme des financements au statut « {str(label).lower()} », en euros.")
        for code, label in StatutFinancement.choices
    ],
    Colonne("financement_total", "Financement total (€)", "number", "Somme de tous les financements, en euros."),
    Colonne("financements", "Détail des financements", "string",
            "Chaque ligne « financeur : montant (statut) », séparées par « | »."),
    Colonne("financements_depassent_cout", "Acquis et demandés dépassent le coût", "boolean",
            "Vrai quand les financements acquis et demandés dépassent le coût estimé."),
    Colonne("echeance", "Échéance", "string", "Échéance de l'action (AAAA-MM-JJ)."),
    Colonne("derniere_mise_a_jour", "Dernier point de suivi", "string",
            "Date du dernier point de suivi (AAAA-MM-JJ), vide s'il n'y en a pas."),
    Colonne("indicateurs", "Indicateurs (dernière valeur)", "string",
            "Indicateurs suivis avec leur dernière valeur, « nom : valeur unité (date) » séparés par « | »."),
]  # fmt: skip

NOMS = [c.nom for c in COLONNES]
TITRES = [c.titre for c in COLONNES]

# Fields of Action (and its relations) each row reads; callers may ask for more.
CHAMPS = (
    "pk",
    "titre",
    "statut_suivi",
    "avancement",
    "cout_estime",
    "echeance",
    "axe__titre",
    "porteur__nom",
)


def _montant(value: Decimal) -> str:
    return f"{value:.2f}"


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def lignes(actions: QuerySet[Action], *extra: str) -> list[dict[str, Any]]:
    """One dict per action of ``actions`` (in their order), keyed by :data:`NOMS` plus the
    ``extra`` values() fields asked for. Amounts are Decimal, dates ISO text."""
    rows = list(actions.annotate(derniere_maj=Max("points_suivi__date")).values(
        *CHAMPS, "derniere_maj", *extra
    ))  # fmt: skip
    ids = [r["pk"] for r in rows]
    partenaires: dict[int, list[str]] = defaultdict(list)
    for action_id, nom in (
        Action.partenaires.through.objects.filter(action_id__in=ids)
        .order_by("organisation__nom")
        .values_list("action_id", "organisation__nom")
    ):
        partenaires[action_id].append(nom)
    financements: dict[int, list[Financement]] = defaultdict(list)
    for f in Financement.objects.filter(action_id__in=ids).order_by("action_id", "pk"):
        financements[f.action_id].append(f)
    indicateurs: dict[int, list[str]] = defaultdict(list)
    for suivi in (
        IndicateurAction.objects.filter(action_id__in=ids)
        .select_related("indicateur")
        .order_by("indicateur__nom", "pk")
    ):
        if suivi.derniere_valeur is None:
            valeur = "—"
        else:
            valeur = (
                f"{suivi.derniere_valeur.normalize():f} {suivi.indicateur.get_unite_display()} "
                f"({suivi.derniere_date:%Y-%m-%d})"
            )
        indicateurs[suivi.action_id].append(f"{suivi.indicateur.nom} : {valeur}")
    result = []
    for r in rows:
        lignes_fin = financements.get(r["pk"], [])
        sommes = dict.fromkeys(Financeur.values + StatutFinancement.values, ZERO)
        for f in lignes_fin:
            sommes[f.financeur] += f.montant
            sommes[f.statut] += f.montant
        total = sum((f.montant for f in lignes_fin), ZERO)
        engage = sommes[StatutFinancement.ACQUIS] + sommes[StatutFinancement.DEMANDE]
        realisee = r["statut_suivi"] == StatutSuivi.REALISEE
        row = {
            "axe": r["axe__titre"],
            "action": r["titre"],
            "porteur": r["porteur__nom"] or "",
            "partenaires": " | ".join(partenaires.get(r["pk"], [])),
            "statut": str(STATUTS_SUIVI.get(r["statut_suivi"], r["statut_suivi"])),
            "avancement": 100 if realisee else r["avancement"],
            "cout_estime": r["cout_estime"],
            **{f"financement_{code}": montant for code, montant in sommes.items()},
            "financement_total": total,
            "financements": " | ".join(
                f"{f.source} : {_montant(f.montant)} ({f.get_statut_display().lower()})"
                for f in lignes_fin
            ),
            "financements_depassent_cout": r["cout_estime"] is not None
            and engage > r["cout_estime"],
            "echeance": _date(r["echeance"]),
            "derniere_mise_a_jour": _date(r["derniere_maj"]),
            "indicateurs": " | ".join(indicateurs.get(r["pk"], [])),
        }
        result.append({**{k: r[k] for k in extra}, **row, "action_id": r["pk"]})
    return result


def de_la_feuille(feuille: Any) -> list[dict[str, Any]]:
    """The rows of one roadmap's live actions, axis by axis."""
    return lignes(
        Action.objects.filter(axe__feuille=feuille).order_by("axe__ordre", "axe_id", "ordre", "pk")
    )
