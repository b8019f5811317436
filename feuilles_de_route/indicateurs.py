"""Indicators of the roadmap actions: the national catalogue, the indicators an action
follows, their measured values, and the progress rolled up from actions to the atelier.

Writes here follow services.py's rules (keyword-only, permission and state checked, one
audit row each); they live in their own module because they share none of the draft /
version / signature machinery.

Roll-up rule (README, « Avancement et indicateurs »): an action counts 100 % when
réalisée, its follow-up percentage otherwise (0 when none), and is left out when
abandonnée. An axe, and the roadmap (hence the atelier), is the mean of its counted actions,
weighted by their estimated cost when every counted action has a cost above zero.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acteurs.permissions import require_perm
from atelier.cache import invalidate_public_cache
from atelier.workflow import TransitionError
from journal.models import Action as AuditAction
from journal.services import audit

from .models import (
    UNITES_ENTIERES,
    Action,
    Indicateur,
    IndicateurAction,
    MesureIndicateur,
    StatutSuivi,
    Unite,
)
from .permissions import can_follow_up

# Units whose values cannot be negative (a count, an area, a share).
UNITES_POSITIVES = {
    Unite.NOMBRE,
    Unite.POURCENTAGE,
    Unite.HECTARES,
    Unite.METRES_CARRES,
    Unite.KILOMETRES,
    Unite.LOGEMENTS,
    Unite.EMPLOIS,
    Unite.MWH,
}
# What a person may type after the number, per unit (compared lower-case, spaces removed).
SUFFIXES = {
    Unite.NOMBRE: set(),
    Unite.POURCENTAGE: {"%"},
    Unite.EUROS: {"€", "eur", "euros"},
    Unite.HECTARES: {"ha"},
    Unite.METRES_CARRES: {"m²", "m2"},
    Unite.KILOMETRES: {"km"},
    Unite.LOGEMENTS: {"logement", "logements"},
    Unite.EMPLOIS: {"emploi", "emplois"},
    Unite.TONNES_CO2: {"tco₂e", "tco2e", "tco2", "t"},
    Unite.MWH: {"mwh"},
}


class ValeurInvalide(TransitionError):
    """A typed value that is not a number of the indicator's unit (the form's field error)."""


_NOMBRE = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)(.*)$")
MAX_VALEUR = Decimal("1e13")


def parse_valeur(texte: str, unite: str) -> Decimal:
    """The number ``texte`` says in ``unite`` (« 1 200,5 ha » → 1200.5 for hectares).

    Raises ``ValeurInvalide`` with a French message when it is not a number of that unit:
    letters or another unit after it, a decimal for a count, a share above 100 %, a negative
    count or area.
    """
    libelle = Unite(unite).label
    brut = (texte or "").strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    match = _NOMBRE.match(brut)
    if not match:
        raise ValeurInvalide(
            _("« %(texte)s » n'est pas un nombre (unité : %(unite)s).")
            % {"texte": texte.strip()[:50], "unite": libelle}
        )
    nombre, suffixe = match.groups()
    if suffixe and suffixe.lower() not in SUFFIXES[unite]:
        raise ValeurInvalide(
            _("« %(texte)s » n'est pas exprimé dans l'unité de l'indicateur (%(unite)s).")
            % {"texte": texte.strip()[:50], "unite": libelle}
        )
    try:
        valeur = Decimal(nombre.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover — the pattern only lets digits through
        raise ValeurInvalide(_("Valeur illisible.")) from exc
    if abs(valeur) >= MAX_VALEUR:
        raise ValeurInvalide(_("Cette valeur est trop grande."))
    if unite in UNITES_ENTIERES and valeur != valeur.to_integral_value():
        raise ValeurInvalide(_("Un nombre de %(unite)s est un nombre entier.") % {"unite": libelle})
    if unite in UNITES_POSITIVES and valeur < 0:
        raise ValeurInvalide(_("Cette valeur ne peut pas être négative."))
    if unite == Unite.POURCENTAGE and valeur > 100:
        raise ValeurInvalide(_("Un pourcentage est compris entre 0 et 100."))
    if valeur.as_tuple().exponent < -3:
        raise ValeurInvalide(_("Trois décimales au plus."))
    return valeur


# --- The catalogue (DGALN) --------------------------------------------------------------------

CHAMPS_CATALOGUE = (
    "nom",
    "definition",
    "unite",
    "source",
    "periodicite",
    "sens",
    "themes",
    "cible_nationale",
    "actif",
)


def indicateur_save(*, by: Any, indicateur: Indicateur | None = None, **fields: Any) -> Indicateur:
    """Create or change an indicator of the national catalogue (DGALN only).

    The unit of an indicator already measured cannot change: its values would lose their
    meaning.
    """
    require_perm(by, "feuilles_de_route.manage_indicateurs")
    unknown = set(fields) - set(CHAMPS_CATALOGUE)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    with transaction.atomic():
        if indicateur is None:
            indicateur = Indicateur.objects.create(local=False, **fields)
            action = AuditAction.INDICATEUR_CREE
        else:
            indicateur = Indicateur.objects.select_for_update().get(pk=indicateur.pk)
            if (
                "unite" in fields
                and fields["unite"] != indicateur.unite
                and MesureIndicateur.objects.filter(suivi__indicateur=indicateur).exists()
            ):
                raise TransitionError(
                    _(
                        "Cet indicateur a déjà des valeurs mesurées : son unité ne peut plus changer."
                    )
                )
            for name, value in fields.items():
                setattr(indicateur, name, value)
            indicateur.save()
            action = AuditAction.INDICATEUR_MODIFIE
        audit(by=by, obj=indicateur, action=action, summary=indicateur.nom[:200])
    return indicateur


def indicateur_delete(*, by: Any, indicateur: Indicateur) -> None:
    """Remove an indicator nobody follows; one in use is withdrawn from the catalogue instead."""
    require_perm(by, "feuilles_de_route.manage_indicateurs")
    with transaction.atomic():
        if IndicateurAction.objects.filter(indicateur=indicateur).exists():
            raise TransitionError(
                _(
                    "Des actions suivent cet indicateur : retirez-le du catalogue "
                    "(décochez « proposé dans le catalogue ») plutôt que de le supprimer."
                )
            )
        audit(
            by=by,
            obj=indicateur,
            action=AuditAction.INDICATEUR_SUPPRIME,
            summary=indicateur.nom[:200],
        )
        indicateur.delete()


# --- An action's indicators (those who follow the action) -------------------------------------


def _check_follow_up(by: Any, action: Action) -> None:
    if not can_follow_up(by, action):
        raise PermissionDenied(_("Vous ne pouvez pas renseigner le suivi de cette action."))


def indicateur_action_save(
    *,
    by: Any,
    action: Action,
    indicateur: Indicateur | None = None,
    nouveau_nom: str = "",
    nouvelle_unite: str = "",
    nouvelle_definition: str = "",
    valeur_initiale: str = "",
    date_initiale: dt.date | None = None,
    valeur_cible: str = "",
    date_cible: dt.date | None = None,
    suivi: IndicateurAction | None = None,
) -> IndicateurAction:
    """Follow an indicator on an action, with its baseline and target (typed in its unit).

    Either a catalogue ``indicateur`` or a local one described by ``nouveau_nom`` /
    ``nouvelle_unite`` (created flagged ``local``). ``suivi`` given: change its baseline
    and target only.
    """
    _check_follow_up(by, action)
    if suivi is not None:
        indicateur = suivi.indicateur
    elif indicateur is None:
        if not nouveau_nom.strip() or nouvelle_unite not in Unite.values:
            raise TransitionError(
                _("Choisissez un indicateur du catalogue ou décrivez un indicateur local.")
            )
    elif not indicateur.actif or indicateur.local:
        raise TransitionError(_("Cet indicateur n'est pas proposé dans le catalogue."))
    unite = indicateur.unite if indicateur else nouvelle_unite
    initiale = parse_valeur(valeur_initiale, unite) if valeur_initiale.strip() else None
    cible = parse_valeur(valeur_cible, unite) if valeur_cible.strip() else None
    if date_initiale and date_cible and date_cible < date_initiale:
        raise TransitionError(_("L'échéance de la cible précède la date de référence."))
    with transaction.atomic():
        if indicateur is None:
            indicateur = Indicateur.objects.create(
                nom=nouveau_nom.strip()[:200],
                definition=nouvelle_definition.strip() or nouveau_nom.strip(),
                unite=nouvelle_unite,
                local=True,
                actif=False,
            )
        values = {
            "valeur_initiale": initiale,
            "date_initiale": date_initiale,
            "valeur_cible": cible,
            "date_cible": date_cible,
        }
        if suivi is None:
            if IndicateurAction.objects.filter(action=action, indicateur=indicateur).exists():
                raise TransitionError(_("Cette action suit déjà cet indicateur."))
            suivi = IndicateurAction.objects.create(action=action, indicateur=indicateur, **values)
            code = "indicateur_action_ajoute"
        else:
            IndicateurAction.objects.filter(pk=suivi.pk).update(**values)
            for name, value in values.items():
                setattr(suivi, name, value)
            code = "indicateur_action_modifie"
        invalidate_public_cache()
        audit(
            by=by,
            obj=action,
            action=code,
            summary=indicateur.nom[:200],
            atelier=action.axe.feuille.atelier,
        )
    return suivi


def mesure_add(
    *,
    by: Any,
    suivi: IndicateurAction,
    date: dt.date,
    valeur: str,
    source: str = "",
    commentaire: str = "",
) -> MesureIndicateur:
    """Record a measured value of an action's indicator; the latest by date is kept on
    ``suivi`` for the lists and roll-ups."""
    action = suivi.action
    _check_follow_up(by, action)
    if action.axe.feuille.version_adoptee_id is None:
        raise TransitionError(_("Le suivi commence une fois la feuille de route adoptée."))
    if date > timezone.localdate():
        raise TransitionError(_("La date d'une mesure ne peut pas être dans le futur."))
    nombre = parse_valeur(valeur, suivi.indicateur.unite)
    with transaction.atomic():
        mesure = MesureIndicateur.objects.create(
            suivi=suivi,
            date=date,
            valeur=nombre,
            source=source[:250],
            commentaire=commentaire,
            auteur=by,
        )
        latest = suivi.mesures.order_by("-date", "-cree_le", "-id").first()
        IndicateurAction.objects.filter(pk=suivi.pk).update(
            derniere_valeur=latest.valeur, derniere_date=latest.date
        )
        suivi.derniere_valeur, suivi.derniere_date = latest.valeur, latest.date
        # The public session page compares the indicators of published roadmaps.
        invalidate_public_cache()
        audit(
            by=by,
            obj=action,
            action=AuditAction.MESURE_INDICATEUR,
            summary=f"{suivi.indicateur.nom[:150]} : {nombre}",
            atelier=action.axe.feuille.atelier,
        )
    return mesure


# --- Progress ---------------------------------------------------------------------------------


def progression_indicateur(suivi: IndicateurAction) -> int | None:
    """How far the last value went from the baseline to the target, 0–100, or None when a
    baseline, a target or a measure is missing (or the target equals the baseline)."""
    base, cible, derniere = suivi.valeur_initiale, suivi.valeur_cible, suivi.derniere_valeur
    if base is None or cible is None or derniere is None or cible == base:
        return None
    ratio = (derniere - base) / (cible - base) * 100
    return int(max(Decimal(0), min(Decimal(100), ratio)).to_integral_value())


@dataclass(frozen=True)
class Progression:
    pourcentage: int
    comptees: int
    ponderee: bool


def progression(rows: list[tuple[str, int | None, Decimal | None]]) -> Progression:
    """The roll-up rule (module docstring) over (statut, avancement, coût estimé) rows."""
    counted = [
        (100 if statut == StatutSuivi.REALISEE else (pct or 0), cout)
        for statut, pct, cout in rows
        if statut != StatutSuivi.ABANDONNEE
    ]
    if not counted:
        return Progression(0, 0, False)
    if all(cout is not None and cout > 0 for _pct, cout in counted):
        total = sum(cout for _pct, cout in counted)
        value = sum(pct * cout for pct, cout in counted) / total
        return Progression(round(value), len(counted), True)
    return Progression(
        round(sum(pct for pct, _cout in counted) / len(counted)), len(counted), False
    )


def progression_par_axe(axes: list) -> dict[int, Progression]:
    """{axe id: Progression} for a roadmap's axes with at least one action, from the axes and
    actions already loaded (``selectors.axes_with_actions``): no query."""
    return {
        axe.pk: progression(rows)
        for axe in axes
        if (rows := [(a.statut_suivi, a.avancement, a.cout_estime) for a in axe.actions.all()])
    }


def suivis_of_actions(
    action_ids: list[int] | None = None, *, feuille=None
) -> dict[int, list[IndicateurAction]]:
    """{action id: its followed indicators with their progress}, one query; for the actions
    ``action_ids`` or those of ``feuille`` (a whole roadmap: no IN of hundreds of ids)."""
    result: dict[int, list[IndicateurAction]] = {}
    filtre = (
        {"action__axe__feuille": feuille} if feuille is not None else {"action_id__in": action_ids}
    )
    for suivi in (
        IndicateurAction.objects.filter(**filtre)
        .select_related("indicateur")
        .order_by("indicateur__nom", "id")
    ):
        suivi.progression = progression_indicateur(suivi)
        result.setdefault(suivi.action_id, []).append(suivi)
    return result
