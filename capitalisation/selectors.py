"""Reads of the national dashboard: each figure is a ``Tableau`` (its data table, source,
date, and what DSFR Chart draws from it), computed with aggregate queries whose number does
not depend on how many ateliers, actions or values there are."""

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from acteurs.models import Participation, Role
from appels.models import Candidature
from atelier.textes import cle_tri
from ateliers.models import Atelier, Livrable, SessionNationale
from feuilles_de_route.financements import STATUTS as STATUTS_FINANCEMENT
from feuilles_de_route.financements import par_financeur_et_statut
from feuilles_de_route.models import (
    Action,
    FeuilleDeRoute,
    Financement,
    IndicateurAction,
    PointSuivi,
    StatutSuivi,
)

SOURCE = "Plateforme Atelier des territoires (DGALN)"
RESTITUES = (Atelier.Statut.RESTITUE, Atelier.Statut.EN_MISE_EN_OEUVRE, Atelier.Statut.CLOS)
# A roadmap whose last check-in is older than this is overdue for its follow-up.
SUIVI_EN_RETARD_APRES = dt.timedelta(days=183)


@dataclass
class Tableau:
    cle: str
    titre: str
    colonnes: list[str]
    lignes: list[list[Any]]
    source: str = SOURCE
    date: dt.date = field(default_factory=timezone.localdate)
    # DSFR Chart: "bar" or "pie", with the series drawn (column indexes of ``lignes``).
    graphique: str = ""
    series: list[int] = field(default_factory=list)
    empile: bool = False
    note: str = ""

    @property
    def large(self) -> bool:
        """Wide tables go under their chart rather than beside it."""
        return len(self.colonnes) > 3

    @property
    def chart_x(self) -> str:
        labels = [str(row[0]) for row in self.lignes]
        return json.dumps([labels] * (1 if self.graphique == "pie" else len(self.series)))

    @property
    def chart_y(self) -> str:
        return json.dumps([[_number(row[i]) for row in self.lignes] for i in self.series])

    @property
    def chart_names(self) -> str:
        if self.graphique == "pie":
            return json.dumps([str(row[0]) for row in self.lignes])
        return json.dumps([self.colonnes[i] for i in self.series])


def _number(value: Any) -> float | int:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def ateliers_filtres(filtres: dict[str, Any]) -> QuerySet[Atelier]:
    """Ateliers matching the dashboard filters (session, format, région, département, year,
    state, kind of territory); an empty value does not filter."""
    qs = Atelier.objects.all()
    mapping = {
        "session": "session_id",
        "format": "format",
        "region": "territoire__region_id",
        "departement": "territoire__departements",
        "annee": "annee",
        "statut": "statut",
        "nature": "territoire__nature",
    }
    for key, lookup in mapping.items():
        value = filtres.get(key)
        if value not in (None, ""):
            qs = qs.filter(**{lookup: getattr(value, "pk", value)})
    if filtres.get("departement"):
        qs = qs.distinct()
    return qs


def _dans(qs: QuerySet, champ: str, ateliers: QuerySet[Atelier]) -> QuerySet:
    """``qs`` restricted to the ateliers' rows; no restriction when the ateliers are all of
    them (an IN over every atelier costs PostgreSQL more than the aggregate itself)."""
    if not ateliers.query.where:
        return qs
    return qs.filter(**{f"{champ}__in": ateliers.order_by().values("pk")})


def _actions_adoptees(ateliers: QuerySet[Atelier]) -> QuerySet[Action]:
    """The actions of the ateliers' adopted roadmaps."""
    return _dans(
        Action.objects.filter(axe__feuille__version_adoptee__isnull=False),
        "axe__feuille__atelier",
        ateliers,
    )


def _par_choix(qs: QuerySet, champ: str, choix) -> list[list[Any]]:
    """A row per choice, in the choices' order: its label and how many rows of ``qs`` have
    it in ``champ`` (0 included, so that every choice is shown)."""
    nombres = {r[champ]: r["n"] for r in qs.values(champ).annotate(n=Count("id"))}
    return [[str(label), nombres.get(code, 0)] for code, label in choix]


def _candidatures(filtres: dict[str, Any]) -> QuerySet[Candidature]:
    qs = Candidature.objects.exclude(statut=Candidature.Statut.BROUILLON)
    mapping = {
        "session": "appel__session_id",
        "format": "format_demande",
        "region": "region_id",
        "departement": "departement_id",
        "nature": "territoire_nature",
    }
    for key, lookup in mapping.items():
        value = filtres.get(key)
        if value not in (None, ""):
            qs = qs.filter(**{lookup: getattr(value, "pk", value)})
    if filtres.get("annee"):
        qs = qs.filter(appel__ouverture__year=filtres["annee"])
    return qs


def entonnoir(filtres: dict[str, Any], ateliers: QuerySet[Atelier]) -> Tableau:
    by_year: dict[int, list[int]] = {}

    def add(year, index, n):
        by_year.setdefault(year, [0] * 6)[index] += n

    for row in (
        _candidatures(filtres)
        .annotate(annee=ExtractYear("appel__ouverture"))
        .values("annee")
        .annotate(n=Count("id"), retenues=Count("id", filter=Q(statut="retenue")))
    ):
        add(row["annee"], 0, row["n"])
        add(row["annee"], 1, row["retenues"])
    for row in ateliers.values("annee").annotate(
        n=Count("id", filter=Q(statut__in=RESTITUES), distinct=True)
    ):
        add(row["annee"], 2, row["n"])
    for row in (
        _dans(FeuilleDeRoute.objects.filter(version_adoptee__isnull=False), "atelier", ateliers)
        .values("atelier__annee")
        .annotate(n=Count("id"))
    ):
        add(row["atelier__annee"], 3, row["n"])
    for row in (
        _actions_adoptees(ateliers)
        .values("axe__feuille__atelier__annee")
        .annotate(
            en_cours=Count("id", filter=Q(statut_suivi=StatutSuivi.EN_COURS)),
            realisees=Count("id", filter=Q(statut_suivi=StatutSuivi.REALISEE)),
        )
    ):
        add(row["axe__feuille__atelier__annee"], 4, row["en_cours"])
        add(row["axe__feuille__atelier__annee"], 5, row["realisees"])
    lignes = [[year, *values] for year, values in sorted(by_year.items())]
    return Tableau(
        cle="entonnoir",
        titre="Des candidatures aux actions, par année",
        colonnes=[
            "Année",
            "Candidatures déposées",
            "Lauréats",
            "Ateliers restitués",
            "Feuilles de route adoptées",
            "Actions en cours",
            "Actions réalisées",
        ],
        lignes=lignes,
        graphique="bar",
        series=[1, 2, 3, 4, 5, 6],
        note="Année de l'appel pour les candidatures, année de sélection pour les ateliers.",
    )


def ateliers_par_etat(ateliers: QuerySet[Atelier]) -> Tableau:
    return Tableau(
        cle="etats",
        titre="Ateliers par état",
        colonnes=["État", "Ateliers"],
        lignes=_par_choix(ateliers, "statut", Atelier.Statut.choices),
        graphique="pie",
        series=[1],
    )


def ateliers_par_region(ateliers: QuerySet[Atelier]) -> Tableau:
    """The map's data table: ateliers by région and state."""
    states = list(Atelier.Statut.choices)
    rows: dict[str, list[int]] = {}
    for row in ateliers.values("territoire__region__nom", "statut").annotate(n=Count("id")):
        values = rows.setdefault(row["territoire__region__nom"] or "—", [0] * len(states))
        values[[c for c, _l in states].index(row["statut"])] += row["n"]
    return Tableau(
        cle="regions",
        titre="Ateliers par région et par état",
        colonnes=["Région", *[str(label) for _c, label in states]],
        lignes=[
            [name, *values] for name, values in sorted(rows.items(), key=lambda r: cle_tri(r[0]))
        ],
        graphique="bar",
        series=list(range(1, len(states) + 1)),
        empile=True,
    )


def actions_par_statut(ateliers: QuerySet[Atelier]) -> Tableau:
    return Tableau(
        cle="actions_statut",
        titre="Actions des feuilles de route adoptées, par état d'avancement",
        colonnes=["État", "Actions"],
        lignes=_par_choix(_actions_adoptees(ateliers), "statut_suivi", StatutSuivi.choices),
        graphique="pie",
        series=[1],
    )


def actions_par_theme(ateliers: QuerySet[Atelier]) -> Tableau:
    rows = (
        _actions_adoptees(ateliers)
        .values("axe__feuille__atelier__theme")
        .annotate(
            n=Count("id"),
            realisees=Count("id", filter=Q(statut_suivi=StatutSuivi.REALISEE)),
        )
        .order_by("-n")[:15]
    )
    return Tableau(
        cle="actions_theme",
        titre="Actions par thème de l'atelier",
        colonnes=["Thème", "Actions", "Dont réalisées"],
        lignes=[
            [r["axe__feuille__atelier__theme"] or "Sans thème", r["n"], r["realisees"]]
            for r in rows
        ],
        graphique="bar",
        series=[1, 2],
        note="Les 15 thèmes qui portent le plus d'actions.",
    )


def financements_par_financeur(ateliers: QuerySet[Atelier]) -> Tableau:
    """Funding by funder, split by status (stacked bars); two queries."""
    groupes = par_financeur_et_statut(
        _dans(Financement.objects.all(), "action__axe__feuille__atelier", ateliers)
    )[:20]
    return Tableau(
        cle="financements",
        titre="Financements par financeur et par statut",
        colonnes=[
            "Financeur",
            *(f"{label} (€)" for _code, label in STATUTS_FINANCEMENT),
            "Total (€)",
            "Actions financées",
        ],
        lignes=[
            [
                g["financeur"],
                *(g[code] for code, _label in STATUTS_FINANCEMENT),
                g["total"],
                g["actions"],
            ]
            for g in groupes
        ],
        graphique="bar",
        series=[1, 2, 3],
        empile=True,
        note=(
            "Les 20 premiers financeurs ; un financeur « autre » est compté sous son nom. "
            "Lignes de financement des actions, telles que saisies par les ateliers."
        ),
    )


def financements_par_statut(ateliers: QuerySet[Atelier]) -> Tableau:
    rows = dict(
        _dans(Financement.objects.all(), "action__axe__feuille__atelier", ateliers)
        .values("statut")
        .annotate(total=Sum("montant"))
        .order_by()
        .values_list("statut", "total")
    )
    return Tableau(
        cle="financements_statut",
        titre="Financements par statut",
        colonnes=["Statut", "Montant (€)"],
        lignes=[[label, rows.get(code) or Decimal(0)] for code, label in STATUTS_FINANCEMENT]
        if rows
        else [],
        graphique="pie",
        series=[1],
        note="Envisagé : prévu au plan de financement ; demandé : dossier déposé ; acquis : accordé.",
    )


def participants_par_role(ateliers: QuerySet[Atelier]) -> Tableau:
    return Tableau(
        cle="participants",
        titre="Participants par type d'acteur",
        colonnes=["Type d'acteur", "Participants"],
        lignes=_par_choix(
            _dans(Participation.objects.all(), "atelier", ateliers), "role", Role.choices
        ),
        graphique="bar",
        series=[1],
    )


def livrables_en_retard(ateliers: QuerySet[Atelier]) -> Tableau:
    now = timezone.now()
    rows = (
        Livrable.objects.filter(
            etape__atelier__in=ateliers,
            obligatoire=True,
            document__isnull=True,
            etape__debut__lt=now,
        )
        .values("etape__atelier_id", "etape__atelier__titre")
        .annotate(n=Count("id"), depuis=Max("etape__debut"))
        .order_by("-n", "etape__atelier__titre")[:50]
    )
    return Tableau(
        cle="livrables",
        titre="Livrables obligatoires en retard",
        colonnes=["Atelier", "Livrables manquants", "Étape la plus récente concernée"],
        lignes=[
            [r["etape__atelier__titre"], r["n"], timezone.localtime(r["depuis"]).date()]
            for r in rows
        ],
        note="Livrable obligatoire d'une étape passée sans document ; les 50 premiers ateliers.",
    )


def suivis_en_retard(ateliers: QuerySet[Atelier]) -> Tableau:
    limite = timezone.now() - SUIVI_EN_RETARD_APRES
    recent = PointSuivi.objects.filter(action__axe__feuille=OuterRef("pk"), cree_le__gte=limite)
    rows = (
        FeuilleDeRoute.objects.filter(
            atelier__in=ateliers,
            version_adoptee__isnull=False,
            version_adoptee__adoptee_le__lt=limite,
        )
        .exclude(Exists(recent))
        .annotate(dernier=Max("axes__actions__points_suivi__date"))
        .values_list("atelier__titre", "version_adoptee__adoptee_le", "dernier")
        .order_by("dernier", "atelier__titre")[:50]
    )
    return Tableau(
        cle="suivis",
        titre="Suivis en retard",
        colonnes=["Atelier", "Feuille de route adoptée le", "Dernier point de suivi"],
        lignes=[
            [titre, timezone.localtime(adoptee).date(), dernier or "aucun"]
            for titre, adoptee, dernier in rows
        ],
        note="Feuille de route adoptée depuis plus de six mois sans point de suivi depuis six mois.",
    )


def indicateurs_nationaux(ateliers: QuerySet[Atelier]) -> Tableau:
    rows = (
        _dans(
            IndicateurAction.objects.filter(indicateur__local=False),
            "action__axe__feuille__atelier",
            ateliers,
        )
        .values(
            "indicateur_id",
            "indicateur__nom",
            "indicateur__unite",
            "indicateur__cible_nationale",
        )
        .annotate(
            ateliers=Count("action__axe__feuille", distinct=True),
            total=Sum("derniere_valeur"),
            cibles=Sum("valeur_cible"),
        )
        .order_by("indicateur__nom")
    )
    from feuilles_de_route.models import Unite

    lignes = []
    for r in rows:
        cible = r["indicateur__cible_nationale"]
        total = r["total"] or Decimal(0)
        part = round(total / cible * 100) if cible else None
        lignes.append(
            [
                r["indicateur__nom"],
                Unite(r["indicateur__unite"]).label,
                r["ateliers"],
                total,
                r["cibles"] or Decimal(0),
                cible if cible is not None else "—",
                f"{part} %" if part is not None else "—",
            ]
        )
    return Tableau(
        cle="indicateurs",
        titre="Indicateurs du catalogue national",
        colonnes=[
            "Indicateur",
            "Unité",
            "Ateliers qui le suivent",
            "Somme des dernières valeurs",
            "Somme des cibles locales",
            "Cible nationale",
            "Part de la cible nationale",
        ],
        lignes=lignes,
        graphique="bar",
        series=[3],
        note="Dernière valeur mesurée de chaque action ; sommes sur les ateliers filtrés.",
    )


SECTIONS = {
    "entonnoir": None,
    "etats": ateliers_par_etat,
    "regions": ateliers_par_region,
    "actions_statut": actions_par_statut,
    "actions_theme": actions_par_theme,
    "financements": financements_par_financeur,
    "financements_statut": financements_par_statut,
    "participants": participants_par_role,
    "livrables": livrables_en_retard,
    "suivis": suivis_en_retard,
    "indicateurs": indicateurs_nationaux,
}


def tableau(cle: str, filtres: dict[str, Any]) -> Tableau:
    ateliers = ateliers_filtres(filtres)
    if cle == "entonnoir":
        return entonnoir(filtres, ateliers)
    return SECTIONS[cle](ateliers)


def tableau_de_bord(filtres: dict[str, Any]) -> list[Tableau]:
    return [tableau(cle, filtres) for cle in SECTIONS]


def derniere_session() -> SessionNationale | None:
    """The most recent national session that has lauréats: the comparison's default."""
    return (
        SessionNationale.objects.filter(ateliers__isnull=False)
        .order_by("-annee_debut", "-pk")
        .first()
    )


def carte_ateliers(filtres: dict[str, Any]) -> list[dict[str, Any]]:
    """Points of the map of ateliers by state (text only: the script builds text nodes)."""
    labels = dict(Atelier.Statut.choices)
    return [
        {
            "titre": titre,
            "statut": statut,
            "etat": str(labels[statut]),
            "lat": lat,
            "lon": lon,
        }
        for titre, statut, lat, lon in ateliers_filtres(filtres)
        .filter(territoire__latitude__isnull=False)
        .values_list("titre", "statut", "territoire__latitude", "territoire__longitude")
    ]
