"""Writes on roadmaps: editing the draft, versions, signatures, the report, follow-up, publication.

The live axes and actions are the *draft*. A :class:`Version` is a frozen snapshot of it
(canonical JSON + SHA-256, see ``canonical.py``); nothing here ever updates a version's
content or hash. Sending for signature freezes the draft as it is; editing afterwards only
changes the draft, which must be sent again (a new version) to be signed.
"""

import contextlib
import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from acteurs.models import Role
from acteurs.permissions import require_perm
from atelier import signing
from atelier.cache import invalidate_public_cache
from atelier.dates import format_date
from atelier.errors import BusinessError
from atelier.workflow import TransitionError, transition

# Aliased: ``Action`` here is the roadmap model (an axe's action).
from journal.models import Action as AuditAction
from journal.services import audit
from outbox.models import PendingTask
from outbox.services import enqueue

from . import canonical, documents
from .models import (
    Action,
    Axe,
    CarnetDeSuivi,
    Commentaire,
    Consultation,
    FeuilleDeRoute,
    Financement,
    Financeur,
    MesureIndicateur,
    PointSuivi,
    PriseEnCompte,
    Qualite,
    RappelSuivi,
    Rapport,
    SignataireRequis,
    Signature,
    Soutien,
    StatutFinancement,
    StatutSuivi,
    Version,
)
from .permissions import COMMENTING_ROLES
from .selectors import consultation_summary, uses_mfa, version_element

logger = logging.getLogger(__name__)

RAPPEL_MOIS = (6, 12, 36)
# Re-authentication at signing is a password check: limit guesses per person.
SIGNATURE_MAX_ECHECS = 5


# --- The draft --------------------------------------------------------------------------------


def feuille_get_or_create(*, atelier: Any) -> FeuilleDeRoute:
    """The atelier's roadmap, created empty on first use (one per atelier)."""
    feuille, _created = FeuilleDeRoute.objects.get_or_create(
        atelier=atelier,
        defaults={"titre": _("Feuille de route — %(t)s") % {"t": atelier.territoire.nom}},
    )
    # The atelier the caller holds (with its territory) rather than a second read of it by
    # whatever follows feuille.atelier (the draft's fingerprint does).
    feuille.atelier = atelier
    return feuille


def feuille_update(*, feuille: FeuilleDeRoute, by: Any, titre: str, preambule: str) -> None:
    """Change the draft's title and preamble (never a version's)."""
    require_perm(by, "feuilles_de_route.edit_feuille", feuille.atelier)
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        titre=titre, preambule=preambule, modifie_le=timezone.now()
    )
    feuille.titre, feuille.preambule = titre, preambule


def axe_save(
    *, feuille: FeuilleDeRoute, by: Any, titre: str, description: str = "", axe: Axe | None = None
) -> Axe:
    """Create an axis at the end of the roadmap, or change one of its axes."""
    require_perm(by, "feuilles_de_route.edit_feuille", feuille.atelier)
    if axe is None:
        last = feuille.axes.aggregate(m=Max("ordre"))["m"]
        axe = Axe(feuille=feuille, ordre=0 if last is None else last + 1)
    elif axe.feuille_id != feuille.pk:
        raise PermissionDenied
    axe.titre, axe.description = titre, description
    axe.save()
    _touch(feuille)
    return axe


def axe_delete(*, axe: Axe, by: Any) -> None:
    """Remove an axis and its actions from the draft (frozen versions keep them)."""
    require_perm(by, "feuilles_de_route.edit_feuille", axe.feuille.atelier)
    if PointSuivi.objects.filter(action__axe=axe).exists():
        raise TransitionError(
            _("Cet axe a des actions suivies après adoption : il ne peut plus être supprimé.")
        )
    axe.delete()
    _touch(axe.feuille)


def action_save(
    *,
    axe: Axe,
    by: Any,
    data: dict[str, Any],
    partenaires: Iterable[Any] | None = None,
    financements: Iterable[dict[str, Any]] | None = None,
    action: Action | None = None,
) -> Action:
    """Create or change an action of the draft, with its partners and funding lines.

    ``financements`` are dicts with ``financeur``, ``libelle``, ``montant`` and ``statut``
    (see :func:`action_financements_set`).

    ``data`` holds the plain fields (titre, description, porteur, echeance, cout_estime,
    indicateurs, site, priorite); ``site`` must be one of the atelier's demonstrator sites.
    ``partenaires`` / ``financements`` left to None keep the action's current ones.
    """
    atelier = axe.feuille.atelier
    require_perm(by, "feuilles_de_route.edit_feuille", atelier)
    site = data.get("site")
    if site is not None and site.atelier_id != atelier.pk:
        raise PermissionDenied
    with transaction.atomic():
        if action is None:
            last = axe.actions.aggregate(m=Max("ordre"))["m"]
            action = Action(axe=axe, ordre=0 if last is None else last + 1)
        elif action.axe.feuille_id != axe.feuille_id:
            raise PermissionDenied
        elif action.axe_id != axe.pk:
            last = axe.actions.aggregate(m=Max("ordre"))["m"]
            action.axe, action.ordre = axe, 0 if last is None else last + 1
        for field in (
            "titre",
            "description",
            "porteur",
            "echeance",
            "cout_estime",
            "indicateurs",
            "site",
            "priorite",
        ):
            if field in data:
                setattr(action, field, data[field])
        action.save()
        if partenaires is not None:
            action.partenaires.set(list(partenaires))
        if financements is not None:
            action_financements_set(action=action, by=by, lignes=financements)
        _touch(axe.feuille)
    return action


def organisation_add_for_action(*, atelier: Any, by: Any, nom: str, nature: str) -> Any:
    """Add an organisation missing from the porteur / partenaires lists of the action form
    (those who write the roadmap may), audited by ``acteurs.services.organisation_add``."""
    from acteurs.services import organisation_add

    require_perm(by, "feuilles_de_route.edit_feuille", atelier)
    return organisation_add(by=by, nom=nom, nature=nature, atelier=atelier)


def action_financements_set(*, action: Action, by: Any, lignes: Iterable[dict[str, Any]]) -> bool:
    """Replace the action's funding lines; audited when they change. Returns whether they did.

    Each line names a funder of :class:`Financeur` (« autre » with its name in ``libelle``),
    a non-negative ``montant`` and a :class:`StatutFinancement`.
    """
    atelier = action.axe.feuille.atelier
    require_perm(by, "feuilles_de_route.edit_feuille", atelier)
    nouvelles = []
    for ligne in lignes:
        financeur, libelle = ligne["financeur"], (ligne.get("libelle") or "").strip()[:250]
        montant = Decimal(ligne["montant"]).quantize(Decimal("0.01"))
        statut = ligne.get("statut") or StatutFinancement.ENVISAGE
        if financeur not in Financeur.values or statut not in StatutFinancement.values:
            raise BusinessError(_("Financeur ou statut de financement inconnu."))
        if financeur == Financeur.AUTRE and not libelle:
            raise BusinessError(_("Nommez le financeur choisi comme « Autre »."))
        if montant < 0:
            raise BusinessError(_("Un montant de financement est positif."))
        nouvelles.append(
            Financement(
                action=action, financeur=financeur, libelle=libelle, montant=montant, statut=statut
            )
        )
    with transaction.atomic():
        anciennes = list(action.financements.order_by("pk"))
        if _lignes(anciennes) == _lignes(nouvelles):
            return False
        action.financements.all().delete()
        Financement.objects.bulk_create(nouvelles)
        audit(
            by=by,
            obj=action,
            action=AuditAction.FINANCEMENTS_MODIFIES,
            summary=_("Financements de l'action « %(titre)s » : %(lignes)s.")
            % {
                "titre": action.titre,
                "lignes": " ; ".join(str(f) for f in nouvelles) or _("aucun"),
            },
            atelier=atelier,
        )
        if FeuilleDeRoute.objects.filter(pk=action.axe.feuille_id, publiee=True).exists():
            # The public page and the open data show where the signed lines stand now.
            invalidate_public_cache()
    return True


def _lignes(financements: list[Financement]) -> list[tuple]:
    return [(f.financeur, f.libelle, f.montant, f.statut) for f in financements]


def action_delete(*, action: Action, by: Any) -> None:
    feuille = action.axe.feuille
    require_perm(by, "feuilles_de_route.edit_feuille", feuille.atelier)
    if action.points_suivi.exists():
        raise TransitionError(
            _("Cette action a des points de suivi : elle ne peut plus être supprimée.")
        )
    action.delete()
    _touch(feuille)


def element_move(*, element: Axe | Action, by: Any, direction: str) -> bool:
    """Move an axis or an action one place up or down among its siblings.

    Orders are renumbered 0..n-1 in the same transaction, so duplicates left by concurrent
    inserts never make a move ambiguous. Returns False when already at the edge.
    """
    if isinstance(element, Axe):
        feuille = element.feuille
        siblings_qs = Axe.objects.filter(feuille=feuille)
    else:
        feuille = element.axe.feuille
        siblings_qs = Action.objects.filter(axe_id=element.axe_id)
    require_perm(by, "feuilles_de_route.edit_feuille", feuille.atelier)
    if direction not in ("haut", "bas"):
        raise ValueError(direction)
    with transaction.atomic():
        siblings = list(siblings_qs.select_for_update().order_by("ordre", "id"))
        index = next(i for i, s in enumerate(siblings) if s.pk == element.pk)
        target = index - 1 if direction == "haut" else index + 1
        if not 0 <= target < len(siblings):
            return False
        siblings[index], siblings[target] = siblings[target], siblings[index]
        for position, sibling in enumerate(siblings):
            if sibling.ordre != position:
                type(sibling).objects.filter(pk=sibling.pk).update(ordre=position)
        _touch(feuille)
    return True


def _touch(feuille: FeuilleDeRoute) -> None:
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(modifie_le=timezone.now())


# --- Versions -------------------------------------------------------------------------------


def version_create(*, feuille: FeuilleDeRoute, by: Any) -> Version:
    """Freeze the draft as a new numbered version (or return the last one if identical).

    The version's ``contenu`` and ``empreinte`` are written once here and never again.
    """
    require_perm(by, "feuilles_de_route.edit_feuille", feuille.atelier)
    contenu = canonical.snapshot(feuille)
    empreinte = canonical.empreinte(contenu, normalise_deja=True)
    with transaction.atomic():
        FeuilleDeRoute.objects.select_for_update().filter(pk=feuille.pk).first()
        last = feuille.versions.order_by("-numero").first()
        if last and last.empreinte == empreinte and last.statut != Version.Statut.REMPLACEE:
            return last
        version = Version.objects.create(
            feuille=feuille,
            numero=(last.numero + 1) if last else 1,
            contenu=contenu,
            empreinte=empreinte,
            creee_par=by,
        )
        audit(
            by=by,
            obj=version,
            action=AuditAction.VERSION_FIGEE,
            to_state=version.statut,
            summary=_("Version %(n)s figée (empreinte %(h)s).")
            % {"n": version.numero, "h": empreinte},
            atelier=feuille.atelier,
        )
    return version


# "Not loaded yet" for the refusals below (None is "no version").
_A_LIRE: Any = object()


def _derniere_version(feuille: FeuilleDeRoute, derniere: Any) -> Version | None:
    return feuille.versions.order_by("-numero").first() if derniere is _A_LIRE else derniere


def version_create_refusal(
    feuille: FeuilleDeRoute, *, empreinte: str | None = None, derniere: Any = _A_LIRE
) -> str:
    """Why freezing the draft is refused now ("" when it is not): the draft has not changed
    since the last version (:func:`version_create` would give that version back).
    ``empreinte``: the draft's hash, when already computed; ``derniere``: the roadmap's last
    version (or None), when already loaded."""
    last = _derniere_version(feuille, derniere)
    if last is None or last.statut == Version.Statut.REMPLACEE:
        return ""
    if empreinte is None:
        empreinte = canonical.empreinte(canonical.snapshot(feuille), normalise_deja=True)
    if last.empreinte != empreinte:
        return ""
    return _(
        "Le brouillon n'a pas changé depuis la version %(n)s : modifiez la feuille de route "
        "pour en figer une nouvelle."
    ) % {"n": last.numero}


def envoi_signature_refusal(
    feuille: FeuilleDeRoute,
    *,
    empreinte: str | None = None,
    derniere: Any = _A_LIRE,
    a_des_actions: bool | None = None,
) -> str:
    """Why sending the draft for signature is refused now ("" when it is not): a roadmap
    without action, a draft identical to the version already in signature or adopted (edit
    it first: a changed draft replaces the version in signature), or no one who may sign
    for the élus or for the State. ``empreinte``: the draft's hash, ``derniere``: the last
    version (or None), ``a_des_actions``: whether the draft has an action, when already
    known (the editor has loaded them)."""
    from .selectors import signatory_candidates

    if a_des_actions is None:
        a_des_actions = feuille.axes.filter(actions__isnull=False).exists()
    if not a_des_actions:
        return _("La feuille de route n'a encore aucune action.")
    if empreinte is None:
        empreinte = canonical.empreinte(canonical.snapshot(feuille), normalise_deja=True)
    last = _derniere_version(feuille, derniere)
    if (
        last is not None
        and last.empreinte == empreinte
        and last.statut in (Version.Statut.EN_SIGNATURE, Version.Statut.ADOPTEE)
    ):
        return _(
            "La version %(n)s est déjà « %(s)s » : modifiez la feuille de route pour en "
            "créer une nouvelle."
        ) % {"n": last.numero, "s": last.get_statut_display()}
    candidates = signatory_candidates(feuille.atelier)
    if not candidates[Qualite.ELU].exists():
        return _(
            "Aucun·e élu·e dont vous avez attesté le mandat ne participe à l'atelier : "
            "invitez-en un·e depuis l'onglet « Participants »."
        )
    if not candidates[Qualite.ETAT].exists():
        return _(
            "Aucun agent de l'État vérifié ne participe à l'atelier comme pilote ou "
            "observateur : il en faut un pour signer au nom de l'État."
        )
    return ""


def version_send_for_signature(
    *,
    feuille: FeuilleDeRoute,
    by: Any,
    signataires: list[tuple[Any, str]],
    signer_avant: dt.date | None = None,
) -> Version:
    """Freeze the draft and ask the named people to sign it (by ``signer_avant``, a day to
    come, when given: told in the e-mail, reminded before, shown late after).

    ``signataires`` is a list of ``(user, qualite)``; it must name at least one élu of the
    territory and one State representative, all taking part in the atelier with an account.
    A version already in signature is replaced by this one (its signatures are kept but no
    longer count). Each signatory receives an e-mail after the commit.
    """
    from .selectors import signatory_candidates

    atelier = feuille.atelier
    require_perm(by, "feuilles_de_route.send_for_signature", atelier)
    qualites = {q for _u, q in signataires}
    if Qualite.ELU not in qualites or Qualite.ETAT not in qualites:
        raise TransitionError(
            _(
                "Nommez au moins un·e élu·e du territoire et un·e représentant·e de l'État : "
                "la feuille de route est co-portée."
            )
        )
    candidates = signatory_candidates(atelier)
    allowed = {
        q: {p.acteur.utilisateur_id for p in candidates[q]} for q in (Qualite.ELU, Qualite.ETAT)
    }
    users = [u.pk for u, _q in signataires]
    if len(set(users)) != len(users):
        raise TransitionError(_("Une même personne ne peut être nommée qu'une fois."))
    for user, qualite in signataires:
        if user.pk not in allowed[qualite]:
            raise TransitionError(
                _("%(u)s ne peut pas signer en tant que « %(q)s » pour cet atelier.")
                % {"u": user, "q": Qualite(qualite).label}
            )
    if refusal := envoi_signature_refusal(feuille):
        raise TransitionError(refusal)
    if signer_avant is not None and signer_avant <= timezone.localdate():
        raise TransitionError(_("La date limite de signature doit être dans le futur."))
    with transaction.atomic():
        version = version_create(feuille=feuille, by=by)
        if version.statut != Version.Statut.FIGEE:
            raise TransitionError(
                _(
                    "Cette version (n° %(n)s) est déjà « %(s)s » : modifiez la feuille de route pour en créer une nouvelle."
                )
                % {"n": version.numero, "s": version.get_statut_display()}
            )
        # Those still expected to sign a replaced version are told it no longer counts.
        prevenir: list[int] = []
        for other in feuille.versions.filter(statut=Version.Statut.EN_SIGNATURE):
            signes = set(other.signatures.values_list("signataire_id", flat=True))
            prevenir += [
                r.pk for r in other.signataires_requis.all() if r.utilisateur_id not in signes
            ]
            transition(
                obj=other,
                to=Version.Statut.REMPLACEE,
                by=by,
                action=AuditAction.VERSION_REMPLACEE,
                summary=_("Remplacée par la version %(n)s.") % {"n": version.numero},
                atelier=atelier,
            )
        transition(
            obj=version,
            to=Version.Statut.EN_SIGNATURE,
            by=by,
            action=AuditAction.VERSION_ENVOYEE_SIGNATURE,
            summary=", ".join(f"{u} ({Qualite(q).label})" for u, q in signataires)
            + (
                _(" ; à signer avant le %(d)s") % {"d": format_date(signer_avant)}
                if signer_avant
                else ""
            ),
            atelier=atelier,
            updates={"signer_avant": signer_avant},
        )
        SignataireRequis.objects.bulk_create(
            [SignataireRequis(version=version, utilisateur=u, qualite=q) for u, q in signataires]
        )
        from .tasks import send_signature_request, send_version_remplacee

        ids = list(SignataireRequis.objects.filter(version=version).values_list("pk", flat=True))
        for signataire_id in ids:
            enqueue(send_signature_request, signataire_id)
        for destinataire in prevenir:
            enqueue(send_version_remplacee, destinataire, version.pk)
    return version


def check_credentials(*, user: Any, password: str = "", code: str = "") -> bool:
    """Re-authentication at the moment of signing: the TOTP code when the person has MFA
    (allauth.mfa), otherwise their password."""
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        from acteurs.adapter import totp_code_valid

        return bool(code) and totp_code_valid(totp, code.strip())
    return bool(password) and user.check_password(password)


SCHEMA_SIGNATURE = "atelier-des-territoires/signature/2"


def identity_commitment(*, nom: str, sel: str) -> str:
    """SHA-256 of the canonical ``{"nom", "sel"}``: what a format-2 seal covers instead of
    the name, so that the name can later give way to a pseudonym without breaking the seal."""
    return canonical.empreinte({"nom": nom, "sel": sel})


def signature_document(signature: Signature) -> dict[str, Any]:
    """The canonical document a signature's seal is the SHA-256 of.

    Format 2 (every signature since the pseudonymisation of closed accounts): the identity
    is the salted commitment ``identite``. Format 1 (earlier signatures, no commitment): the
    clear name ``nom``, which is why such a seal cannot be recomputed once the name is gone.
    """
    base = {
        "version": signature.empreinte,
        "signataire": signature.signataire_id,
        "qualite": signature.qualite,
        "capacite": signature.capacite,
        "signee_le": signature.signee_le.astimezone(dt.UTC).isoformat(timespec="seconds"),
    }
    if signature.engagement_identite:
        return canonical.normalise(
            {**base, "schema": SCHEMA_SIGNATURE, "identite": signature.engagement_identite}
        )
    return canonical.normalise({**base, "nom": signature.nom_signataire})


def signature_sceau(signature: Signature) -> str:
    return canonical.empreinte(signature_document(signature))


def signature_seal(signature: Signature) -> None:
    """Set the seal of an unsaved signature (format 2: over a fresh salted commitment to the
    name) and the platform's signature of it."""
    signature.sel_identite = secrets.token_hex(16)
    signature.engagement_identite = identity_commitment(
        nom=signature.nom_signataire, sel=signature.sel_identite
    )
    signature.sceau = signature_sceau(signature)
    signature.sceau_cle, signature.sceau_signature = signing.sign("signature", signature.sceau)


def contribution_cloture_compte(*, user: Any, pseudonyme: str, noms: list[str]) -> dict[str, int]:
    """Closing an account: in its signatures, the name gives way to the pseudonym, and the
    salt of the identity commitment is erased; the name also leaves the attestations of
    other signatures (who vetted or vouched). Every seal stays verifiable: a format-2 seal
    covers the commitment, not the name; a format-1 seal (signed before the commitment
    existed) covered the name itself, so it is recomputed here, before the name goes, and
    the result written to the audit trail (what /verifier/ shows for it afterwards).

    Runs inside the closure's transaction, through the one rewrite path the database
    allows (``journal.services.names_replaced``).
    """
    from journal.services import names_replaced, names_rewrite

    signatures = list(Signature.objects.filter(signataire=user).select_related("version"))
    remplacements = [(n, pseudonyme) for n in [*noms, *(s.nom_signataire for s in signatures)]]
    now = timezone.now()
    table = Signature._meta.db_table
    with names_replaced(remplacements) as paires:
        for signature in signatures:
            format_1 = not signature.engagement_identite
            recalcule = format_1 and signature_sceau(signature) == signature.sceau
            Signature.objects.filter(pk=signature.pk).update(
                nom_signataire=pseudonyme, sel_identite="", pseudonymisee_le=now
            )
            if format_1:
                summary = (
                    _(
                        "Sceau %(s)s (format 1) recalculé avec le nom avant son effacement : conforme."
                    )
                    if recalcule
                    else _(
                        "Sceau %(s)s (format 1) : ne se recalculait pas avant l'effacement du nom."
                    )
                )
            else:
                summary = _(
                    "Sceau %(s)s (format 2) : il couvre un engagement sur l'identité, "
                    "pas le nom, et reste vérifiable."
                )
            audit(
                by=None,
                obj=signature.version,
                action=AuditAction.SIGNATURE_PSEUDONYMISEE,
                summary=_("Signataire : %(p)s. ") % {"p": pseudonyme}
                + summary % {"s": signature.sceau},
            )
        attestations = names_rewrite(table=table, columns=("attestation",), paires=paires)
    regeneres = _closure_documents(user=user, remplacements=remplacements)
    return {"signatures": len(signatures), "attestations": attestations, **regeneres}


# The free text typed in the roadmap's records that no hash freezes (the draft, the
# concertation, the follow-up, the synthesis' lessons), with the path to the atelier. The
# frozen versions (``Version.contenu``) are left as they are: their hash was signed.
TEXTES_LIBRES = (
    (FeuilleDeRoute, ("preambule",), "atelier_id"),
    (Axe, ("description",), "feuille__atelier_id"),
    (Action, ("description", "indicateurs"), "axe__feuille__atelier_id"),
    (
        Commentaire,
        ("texte", "reponse", "masque_motif"),
        "consultation__version__feuille__atelier_id",
    ),
    (PointSuivi, ("commentaire",), "action__axe__feuille__atelier_id"),
    (MesureIndicateur, ("commentaire",), "suivi__action__axe__feuille__atelier_id"),
)


def _closure_documents(*, user: Any, remplacements: list[tuple[str, str]]) -> dict[str, int]:
    """Closing an account, after its signatures: the name leaves the free text nobody
    sealed (here and in the ateliers), then every generated PDF that may show the person is
    rendered again by the worker (``documents.document_rerender``), the old hash kept
    verifiable. "May show": the documents of every atelier where the person took part,
    signed, wrote in the logbook or the concertation, or whose free text named them, and the
    syntheses covering those ateliers or whose lessons named them — a re-render too many
    costs a worker a few seconds, one too few leaves the name in a published file."""
    from acteurs.models import Participation
    from ateliers.models import Atelier, EntreeJournal
    from ateliers.services import texts_names_replace
    from journal.services import json_names_rewrite, name_pairs, texts_names_rewrite

    from .models import Synthese

    paires = name_pairs(remplacements)
    ateliers = texts_names_rewrite(textes=TEXTES_LIBRES, paires=paires)
    # The concertation's summary kept at its close quotes the comments and answers.
    ateliers |= json_names_rewrite(
        model=Consultation, column="synthese", path="version__feuille__atelier_id", paires=paires
    )
    # The lessons DGALN wrote in a synthesis belong to no one atelier.
    nommees = texts_names_rewrite(textes=[(Synthese, ("lecons",), "pk")], paires=paires)
    ateliers |= texts_names_replace(paires=paires)
    ateliers |= set(
        Participation.objects.filter(acteur__utilisateur=user).values_list("atelier_id", flat=True)
    )
    ateliers |= set(
        Signature.objects.filter(signataire=user).values_list(
            "version__feuille__atelier_id", flat=True
        )
    )
    ateliers |= set(EntreeJournal.objects.filter(auteur=user).values_list("atelier_id", flat=True))
    ateliers |= set(
        Commentaire.objects.filter(auteur=user).values_list(
            "consultation__version__feuille__atelier_id", flat=True
        )
    )
    ateliers.discard(None)
    sessions = Atelier.objects.filter(pk__in=ateliers, session__isnull=False).values("session_id")
    syntheses = Synthese.objects.filter(
        Q(ateliers__in=ateliers) | Q(session__in=sessions) | Q(pk__in=nommees)
    )
    a_regenerer = [
        *Rapport.objects.filter(atelier__in=ateliers),
        *CarnetDeSuivi.objects.filter(atelier__in=ateliers),
        *syntheses.distinct(),
    ]
    return {"documents à régénérer": documents.rerender_queue(documents=a_regenerer)}


def signature_pseudonymisee_verifiee(signature: Signature) -> bool:
    """Whether the platform recomputed this format-1 seal with the name before erasing it
    (the audit row written by :func:`contribution_cloture_compte`)."""
    from django.contrib.contenttypes.models import ContentType

    from journal.models import EvenementAudit

    return EvenementAudit.objects.filter(
        content_type=ContentType.objects.get_for_model(Version),
        object_id=str(signature.version_id),
        action=AuditAction.SIGNATURE_PSEUDONYMISEE,
        resume__contains=f"{signature.sceau} (format 1) recalculé",
    ).exists()


def seals_sign_existing(*, dry_run: bool = False) -> dict[str, int]:
    """Sign, with the platform key, the seals made before seals were signed.

    Only a seal the platform itself recorded is signed: a signature whose seal and version
    content recompute and whose ``version_signee`` audit row names that seal; a ready report
    whose stored PDF recomputes to its hash and whose ``rapport_pret`` audit row names it.
    Anything else stays unsigned, hence "NON authentique" on /verifier/. Run once, by an
    operator, when the signing key is first configured. Returns the counts.
    """
    from django.contrib.contenttypes.models import ContentType

    from journal.models import EvenementAudit

    counts = {"signatures": 0, "rapports": 0, "refuses": 0}

    def recorded(obj, action: str, seal: str) -> bool:
        return EvenementAudit.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            action=action,
            resume__contains=seal,
        ).exists()

    for signature in (
        Signature.objects.filter(sceau_signature="").exclude(sceau="").select_related("version")
    ):
        version = signature.version
        if not (
            signature_sceau(signature) == signature.sceau
            and signature.empreinte == version.empreinte
            and canonical.empreinte(version.contenu) == version.empreinte
            and recorded(version, "version_signee", signature.sceau)
        ):
            counts["refuses"] += 1
            continue
        counts["signatures"] += 1
        if not dry_run:
            cle, valeur = signing.sign("signature", signature.sceau)
            with transaction.atomic():
                Signature.objects.filter(pk=signature.pk, sceau_signature="").update(
                    sceau_cle=cle, sceau_signature=valeur
                )
                audit(
                    by=None,
                    obj=version,
                    action=AuditAction.SCEAU_SIGNE,
                    summary=_("Sceau %(s)s signé par la clé %(c)s.")
                    % {"s": signature.sceau, "c": cle},
                )
    for rapport in Rapport.objects.filter(statut=Rapport.Statut.PRET, sceau_signature=""):
        try:
            with default_storage.open(rapport.fichier.name, "rb") as handle:
                stored = canonical.sha256_bytes(handle.read())
        except (OSError, ValueError):
            stored = None
        if stored != rapport.empreinte or not recorded(rapport, "rapport_pret", rapport.empreinte):
            counts["refuses"] += 1
            continue
        counts["rapports"] += 1
        if not dry_run:
            cle, valeur = signing.sign("rapport", rapport.empreinte)
            with transaction.atomic():
                Rapport.objects.filter(pk=rapport.pk, sceau_signature="").update(
                    sceau_cle=cle, sceau_signature=valeur
                )
                audit(
                    by=None,
                    obj=rapport,
                    action=AuditAction.SCEAU_SIGNE,
                    summary=_("Empreinte %(s)s signée par la clé %(c)s.")
                    % {"s": rapport.empreinte, "c": cle},
                )
    return counts


def version_sign(*, version: Version, by: Any, password: str = "", code: str = "") -> Signature:
    """Sign ``version`` as one of its required signatories, after re-authentication.

    Refused when the version is not in signature, the person is not a required signatory or
    has signed, no longer holds the right to sign in that capacity (a revoked State agent,
    an élu without a vouched mandate), the credential is wrong, or the stored content no
    longer matches its hash. The capacity is never typed: it is the vetted profile of the
    State agent (function, service) or the mandate the pilote vouched for, and the
    signature records who vetted or vouched. When the last required signatory signs, the
    version is adopted.
    """
    with transaction.atomic():
        version = (
            Version.objects.select_for_update()
            .select_related("feuille__atelier")
            .get(pk=version.pk)
        )
        atelier = version.feuille.atelier
        if version.statut != Version.Statut.EN_SIGNATURE:
            raise TransitionError(
                _("Cette version n'est pas ou plus soumise à signature (état : %(s)s).")
                % {"s": version.get_statut_display()}
            )
        requis = version.signataires_requis.filter(utilisateur=by).first()
        if requis is None:
            raise PermissionDenied(_("Vous n'êtes pas signataire de cette version."))
        if version.signatures.filter(signataire=by).exists():
            raise TransitionError(_("Vous avez déjà signé cette version."))
        capacite, attestation = signing_capacity(user=by, atelier=atelier, qualite=requis.qualite)
        echecs_key = f"feuilles_de_route:signature:echecs:{by.pk}"
        if cache.get(echecs_key, 0) >= SIGNATURE_MAX_ECHECS:
            raise TransitionError(
                _("Trop de tentatives de signature échouées : réessayez dans 15 minutes.")
            )
        if not check_credentials(user=by, password=password, code=code):
            cache.add(echecs_key, 0, timeout=15 * 60)
            with contextlib.suppress(ValueError):  # evicted meanwhile, or cache unreachable
                cache.incr(echecs_key)
            raise TransitionError(
                _("Code de vérification incorrect.")
                if uses_mfa(by)
                else _("Mot de passe incorrect.")
            )
        cache.delete(echecs_key)
        if canonical.empreinte(version.contenu) != version.empreinte:
            logger.error("Version %s : contenu altéré, signature refusée", version.pk)
            raise TransitionError(
                _(
                    "Le contenu de cette version ne correspond plus à son empreinte : signature impossible."
                )
            )
        signature = Signature(
            version=version,
            signataire=by,
            nom_signataire=by.get_full_name() or by.email,
            qualite=requis.qualite,
            capacite=capacite,
            attestation=attestation,
            empreinte=version.empreinte,
            # Whole seconds: the seal states the time to the second.
            signee_le=timezone.now().replace(microsecond=0),
        )
        signature_seal(signature)
        signature.save()
        audit(
            by=by,
            obj=version,
            action=AuditAction.VERSION_SIGNEE,
            summary=_("Signée par %(n)s, %(c)s (sceau %(s)s).")
            % {"n": signature.nom_signataire, "c": capacite, "s": signature.sceau},
            atelier=atelier,
        )
        missing = version.signataires_requis.exclude(
            utilisateur__in=version.signatures.values("signataire")
        ).exists()
        if not missing:
            _adopt(version=version, by=by)
    return signature


def signing_capacity(*, user: Any, atelier: Any, qualite: str) -> tuple[str, str]:
    """``(capacity, attestation)`` in which ``user`` signs for ``qualite`` in ``atelier``:
    the State agent's vetted function and service and who vetted them, or the élu's
    mandate and who vouched for it. ``TransitionError`` when they may not sign so."""
    from acteurs.models import Participation
    from acteurs.permissions import active_agent_etat

    if qualite == Qualite.ETAT:
        if not user.has_perm("feuilles_de_route.sign_etat", atelier):
            raise TransitionError(
                _(
                    "Seul un agent de l'État vérifié par la DGALN, pilote ou observateur de "
                    "l'atelier, peut signer au titre de l'État."
                )
            )
        agent = active_agent_etat(user)
        if agent.source == agent.Source.PROCONNECT:
            attestation = _("Agent de l'État reconnu par ProConnect le %(d)s") % {
                "d": format_date(agent.verifie_le)
            }
        else:
            verificateur = agent.verifie_par
            attestation = _("Agent de l'État vérifié par %(n)s (DGALN) le %(d)s") % {
                "n": (verificateur.get_full_name() or verificateur.email)
                if verificateur
                else _("la DGALN"),
                "d": format_date(agent.verifie_le),
            }
        return agent.qualite, attestation
    if not user.has_perm("feuilles_de_route.sign_elu", atelier):
        raise TransitionError(
            _("Seul un·e élu·e dont le pilote a attesté le mandat peut signer au titre des élus.")
        )
    participation = Participation.objects.get(
        atelier=atelier, acteur__utilisateur=user, role=Role.ELU
    )
    attestation = _("Mandat attesté par %(n)s") % {"n": participation.atteste_par_nom}
    if participation.atteste_le:
        attestation += _(" le %(d)s") % {"d": format_date(participation.atteste_le)}
    return participation.qualite_elu, attestation


def _adopt(*, version: Version, by: Any) -> None:
    feuille = version.feuille
    previous = feuille.version_adoptee
    now = timezone.now()
    transition(
        obj=version,
        to=Version.Statut.ADOPTEE,
        by=by,
        action=AuditAction.VERSION_ADOPTEE,
        summary=_("Adoptée : toutes les signatures requises sont réunies."),
        atelier=feuille.atelier,
        updates={"adoptee_le": now},
    )
    if previous is not None and previous.pk != version.pk:
        transition(
            obj=previous,
            to=Version.Statut.REMPLACEE,
            by=by,
            action=AuditAction.VERSION_REMPLACEE,
            summary=_("Remplacée par la version adoptée %(n)s.") % {"n": version.numero},
            atelier=feuille.atelier,
        )
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(version_adoptee=version)
    feuille.version_adoptee = version
    audit(
        by=by,
        obj=feuille,
        action=AuditAction.FEUILLE_ADOPTEE,
        summary=_("Version %(n)s adoptée (empreinte %(h)s).")
        % {"n": version.numero, "h": version.empreinte},
        atelier=feuille.atelier,
    )
    if feuille.publiee:  # a new adopted version replaces the published one at once
        invalidate_public_cache()


def version_set_deliberation(
    *, version: Version, by: Any, reference: str, date: dt.date | None
) -> None:
    """Record the council deliberation of an adopted version (outside the signed content)."""
    require_perm(by, "feuilles_de_route.send_for_signature", version.feuille.atelier)
    if version.statut != Version.Statut.ADOPTEE:
        raise TransitionError(_("Seule une version adoptée porte une délibération."))
    Version.objects.filter(pk=version.pk).update(
        deliberation_reference=reference, deliberation_date=date
    )
    audit(
        by=by,
        obj=version,
        action=AuditAction.DELIBERATION_ENREGISTREE,
        summary=f"{reference} {date or ''}".strip(),
        atelier=version.feuille.atelier,
    )


def publication_refusal(feuille: FeuilleDeRoute) -> str:
    """Why publishing the roadmap is refused now ("" when it is not)."""
    if feuille.version_adoptee_id is None:
        return _(
            "Seule une feuille de route adoptée peut être publiée : elle l'est à la "
            "dernière signature de la version envoyée."
        )
    return ""


def feuille_publish(*, feuille: FeuilleDeRoute, by: Any, publier: bool = True) -> None:
    """Publish (or withdraw) the adopted roadmap on the territory's public page."""
    require_perm(by, "feuilles_de_route.publish_feuille", feuille.atelier)
    if publier and (refusal := publication_refusal(feuille)):
        raise TransitionError(refusal)
    if feuille.publiee == publier:
        return
    with transaction.atomic():
        count = FeuilleDeRoute.objects.filter(pk=feuille.pk, publiee=not publier).update(
            publiee=publier, publiee_le=timezone.now() if publier else None
        )
        if count != 1:
            raise TransitionError(
                _("La feuille de route vient d'être modifiée ; rechargez la page.")
            )
        audit(
            by=by,
            obj=feuille,
            action=AuditAction.FEUILLE_PUBLIEE if publier else AuditAction.FEUILLE_DEPUBLIEE,
            summary=_("Version adoptée %(n)s.") % {"n": feuille.version_adoptee.numero},
            atelier=feuille.atelier,
        )
        # A conditional update sends no signal: the public pages are made stale here.
        invalidate_public_cache()
    feuille.publiee = publier


# --- Restitution report ------------------------------------------------------------------


RAPPORT_SANS_ADOPTION = _lazy(
    "Le rapport de restitution porte sur la feuille de route adoptée : faites-la d'abord signer."
)


def rapport_request(*, atelier: Any, by: Any) -> Rapport:
    """Ask for the restitution report of the adopted version; one report per version.

    Asking again returns the existing report (and queues nothing if it is under way or ready).
    """
    require_perm(by, "feuilles_de_route.generate_rapport", atelier)
    feuille = FeuilleDeRoute.objects.filter(atelier=atelier).first()
    if feuille is None or feuille.version_adoptee_id is None:
        raise TransitionError(RAPPORT_SANS_ADOPTION)
    try:
        with transaction.atomic():
            rapport, created = Rapport.objects.get_or_create(
                atelier=atelier,
                version_id=feuille.version_adoptee_id,
                defaults={"demande_par": by, "echeance": rapport_echeance()},
            )
    except IntegrityError:
        rapport, created = (
            Rapport.objects.get(atelier=atelier, version_id=feuille.version_adoptee_id),
            False,
        )
    if created:
        audit(
            by=by,
            obj=rapport,
            action=AuditAction.RAPPORT_DEMANDE,
            to_state=rapport.statut,
            atelier=atelier,
        )
        _queue_rapport(rapport.pk)
    return rapport


# A report queued or started counts as stuck this long after the task's hard time limit.
RAPPORT_MARGE = documents.MARGE
# Renders interrupted this many times (a worker killed each time): the report fails instead.
RAPPORT_INTERRUPTIONS_MAX = documents.INTERRUPTIONS_MAX


def rapport_echeance() -> dt.datetime:
    """The deadline of a report queued or started now (ATELIER_TASK_TIME_LIMIT + a margin)."""
    return documents.echeance()


def rapport_retry(*, rapport: Rapport, by: Any) -> None:
    """Put a failed report, or one stuck past its deadline, back in the queue."""
    require_perm(by, "feuilles_de_route.generate_rapport", rapport.atelier)
    if rapport.bloque:
        documents.document_requeue(
            genre=documents.RAPPORT, document=rapport, by=by, action=AuditAction.RAPPORT_RELANCE
        )
        return
    if rapport.statut != Rapport.Statut.ECHEC:
        raise TransitionError(rapport_refusal(rapport))
    documents.document_retry(
        genre=documents.RAPPORT, document=rapport, by=by, action=AuditAction.RAPPORT_RELANCE
    )


def rapport_refusal(rapport: Rapport) -> str:
    """Why "Relancer" is refused now ("" when it is not): only a failed or stuck report."""
    if rapport.statut == Rapport.Statut.ECHEC or rapport.bloque:
        return ""
    if rapport.statut == Rapport.Statut.PRET:
        return _("Le rapport est prêt : il n'y a rien à relancer.")
    if rapport.echeance is None:
        return _("Le rapport est en cours de génération.")
    return _(
        "Le rapport est en cours de génération ; s'il n'est pas prêt à %(heure)s, "
        "vous pourrez la relancer."
    ) % {"heure": timezone.localtime(rapport.echeance).strftime("%H:%M")}


def rapport_watchdog() -> int:
    """Beat, every minute: queue again the reports stuck past their deadline
    (``documents.documents_watchdog``), and the re-renders owed after an account closure
    whose task was lost or failed (``documents.regenerations_watchdog``). Returns the
    documents handled."""
    handled = documents.documents_watchdog(
        genre=documents.RAPPORT, requeued=AuditAction.RAPPORT_REPROGRAMME
    )
    if handled:
        logger.warning("Rapports bloqués remis en file ou en échec : %s", handled)
    regenerations = documents.regenerations_watchdog()
    if regenerations:
        logger.warning("Régénérations après clôture de compte relancées : %s", regenerations)
    return handled + regenerations


def regeneration_retry(*, regeneration: Any, by: Any) -> None:
    """DGALN relaunches a re-render after an account closure that failed for good (shown on
    /gestion/), once the cause is fixed: attempts start again from zero."""
    require_perm(by, "feuilles_de_route.manage_regenerations")
    documents.regeneration_requeue(regeneration=regeneration, by=by)


def _queue_rapport(rapport_id: int) -> PendingTask:
    return documents.queue(documents.RAPPORT, rapport_id)


def rapport_generate(*, rapport_id: int) -> None:
    """Render and store the report PDF (``documents.document_generate``). Idempotent;
    completes a render left by a dead worker, leaves a ready one alone."""
    documents.document_generate(genre=documents.RAPPORT, document_id=rapport_id)


def rapport_publish(*, rapport: Rapport, by: Any, publier: bool = True) -> None:
    """Publish (or withdraw) a ready report on the territory's public page."""
    require_perm(by, "feuilles_de_route.publish_feuille", rapport.atelier)
    if publier and rapport.statut != Rapport.Statut.PRET:
        raise TransitionError(_("Seul un rapport prêt peut être publié."))
    documents.document_publish(
        genre=documents.RAPPORT,
        document=rapport,
        by=by,
        publier=publier,
        publie=AuditAction.RAPPORT_PUBLIE,
        depublie=AuditAction.RAPPORT_DEPUBLIE,
    )


# --- Follow-up ------------------------------------------------------------------------------


def point_suivi_add(
    *,
    action: Action,
    by: Any,
    etat: str,
    date: dt.date,
    commentaire: str,
    pourcentage: int | None = None,
) -> PointSuivi:
    """Record a check-in on an action of the adopted roadmap; the latest one sets its state."""
    feuille = action.axe.feuille
    if by is None or not by.has_perm("feuilles_de_route.follow_up_action", action):
        raise PermissionDenied(_("Vous ne pouvez pas renseigner le suivi de cette action."))
    if feuille.version_adoptee_id is None:
        raise TransitionError(_("Le suivi commence une fois la feuille de route adoptée."))
    if etat not in StatutSuivi.values:
        raise TransitionError(_("État inconnu."))
    if pourcentage is not None and not 0 <= pourcentage <= 100:
        raise TransitionError(_("Le pourcentage doit être compris entre 0 et 100."))
    if date > timezone.localdate():
        raise TransitionError(_("La date d'un point de suivi ne peut pas être dans le futur."))
    # The percentage must tell the same story as the state.
    if etat == StatutSuivi.REALISEE:
        if pourcentage not in (None, 100):
            raise TransitionError(
                _("Une action réalisée l'est à 100 % : corrigez le statut ou le pourcentage.")
            )
        pourcentage = 100
    elif etat == StatutSuivi.A_VENIR and pourcentage not in (None, 0):
        raise TransitionError(
            _(
                "Une action à venir n'a pas encore avancé : choisissez « En cours » pour donner un pourcentage."
            )
        )
    elif etat == StatutSuivi.EN_COURS and pourcentage == 100:
        raise TransitionError(_("À 100 %, l'action est réalisée : choisissez l'état « Réalisée »."))
    with transaction.atomic():
        point = PointSuivi.objects.create(
            action=action,
            etat=etat,
            date=date,
            commentaire=commentaire,
            pourcentage=pourcentage,
            auteur=by,
        )
        latest = action.points_suivi.order_by("-date", "-cree_le", "-id").first()
        pct = latest.pourcentage
        if latest.etat == StatutSuivi.REALISEE:
            pct = 100
        Action.objects.filter(pk=action.pk).update(statut_suivi=latest.etat, avancement=pct)
        action.statut_suivi, action.avancement = latest.etat, pct
        if feuille.publiee:
            # The open data of actions (/donnees/actions.*) shows their state and progress.
            invalidate_public_cache()
        audit(
            by=by,
            obj=action,
            action=AuditAction.POINT_SUIVI_AJOUTE,
            to_state=etat,
            summary=commentaire[:200],
            atelier=feuille.atelier,
        )
    return point


def rappels_suivi_due(*, now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """(feuille id, months) of the follow-up reminders due now and not yet sent.

    Only the latest due milestone is sent: a roadmap adopted 13 months ago gets the
    12-month reminder, and the 6-month one is marked as passed.
    """
    now = now or timezone.now()
    due = []
    feuilles = (
        FeuilleDeRoute.objects.filter(version_adoptee__isnull=False)
        .select_related("version_adoptee")
        .prefetch_related("rappels")
    )
    for feuille in feuilles:
        adopted = feuille.version_adoptee.adoptee_le
        sent = {r.mois for r in feuille.rappels.all()}
        reached = [m for m in RAPPEL_MOIS if adopted + relativedelta(months=m) <= now]
        if reached and reached[-1] not in sent:
            due.append((feuille.pk, reached[-1]))
    return due


def rappel_suivi_send(*, feuille_id: int, mois: int) -> bool:
    """Mark the reminder sent (once, whatever the concurrency) and e-mail pilotes and porteurs."""
    from .tasks import send_rappel_suivi

    feuille = FeuilleDeRoute.objects.select_related("atelier").get(pk=feuille_id)
    try:
        with transaction.atomic():
            rappel = RappelSuivi.objects.create(feuille=feuille, mois=mois)
            for earlier in (m for m in RAPPEL_MOIS if m < mois):
                RappelSuivi.objects.get_or_create(feuille=feuille, mois=earlier)
            audit(
                by=None,
                obj=feuille,
                action=AuditAction.RAPPEL_SUIVI_ENVOYE,
                summary=_("%(mois)s mois") % {"mois": mois},
                atelier=feuille.atelier,
            )
            enqueue(send_rappel_suivi, rappel.pk)
    except IntegrityError:
        return False
    return True


def rappel_recipients(feuille: FeuilleDeRoute) -> list[str]:
    """Pilotes of the atelier and the participants of the organisations carrying actions."""
    from acteurs.models import Participation

    porteurs = Action.objects.filter(axe__feuille=feuille, porteur__isnull=False).values("porteur")
    emails = (
        Participation.objects.filter(atelier=feuille.atelier)
        .filter(Q(role=Role.PILOTE) | Q(acteur__organisation__in=porteurs))
        .values_list("acteur__utilisateur__email", "acteur__email")
    )
    return sorted({u or a for u, a in emails if u or a})


# --- E-mails sent by the tasks ---------------------------------------------------------------


def _pending_signatory(signataire_requis_id: int) -> SignataireRequis | None:
    """The SignataireRequis if its version is still in signature and the person has not
    signed it (None otherwise): whom the signature e-mails are still for."""
    requis = (
        SignataireRequis.objects.select_related(
            "version__feuille__atelier__territoire", "utilisateur"
        )
        .filter(pk=signataire_requis_id)
        .first()
    )
    if requis is None or requis.version.statut != Version.Statut.EN_SIGNATURE:
        return None
    if Signature.objects.filter(
        version_id=requis.version_id, signataire_id=requis.utilisateur_id
    ).exists():
        return None
    return requis


def _signature_email(requis: SignataireRequis, *, template: str, sent_field: str) -> bool:
    """Send ``template`` to a signatory with the read-and-sign link, once (``sent_field``)."""
    from django.urls import reverse

    from atelier.emails import send_once

    version = requis.version
    atelier = version.feuille.atelier
    return send_once(
        record=lambda: SignataireRequis.objects.filter(
            pk=requis.pk, **{f"{sent_field}__isnull": True}
        ).update(**{sent_field: timezone.now()}),
        template=template,
        to=[requis.utilisateur.email],
        context={
            "requis": requis,
            "version": version,
            "atelier": atelier,
            "lien": reverse(
                "feuilles_de_route:signer", kwargs={"pk": atelier.pk, "numero": version.numero}
            ),
        },
    )


def signature_request_send(*, signataire_requis_id: int) -> bool:
    """E-mail a required signatory the link to the read-and-sign page; return whether it went.

    Does nothing once the version has left signature or the signatory has signed, and sends
    at most once (``send_once``), so a retried, duplicated or concurrent task never asks
    someone to sign twice.
    """
    requis = _pending_signatory(signataire_requis_id)
    if requis is None:
        return False
    return _signature_email(
        requis,
        template="feuilles_de_route/emails/demande_signature",
        sent_field="courriel_demande_le",
    )


# The reminder before a signature deadline goes this many days before it.
SIGNATURE_RAPPEL_JOURS = 2


def signature_reminders_due(*, today: dt.date | None = None) -> list[int]:
    """The SignataireRequis still to remind: the version in signature with a deadline within
    ``SIGNATURE_RAPPEL_JOURS`` days (not past), the person not signed, no reminder sent yet."""
    today = today or timezone.localdate()
    return list(
        SignataireRequis.objects.filter(
            version__statut=Version.Statut.EN_SIGNATURE,
            version__signer_avant__gte=today,
            version__signer_avant__lte=today + dt.timedelta(days=SIGNATURE_RAPPEL_JOURS),
            rappel_envoye_le__isnull=True,
        )
        .exclude(utilisateur__signatures__version=F("version"))
        .values_list("pk", flat=True)
    )


def signature_reminder_send(*, signataire_requis_id: int) -> bool:
    """Remind a signatory, before the deadline, of the version they have still to sign.

    Nothing once the version has left signature or the person has signed; at most once
    (``send_once`` records ``rappel_envoye_le``), so a beat run twice reminds once."""
    requis = _pending_signatory(signataire_requis_id)
    if requis is None or requis.version.signer_avant is None:
        return False
    return _signature_email(
        requis,
        template="feuilles_de_route/emails/rappel_signature",
        sent_field="rappel_envoye_le",
    )


def version_remplacee_email(*, signataire_requis_id: int, nouvelle_version_id: int) -> bool:
    """Tell someone asked to sign a version that it was replaced and no longer counts.

    Does nothing unless that version is indeed replaced and the person had not signed it;
    sends at most once (``send_once``).
    """
    from django.urls import reverse

    from atelier.emails import send_once

    requis = (
        SignataireRequis.objects.select_related(
            "version__feuille__atelier__territoire", "utilisateur"
        )
        .filter(pk=signataire_requis_id, version__statut=Version.Statut.REMPLACEE)
        .first()
    )
    nouvelle = Version.objects.filter(pk=nouvelle_version_id).first()
    if requis is None or nouvelle is None:
        return False
    if Signature.objects.filter(
        version_id=requis.version_id, signataire_id=requis.utilisateur_id
    ).exists():
        return False
    atelier = requis.version.feuille.atelier
    return send_once(
        record=lambda: SignataireRequis.objects.filter(
            pk=requis.pk, courriel_remplacement_le__isnull=True
        ).update(courriel_remplacement_le=timezone.now()),
        template="feuilles_de_route/emails/version_remplacee",
        to=[requis.utilisateur.email],
        context={
            "ancienne": requis.version,
            "nouvelle": nouvelle,
            "atelier": atelier,
            "lien": reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}),
        },
    )


def rappel_suivi_email(*, rappel_id: int) -> bool:
    """E-mail one follow-up reminder (recorded by :func:`rappel_suivi_send`) to the pilotes
    and the porteurs of actions, at most once (``send_once``); return whether it went."""
    from django.urls import reverse

    from atelier.emails import send_once

    rappel = RappelSuivi.objects.select_related("feuille__atelier").filter(pk=rappel_id).first()
    if rappel is None or rappel.courriel_envoye_le is not None:
        return False
    atelier = rappel.feuille.atelier
    return send_once(
        record=lambda: RappelSuivi.objects.filter(
            pk=rappel.pk, courriel_envoye_le__isnull=True
        ).update(courriel_envoye_le=timezone.now()),
        template="feuilles_de_route/emails/rappel_suivi",
        to=rappel_recipients(rappel.feuille),
        context={
            "rappel": rappel,
            "atelier": atelier,
            "lien": reverse("feuilles_de_route:suivi", kwargs={"pk": atelier.pk}),
        },
    )


# --- Concertation on a frozen draft ---------------------------------------------------------


def consultation_refusal(version: Version) -> str:
    """Why a concertation may not be opened on ``version`` now ("" when it may)."""
    if version.statut != Version.Statut.FIGEE:
        return _(
            "Une concertation s'ouvre sur une version figée qui n'est pas encore en signature."
        )
    return ""


def consultation_open(
    *, version: Version, by: Any, cloture_prevue: dt.datetime, roles: Iterable[str]
) -> Consultation:
    """Open the concertation on a frozen version not yet sent for signature.

    ``roles`` are the invited participants' roles (among the commenting roles), the closing
    date is in the future; one consultation per version.
    """
    atelier = version.feuille.atelier
    require_perm(by, "feuilles_de_route.manage_consultation", atelier)
    roles = sorted(set(roles))
    if not roles or not set(roles) <= set(COMMENTING_ROLES):
        raise TransitionError(_("Choisissez au moins un rôle invité à réagir."))
    if cloture_prevue <= timezone.now():
        raise TransitionError(_("La date de clôture doit être dans le futur."))
    if refusal := consultation_refusal(version):
        raise TransitionError(refusal)
    with transaction.atomic():
        try:
            with transaction.atomic():
                consultation = Consultation.objects.create(
                    version=version, roles=roles, cloture_prevue=cloture_prevue, ouverte_par=by
                )
        except IntegrityError:
            raise TransitionError(
                _("Une concertation a déjà été ouverte sur cette version.")
            ) from None
        audit(
            by=by,
            obj=consultation,
            action=AuditAction.CONSULTATION_OUVERTE,
            to_state=consultation.statut,
            summary=_("Concertation ouverte sur la version %(n)s jusqu'au %(d)s.")
            % {"n": version.numero, "d": format_date(cloture_prevue)},
            atelier=atelier,
        )
    return consultation


def _consultation_participant(*, consultation: Consultation, by: Any) -> str:
    """The role under which ``by`` reacts, once the consultation is checked open to them."""
    from acteurs.permissions import roles_in_atelier

    atelier = consultation.version.feuille.atelier
    require_perm(by, "feuilles_de_route.comment_consultation", atelier)
    if consultation.statut != Consultation.Statut.OUVERTE or (
        consultation.cloture_prevue <= timezone.now()
    ):
        raise TransitionError(_("Cette concertation est close : elle ne reçoit plus de réactions."))
    invites = [r for r in consultation.roles if r in roles_in_atelier(by, atelier)]
    if not invites:
        raise TransitionError(_("Votre rôle dans l'atelier n'est pas invité à cette concertation."))
    return invites[0]


def commentaire_add(
    *, consultation: Consultation, by: Any, cible: str, ref: int, texte: str
) -> Commentaire:
    """An invited participant comments on an axis or an action of the version."""
    role = _consultation_participant(consultation=consultation, by=by)
    element = version_element(consultation.version, cible=cible, ref=ref)
    texte = (texte or "").strip()
    if not texte:
        raise TransitionError(_("Écrivez votre commentaire."))
    with transaction.atomic():
        commentaire = Commentaire.objects.create(
            consultation=consultation,
            cible=cible,
            ref=ref,
            axe_ref=element["axe_ref"],
            cible_titre=element["titre"][:250],
            auteur=by,
            role=role,
            texte=texte,
        )
        audit(
            by=by,
            obj=commentaire,
            action=AuditAction.CONSULTATION_COMMENTAIRE,
            summary=_("Commentaire sur « %(t)s ».") % {"t": element["titre"]},
            atelier=consultation.version.feuille.atelier,
        )
    return commentaire


def soutien_add(*, consultation: Consultation, by: Any, cible: str, ref: int) -> Soutien:
    """An invited participant supports an axis or an action (once per element)."""
    role = _consultation_participant(consultation=consultation, by=by)
    element = version_element(consultation.version, cible=cible, ref=ref)
    try:
        with transaction.atomic():
            return Soutien.objects.create(
                consultation=consultation,
                cible=cible,
                ref=ref,
                axe_ref=element["axe_ref"],
                auteur=by,
                role=role,
            )
    except IntegrityError:
        raise TransitionError(
            _("Vous soutenez déjà « %(t)s ».") % {"t": element["titre"]}
        ) from None


def commentaire_answer(
    *, commentaire: Commentaire, by: Any, reponse: str, prise_en_compte: str
) -> None:
    """The pilote answers a comment and says how it is taken into account, with a reason."""
    consultation = commentaire.consultation
    atelier = consultation.version.feuille.atelier
    require_perm(by, "feuilles_de_route.manage_consultation", atelier)
    reponse = (reponse or "").strip()
    if prise_en_compte not in PriseEnCompte.values:
        raise TransitionError(_("Dites comment ce commentaire est pris en compte."))
    if not reponse:
        raise TransitionError(_("Motivez votre réponse."))
    if commentaire.masque:
        raise TransitionError(_("Ce commentaire est masqué : il n'appelle pas de réponse."))
    with transaction.atomic():
        Commentaire.objects.filter(pk=commentaire.pk).update(
            reponse=reponse,
            prise_en_compte=prise_en_compte,
            repondu_par=by,
            repondu_le=timezone.now(),
        )
        audit(
            by=by,
            obj=commentaire,
            action=AuditAction.CONSULTATION_REPONSE,
            to_state=prise_en_compte,
            summary=_("Réponse au commentaire sur « %(t)s » : %(p)s.")
            % {"t": commentaire.cible_titre, "p": PriseEnCompte(prise_en_compte).label},
            atelier=atelier,
        )
    commentaire.reponse, commentaire.prise_en_compte = reponse, prise_en_compte


def commentaire_hide(*, commentaire: Commentaire, by: Any, motif: str) -> None:
    """Moderation: the pilote hides a comment with a reason its author will read."""
    atelier = commentaire.consultation.version.feuille.atelier
    require_perm(by, "feuilles_de_route.manage_consultation", atelier)
    motif = (motif or "").strip()
    if not motif:
        raise TransitionError(_("Indiquez pourquoi ce commentaire est masqué."))
    with transaction.atomic():
        count = Commentaire.objects.filter(pk=commentaire.pk, masque=False).update(
            masque=True, masque_motif=motif
        )
        if count != 1:
            raise TransitionError(_("Ce commentaire est déjà masqué."))
        audit(
            by=by,
            obj=commentaire,
            action=AuditAction.CONSULTATION_COMMENTAIRE_MASQUE,
            summary=_("Commentaire masqué : %(m)s") % {"m": motif},
            atelier=atelier,
        )
    commentaire.masque, commentaire.masque_motif = True, motif


def consultation_close(*, consultation: Consultation, by: Any) -> None:
    """Close the concertation and keep its summary with the version."""
    atelier = consultation.version.feuille.atelier
    require_perm(by, "feuilles_de_route.manage_consultation", atelier)
    transition(
        obj=consultation,
        to=Consultation.Statut.CLOSE,
        by=by,
        action=AuditAction.CONSULTATION_CLOSE,
        summary=_("Concertation close sur la version %(n)s.") % {"n": consultation.version.numero},
        atelier=atelier,
        updates={"close_le": timezone.now(), "synthese": consultation_summary(consultation)},
    )
    consultation.refresh_from_db()


# --- The carnet de suivi ----------------------------------------------------------------------


def carnet_request(*, atelier: Any, by: Any) -> CarnetDeSuivi:
    """Ask for a new edition of the carnet de suivi, rendered by a worker.

    While an edition is queued or rendering, asking again returns it (no second job).
    """
    require_perm(by, "feuilles_de_route.generate_carnet", atelier)
    with transaction.atomic():
        from ateliers.models import Atelier

        Atelier.objects.select_for_update().filter(pk=atelier.pk).first()
        pending = CarnetDeSuivi.objects.filter(
            atelier=atelier,
            statut__in=[CarnetDeSuivi.Statut.EN_ATTENTE, CarnetDeSuivi.Statut.EN_COURS],
        ).first()
        if pending is not None:
            return pending
        last = CarnetDeSuivi.objects.filter(atelier=atelier).aggregate(m=Max("numero"))["m"]
        carnet = CarnetDeSuivi.objects.create(
            atelier=atelier, numero=(last or 0) + 1, demande_par=by
        )
        audit(
            by=by,
            obj=carnet,
            action=AuditAction.CARNET_DEMANDE,
            to_state=carnet.statut,
            atelier=atelier,
        )
        documents.queue(documents.CARNET, carnet.pk)
    return carnet


def carnet_generate(*, carnet_id: int) -> None:
    """Render and store an edition of the carnet (``documents.document_generate``), like the
    restitution report: idempotent, a carnet found ``en_cours`` is rendered again."""
    documents.document_generate(genre=documents.CARNET, document_id=carnet_id)


def carnet_publish(*, carnet: CarnetDeSuivi, by: Any, publier: bool = True) -> None:
    """Publish (or withdraw) a ready edition of the carnet with the atelier."""
    require_perm(by, "feuilles_de_route.publish_feuille", carnet.atelier)
    if publier and carnet.statut != CarnetDeSuivi.Statut.PRET:
        raise TransitionError(_("Seul un carnet prêt peut être publié."))
    documents.document_publish(
        genre=documents.CARNET,
        document=carnet,
        by=by,
        publier=publier,
        publie=AuditAction.CARNET_PUBLIE,
        depublie=AuditAction.CARNET_DEPUBLIE,
    )
