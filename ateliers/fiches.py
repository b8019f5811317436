"""The fiche de capitalisation of an atelier: written by the pilote at restitution,
submitted to DGALN, validated or sent back. Writes follow services.py's rules."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from acteurs.permissions import require_perm
from atelier.cache import invalidate_public_cache
from atelier.workflow import TransitionError, transition
from journal.models import Action as AuditAction
from journal.services import audit

from .models import Atelier, FicheCapitalisation

# An atelier writes its lessons once it has reached its restitution.
STATUTS_ATELIER = {
    Atelier.Statut.RESTITUE,
    Atelier.Statut.EN_MISE_EN_OEUVRE,
    Atelier.Statut.CLOS,
}
CHAMPS = (
    "reussites",
    "obstacles",
    "conditions_reussite",
    "pratiques_transferables",
    "themes",
    "echelle",
)
EDITABLE = {FicheCapitalisation.Statut.BROUILLON, FicheCapitalisation.Statut.A_REVOIR}


def fiche_of(atelier: Atelier) -> FicheCapitalisation | None:
    return FicheCapitalisation.objects.filter(atelier=atelier).first()


def fiche_save(*, atelier: Atelier, by: Any, **fields: Any) -> FicheCapitalisation:
    """Write the fiche (a draft, or one DGALN sent back); the atelier must be restitué."""
    require_perm(by, "ateliers.edit_fiche", atelier)
    if set(fields) - set(CHAMPS):
        raise TypeError(f"unknown fields {sorted(set(fields) - set(CHAMPS))}")
    if atelier.statut not in STATUTS_ATELIER:
        raise TransitionError(
            _("La fiche de capitalisation se rédige à la restitution de l'atelier.")
        )
    with transaction.atomic():
        fiche, created = FicheCapitalisation.objects.select_for_update().get_or_create(
            atelier=atelier, defaults=fields
        )
        if not created:
            if fiche.statut not in EDITABLE:
                raise TransitionError(
                    _("La fiche est « %(statut)s » : elle ne se modifie plus.")
                    % {"statut": fiche.get_statut_display()}
                )
            for name, value in fields.items():
                setattr(fiche, name, value)
            fiche.save()
        audit(
            by=by,
            obj=fiche,
            action=AuditAction.FICHE_CAPITALISATION_ENREGISTREE,
            atelier=atelier,
        )
    return fiche


def fiche_submit(*, fiche: FicheCapitalisation, by: Any) -> None:
    """Send the fiche to DGALN; its four lessons must be written."""
    require_perm(by, "ateliers.edit_fiche", fiche.atelier)
    manquants = [
        str(FicheCapitalisation._meta.get_field(name).verbose_name)
        for name in ("reussites", "obstacles", "conditions_reussite", "pratiques_transferables")
        if not getattr(fiche, name).strip()
    ]
    if manquants:
        raise TransitionError(
            _("Avant de soumettre la fiche, renseignez : %(champs)s.")
            % {"champs": ", ".join(manquants)}
        )
    transition(
        obj=fiche,
        to=FicheCapitalisation.Statut.SOUMISE,
        by=by,
        action=AuditAction.FICHE_CAPITALISATION_SOUMISE,
        atelier=fiche.atelier,
    )


def fiche_review(*, fiche: FicheCapitalisation, by: Any, valider: bool, motif: str = "") -> None:
    """DGALN validates the fiche (it feeds the comparison and the synthesis) or sends it
    back with a reason the pilote reads."""
    require_perm(by, "ateliers.review_fiche", fiche.atelier)
    # A validated fiche shows on the public session page; so does its withdrawal.
    invalidate_public_cache()
    if valider:
        transition(
            obj=fiche,
            to=FicheCapitalisation.Statut.VALIDEE,
            by=by,
            action=AuditAction.FICHE_CAPITALISATION_VALIDEE,
            atelier=fiche.atelier,
            updates={"validee_le": timezone.now(), "motif_revue": ""},
        )
        return
    if not motif.strip():
        raise TransitionError(_("Dites au pilote ce qu'il faut revoir."))
    transition(
        obj=fiche,
        to=FicheCapitalisation.Statut.A_REVOIR,
        by=by,
        action=AuditAction.FICHE_CAPITALISATION_A_REVOIR,
        summary=motif[:200],
        atelier=fiche.atelier,
        updates={"motif_revue": motif, "validee_le": None},
    )
