"""Ateliers side by side: territory, format, dates, themes, roadmap, budget and funding,
indicators, participants, follow-up, lessons. Read by DGALN's comparison page and by the
public session page (``publiees_seulement``: only what is published there).

A fixed number of queries whatever the number of ateliers (one per kind of data)."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, QuerySet, Sum

from acteurs.models import Participation, Role
from ateliers.models import Atelier, FicheCapitalisation

from .financements import GROUPE, nom_financeur
from .indicateurs import progression, progression_indicateur
from .models import Action, Financement, IndicateurAction, PointSuivi

MAX_ATELIERS = 50


@dataclass
class Colonne:
    atelier: Atelier
    themes: list[str] = field(default_factory=list)
    axes: int = 0
    actions: int = 0
    budget: Decimal = Decimal(0)
    financements: list[tuple[str, Decimal]] = field(default_factory=list)
    indicateurs: list[IndicateurAction] = field(default_factory=list)
    participants: list[tuple[str, int]] = field(default_factory=list)
    avancement: int | None = None
    avancement_pondere: bool = False
    dernier_suivi: Any = None
    fiche: FicheCapitalisation | None = None


def comparer(ateliers: QuerySet[Atelier], *, publiees_seulement: bool = False) -> list[Colonne]:
    """One column per atelier (at most ``MAX_ATELIERS``, in the queryset's order)."""
    ateliers = ateliers.select_related(
        "territoire__region", "session", "feuille_de_route", "fiche_capitalisation"
    )
    if publiees_seulement:
        ateliers = ateliers.filter(publie=True)
    liste = list(ateliers[:MAX_ATELIERS])
    if not liste:
        return []
    ids = [a.pk for a in liste]
    # Roadmap data: of every roadmap for DGALN, of published ones only for the public.
    with_feuille = {
        a.pk
        for a in liste
        if hasattr(a, "feuille_de_route") and (not publiees_seulement or a.feuille_de_route.publiee)
    }
    actions = Action.objects.filter(axe__feuille__atelier_id__in=with_feuille)
    lignes: dict[int, list] = defaultdict(list)
    axes: dict[int, set] = defaultdict(set)
    for atelier_id, axe_id, statut, pct, cout in actions.values_list(
        "axe__feuille__atelier_id", "axe_id", "statut_suivi", "avancement", "cout_estime"
    ):
        lignes[atelier_id].append((statut, pct, cout))
        axes[atelier_id].add(axe_id)
    financements: dict[int, list] = defaultdict(list)
    for atelier_id, financeur, groupe, total in (
        Financement.objects.filter(action__axe__feuille__atelier_id__in=with_feuille)
        .annotate(groupe=GROUPE)
        .values_list("action__axe__feuille__atelier_id", "financeur", "groupe")
        .annotate(total=Sum("montant"))
        .order_by("action__axe__feuille__atelier_id", "-total")
    ):
        financements[atelier_id].append((nom_financeur(financeur, groupe), total))
    indicateurs: dict[int, list] = defaultdict(list)
    for suivi in (
        IndicateurAction.objects.filter(action__axe__feuille__atelier_id__in=with_feuille)
        .select_related("indicateur")
        .annotate(atelier_id=F("action__axe__feuille__atelier_id"))
        .order_by("indicateur__nom", "id")
    ):
        suivi.progression = progression_indicateur(suivi)
        indicateurs[suivi.atelier_id].append(suivi)
    derniers = dict(
        PointSuivi.objects.filter(action__axe__feuille__atelier_id__in=with_feuille)
        .values_list("action__axe__feuille__atelier_id")
        .annotate(d=Max("date"))
    )
    participants: dict[int, dict] = defaultdict(dict)
    if not publiees_seulement:
        for atelier_id, role, n in (
            Participation.objects.filter(atelier_id__in=ids)
            .values_list("atelier_id", "role")
            .annotate(n=Count("id"))
        ):
            participants[atelier_id][role] = n
    colonnes = []
    for atelier in liste:
        fiche = getattr(atelier, "fiche_capitalisation", None)
        if fiche is not None and publiees_seulement and fiche.statut != fiche.Statut.VALIDEE:
            fiche = None
        rows = lignes.get(atelier.pk, [])
        rolled = progression(rows) if rows else None
        themes = [t.strip() for t in atelier.theme.split(",") if t.strip()]
        if fiche:
            themes += [t for t in fiche.liste_themes if t not in themes]
        colonnes.append(
            Colonne(
                atelier=atelier,
                themes=themes,
                axes=len(axes.get(atelier.pk, ())),
                actions=len(rows),
                budget=sum((cout or Decimal(0) for _s, _p, cout in rows), Decimal(0)),
                financements=financements.get(atelier.pk, []),
                indicateurs=indicateurs.get(atelier.pk, []),
                participants=[
                    (str(label), participants[atelier.pk].get(code, 0))
                    for code, label in Role.choices
                    if participants[atelier.pk].get(code)
                ],
                avancement=rolled.pourcentage if rolled and rolled.comptees else None,
                avancement_pondere=bool(rolled and rolled.ponderee),
                dernier_suivi=derniers.get(atelier.pk),
                fiche=fiche,
            )
        )
    return colonnes
