"""Writes for calls for applications, candidatures, instruction and selection of lauréats.

Every state change goes through :func:`atelier.workflow.transition`; every function checks
the actor's permission and the object's state and raises ``PermissionDenied`` or
``TransitionError`` (a French message for the user) otherwise. E-mails are queued with
``transaction.on_commit`` so that a rolled-back change sends nothing.
"""

import datetime as dt
import hashlib
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from acteurs.models import AgentEtat, Role, Utilisateur
from acteurs.permissions import require_perm
from acteurs.services import invitation_create, participation_ajouter_candidat
from appels.models import (
    AppelACandidatures,
    Avis,
    Candidature,
    Critere,
    DocumentAppel,
    NoteCritere,
    NotificationCandidature,
    NotificationRapporteur,
    PieceJointe,
    PieceRequise,
    Question,
)
from atelier.cache import invalidate_public_cache
from atelier.dates import format_date
from atelier.uploads import check_upload, delete_file_on_commit, storing_files
from atelier.workflow import TransitionError, transition
from ateliers.formats import Format
from ateliers.models import Atelier, SessionNationale
from ateliers.services import atelier_creer
from journal.models import Action
from journal.services import audit
from outbox.services import enqueue
from territoires.models import Territoire
from territoires.services import territoire_derive

Statut = Candidature.Statut
StatutAppel = AppelACandidatures.Statut

# Candidatures still waiting for the programme: a call cannot be "décidé" while any is left.
EN_COURS_D_INSTRUCTION = (Statut.DEPOSEE, Statut.RECEVABLE, Statut.EN_INSTRUCTION)


def _unique_slug(model, base: str, *, exclude_pk: Any = None) -> str:
    base = (slugify(base) or "element")[:200]
    slug, n = base, 2
    qs = model._default_manager.all()
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


# --- Sessions -------------------------------------------------------------------------------

SESSION_FIELDS = ("titre", "theme", "annee_debut", "annee_fin", "description")


def session_enregistrer(
    *, by: Utilisateur, data: dict[str, Any], session: SessionNationale | None = None
) -> SessionNationale:
    """Create a national session, or update ``session``. DGALN only."""
    require_perm(by, "ateliers.manage_programme")
    creation = session is None
    session = session or SessionNationale()
    for name in SESSION_FIELDS:
        if name in data:
            setattr(session, name, data[name])
    if creation:
        session.slug = _unique_slug(SessionNationale, session.titre)
    with transaction.atomic():
        session.save()
        audit(
            by=by, obj=session, action=Action.SESSION_CREEE if creation else Action.SESSION_MODIFIEE
        )
        invalidate_public_cache()  # the home page counts and lists the sessions
    return session


# --- Calls ----------------------------------------------------------------------------------

APPEL_FIELDS = (
    "titre",
    "nature",
    "session",
    "description",
    "eligibilite",
    "ouverture",
    "cloture",
)


def appel_est_ouvert(appel: AppelACandidatures, *, now: dt.datetime | None = None) -> bool:
    """Published, opened, and the closing instant not reached (the deadline is exclusive)."""
    now = now or timezone.now()
    return (
        appel.statut == StatutAppel.PUBLIE
        and appel.ouverture <= now
        and (appel.cloture is None or now < appel.cloture)
    )


def _change_de_nature(appel: AppelACandidatures, data: dict[str, Any]) -> bool:
    if data.get("nature", appel.nature) != appel.nature:
        return True
    return "session" in data and getattr(data["session"], "pk", None) != appel.session_id


def appel_enregistrer(
    *, by: Utilisateur, data: dict[str, Any], appel: AppelACandidatures | None = None
) -> AppelACandidatures:
    """Create a call (brouillon) or update one not yet decided. DGALN only."""
    require_perm(by, "ateliers.manage_programme")
    creation = appel is None
    if not creation and appel.statut == StatutAppel.DECIDE:
        raise TransitionError(_("Un appel décidé ne peut plus être modifié."))
    if not creation and appel.statut != StatutAppel.BROUILLON and _change_de_nature(appel, data):
        # Applicants are already answering a published call: its kind and session stay put.
        raise TransitionError(
            _("La nature et la session d'un appel publié ne peuvent plus changer.")
        )
    appel = appel or AppelACandidatures()
    for name in APPEL_FIELDS:
        if name in data:
            setattr(appel, name, data[name])
    if appel.nature == AppelACandidatures.Nature.A_LA_CARTE:
        appel.session = None
    if creation:
        appel.slug = _unique_slug(AppelACandidatures, appel.titre)
    with transaction.atomic():
        appel.save()
        audit(by=by, obj=appel, action=Action.APPEL_CREE if creation else Action.APPEL_MODIFIE)
        if appel.statut != StatutAppel.BROUILLON:
            invalidate_public_cache()  # the home page lists the open calls
    return appel


ELEMENTS = {"question": Question, "piece": PieceRequise, "critere": Critere}
# (added, removed) audit actions of each kind of element.
ACTIONS_ELEMENTS = {
    "question": (Action.APPEL_QUESTION_AJOUTE, Action.APPEL_QUESTION_SUPPRIME),
    "piece": (Action.APPEL_PIECE_AJOUTE, Action.APPEL_PIECE_SUPPRIME),
    "critere": (Action.APPEL_CRITERE_AJOUTE, Action.APPEL_CRITERE_SUPPRIME),
}


def criteres_modifiables(appel: AppelACandidatures) -> bool:
    """Criteria and their weights concern reviewers only: editable until the first mark."""
    return (
        appel.statut != StatutAppel.DECIDE
        and not Avis.objects.filter(candidature__appel=appel).exists()
    )


def _require_elements_modifiables(appel: AppelACandidatures, kind: str) -> None:
    if kind == "critere":
        if not criteres_modifiables(appel):
            raise TransitionError(
                _("Des avis ont déjà été donnés : les critères ne changent plus.")
            )
        return
    if appel.statut != StatutAppel.BROUILLON:
        raise TransitionError(
            _("Les questions et les pièces se modifient tant que l'appel est en brouillon.")
        )


def appel_ajouter_element(
    *, by: Utilisateur, appel: AppelACandidatures, kind: str, data: dict[str, Any]
) -> Any:
    """Add a question, a required document or a criterion to a call still in draft.

    Once published, applicants may already be answering: the form must not change under them.
    """
    require_perm(by, "ateliers.manage_programme")
    _require_elements_modifiables(appel, kind)
    model = ELEMENTS[kind]
    with transaction.atomic():
        ordre = model.objects.filter(appel=appel).count() + 1
        element = model.objects.create(appel=appel, ordre=ordre, **data)
        audit(by=by, obj=appel, action=ACTIONS_ELEMENTS[kind][0], summary=str(element)[:200])
    return element


def appel_supprimer_element(
    *, by: Utilisateur, appel: AppelACandidatures, kind: str, pk: int
) -> None:
    """Remove a question, required document or criterion from a call still in draft."""
    require_perm(by, "ateliers.manage_programme")
    _require_elements_modifiables(appel, kind)
    model = ELEMENTS[kind]
    with transaction.atomic():
        element = model.objects.filter(appel=appel, pk=pk).first()
        if element is None:
            return
        element.delete()
        audit(by=by, obj=appel, action=ACTIONS_ELEMENTS[kind][1], summary=str(element)[:200])


def appel_document_ajouter(
    *, by: Utilisateur, appel: AppelACandidatures, titre: str, fichier: UploadedFile
) -> DocumentAppel:
    """Attach a file to a call (cahier des charges, règlement…). DGALN only.

    The file is checked by its content (``atelier.uploads``); errors name the form field.
    Allowed in every state: a published call may get a FAQ, a decided one its results. The
    public sees the files once the call is published.
    """
    require_perm(by, "ateliers.manage_programme")
    titre = (titre or "").strip()
    if not titre:
        raise ValidationError({"titre": _("Donnez un titre au document.")})
    try:
        checked = check_upload(fichier)
    except ValidationError as error:
        raise ValidationError({"fichier": error.error_list}) from error
    document = DocumentAppel(appel=appel, titre=titre)
    with storing_files() as files:
        files.store(document, fichier, checked)
        document.save()
        audit(
            by=by,
            obj=appel,
            action=Action.APPEL_DOCUMENT_AJOUTE,
            summary=f"{titre} ({checked.name})"[:300],
        )
    return document


def appel_document_supprimer(
    *, by: Utilisateur, appel: AppelACandidatures, pk: int
) -> DocumentAppel | None:
    """Remove a file from a call (None if it was already gone). DGALN only.

    The stored file is deleted once the removal is committed, so a rollback keeps it.
    """
    require_perm(by, "ateliers.manage_programme")
    with transaction.atomic():
        document = DocumentAppel.objects.filter(appel=appel, pk=pk).first()
        if document is None:
            return None
        document.delete()
        audit(
            by=by,
            obj=appel,
            action=Action.APPEL_DOCUMENT_SUPPRIME,
            summary=f"{document.titre} ({document.nom_original})"[:300],
        )
        delete_file_on_commit(document.fichier)
    return document


def appel_publier(*, appel: AppelACandidatures, by: Utilisateur) -> None:
    """brouillon → publié. A session AMI needs a closing date; every call needs a question."""
    require_perm(by, "ateliers.manage_programme")
    if appel.statut != StatutAppel.BROUILLON:
        raise TransitionError(_("Seul un appel en brouillon peut être publié."))
    if appel.nature == AppelACandidatures.Nature.SESSION and appel.cloture is None:
        raise TransitionError(_("Un AMI de session nationale doit avoir une date de clôture."))
    if not appel.questions.exists():
        raise TransitionError(_("Ajoutez au moins une question avant de publier l'appel."))
    transition(obj=appel, to=StatutAppel.PUBLIE, by=by, action=Action.APPEL_PUBLIE)
    invalidate_public_cache()  # the home page lists the open calls


def appel_clore(*, appel: AppelACandidatures, by: Utilisateur) -> None:
    """publié → clos: no more submissions, instruction goes on."""
    require_perm(by, "ateliers.manage_programme")
    transition(obj=appel, to=StatutAppel.CLOS, by=by, action=Action.APPEL_CLOS)
    invalidate_public_cache()


def appel_rouvrir(*, appel: AppelACandidatures, by: Utilisateur) -> None:
    """clos → publié, only when the closing date is still ahead (or absent)."""
    require_perm(by, "ateliers.manage_programme")
    if appel.statut != StatutAppel.CLOS:
        raise TransitionError(_("Seul un appel clos peut être rouvert."))
    if appel.cloture is not None and appel.cloture <= timezone.now():
        raise TransitionError(
            _("La date de clôture est passée : repoussez-la avant de rouvrir l'appel.")
        )
    transition(obj=appel, to=StatutAppel.PUBLIE, by=by, action=Action.APPEL_ROUVERT)
    invalidate_public_cache()


def appel_decider(*, appel: AppelACandidatures, by: Utilisateur) -> None:
    """clos → décidé, once every submitted candidature has its decision."""
    require_perm(by, "ateliers.manage_programme")
    restantes = appel.candidatures.filter(statut__in=EN_COURS_D_INSTRUCTION).count()
    if restantes:
        raise TransitionError(
            ngettext(
                "%(n)s candidature attend encore une décision.",
                "%(n)s candidatures attendent encore une décision.",
                restantes,
            )
            % {"n": restantes}
        )
    transition(obj=appel, to=StatutAppel.DECIDE, by=by, action=Action.APPEL_DECIDE)


# --- Candidatures: the applicant's side ----------------------------------------------------

CANDIDATURE_FIELDS = (
    "format_demande",
    "territoire_nom",
    "territoire_nature",
    "territoire_siren",
    "region",
    "departement",
    "porteur",
    "contact_etat_nom",
    "contact_etat_email",
    "contact_etat_service",
    "resume",
    "latitude",
    "longitude",
)


def formats_possibles(appel: AppelACandidatures) -> list[str]:
    if appel.nature == AppelACandidatures.Nature.SESSION:
        return [Format.MULTISITE]
    return [Format.LOCAL, Format.FLASH]


def _require_editable(candidature: Candidature, by: Utilisateur, *, now: dt.datetime) -> None:
    require_perm(by, "appels.edit_candidature", candidature)
    if candidature.statut != Statut.BROUILLON:
        raise TransitionError(
            _("Cette candidature a été déposée le %(date)s : elle ne peut plus être modifiée.")
            % {"date": format_date(candidature.deposee_le, "SHORT_DATETIME_FORMAT")}
        )
    if not appel_est_ouvert(candidature.appel, now=now):
        raise TransitionError(
            _("L'appel « %(appel)s » est clos : la candidature ne peut plus être modifiée.")
            % {"appel": candidature.appel}
        )


def candidature_enregistrer(
    *,
    appel: AppelACandidatures,
    by: Utilisateur,
    data: dict[str, Any],
    reponses: dict[str, Any],
    candidature: Candidature | None = None,
    now: dt.datetime | None = None,
) -> Candidature:
    """Save a draft (first save creates it). Answers may stay incomplete until submission.

    Only the author edits their draft, and only while the call is open.
    """
    now = now or timezone.now()
    if by is None or not by.is_authenticated:
        raise PermissionDenied(_("Connectez-vous pour candidater."))
    if candidature is None:
        if not appel_est_ouvert(appel, now=now):
            raise TransitionError(_("L'appel « %(appel)s » n'est pas ouvert.") % {"appel": appel})
        candidature = Candidature(appel=appel, auteur=by)
    else:
        _require_editable(candidature, by, now=now)
    if data.get("format_demande") and data["format_demande"] not in formats_possibles(appel):
        raise TransitionError(_("Ce format n'est pas proposé par cet appel."))
    for name in CANDIDATURE_FIELDS:
        if name in data:
            setattr(candidature, name, data[name])
    valides = {str(q.pk) for q in appel.questions.all() if q.type != Question.Type.FICHIER}
    merged = dict(candidature.reponses or {})
    for key, value in reponses.items():
        if key in valides:
            merged[key] = value
    candidature.reponses = merged
    creation = candidature.pk is None
    try:
        with transaction.atomic():
            candidature.save()
            if "lieux" in data:
                candidature.communes.set(data["lieux"]["communes"])
                candidature.epci.set(data["lieux"]["epci"])
            if creation:
                audit(by=by, obj=candidature, action=Action.CANDIDATURE_CREEE)
    except IntegrityError:
        if not creation:
            raise
        # A concurrent first save created the draft: write into that one.
        existing = Candidature.objects.get(appel=appel, auteur=by, statut=Statut.BROUILLON)
        return candidature_enregistrer(
            appel=appel, by=by, data=data, reponses=reponses, candidature=existing, now=now
        )
    return candidature


def piece_jointe_ajouter(
    *,
    candidature: Candidature,
    by: Utilisateur,
    fichier: UploadedFile,
    piece_requise: PieceRequise | None = None,
    question: Question | None = None,
    now: dt.datetime | None = None,
) -> PieceJointe:
    """Attach a checked file to a draft; it replaces the file given for the same slot."""
    _require_editable(candidature, by, now=now or timezone.now())
    for target in (piece_requise, question):
        if target is not None and target.appel_id != candidature.appel_id:
            raise TransitionError(_("Cette pièce ne fait pas partie de l'appel."))
    checked = check_upload(fichier)
    with storing_files() as files:
        if piece_requise is not None or question is not None:
            anciennes = candidature.pieces_jointes.filter(
                piece_requise=piece_requise, question=question
            )
            for ancienne in anciennes:
                ancienne.delete()
                # The replaced file goes only once the replacement is committed.
                delete_file_on_commit(ancienne.fichier)
        piece = PieceJointe(candidature=candidature, piece_requise=piece_requise, question=question)
        files.store(piece, fichier, checked)
        piece.save()
        audit(by=by, obj=candidature, action=Action.PIECE_JOINTE_AJOUTEE, summary=checked.name)
    return piece


def piece_jointe_supprimer(*, piece: PieceJointe, by: Utilisateur) -> None:
    """Remove a file from a draft."""
    _require_editable(piece.candidature, by, now=timezone.now())
    with transaction.atomic():
        piece.delete()
        audit(
            by=by,
            obj=piece.candidature,
            action=Action.PIECE_JOINTE_SUPPRIMEE,
            summary=piece.nom_original,
        )
        delete_file_on_commit(piece.fichier)


# Fields of the file needed to submit (all may stay empty in a draft), with their label.
CHAMPS_REQUIS_AU_DEPOT = (
    ("format_demande", _lazy("Format demandé")),
    ("territoire_nom", _lazy("Nom du territoire")),
    ("territoire_nature", _lazy("Nature du territoire")),
    ("region", _lazy("Région")),
    ("departement", _lazy("Département principal")),
    ("porteur", _lazy("Collectivité porteuse")),
    ("contact_etat_nom", _lazy("Contact DDT/DREAL : prénom et nom")),
    ("contact_etat_email", _lazy("Contact DDT/DREAL : adresse électronique")),
    ("contact_etat_service", _lazy("Contact DDT/DREAL : service")),
)


def manquants_par_champ(candidature: Candidature) -> list[tuple[str, str]]:
    """What still prevents submission: (form field name, sentence for the applicant).

    The field name lets the error summary link to the field (``id_<name>``); a missing file
    names its upload slot (``piece_p<pk>``, ``piece_q<pk>``).
    """
    missing = []
    for name, label in CHAMPS_REQUIS_AU_DEPOT:
        if getattr(candidature, name) in (None, ""):
            missing.append((name, _("Champ à remplir : « %(c)s ».") % {"c": label}))
    reponses = candidature.reponses or {}
    fournies_q = set()
    fournies_p = set()
    for piece in candidature.pieces_jointes.all():
        if piece.question_id:
            fournies_q.add(piece.question_id)
        if piece.piece_requise_id:
            fournies_p.add(piece.piece_requise_id)
    for question in candidature.appel.questions.all():
        if not question.obligatoire:
            continue
        if question.type == Question.Type.FICHIER:
            if question.pk not in fournies_q:
                missing.append(
                    (
                        f"piece_q{question.pk}",
                        _("Fichier manquant pour « %(q)s ».") % {"q": question.libelle},
                    )
                )
        elif str(reponses.get(str(question.pk), "")).strip() == "":
            missing.append(
                (f"q_{question.pk}", _("Réponse manquante : « %(q)s ».") % {"q": question.libelle})
            )
    for piece in candidature.appel.pieces_requises.all():
        if piece.obligatoire and piece.pk not in fournies_p:
            missing.append(
                (f"piece_p{piece.pk}", _("Pièce manquante : « %(p)s ».") % {"p": piece.libelle})
            )
    return missing


def manquants(candidature: Candidature) -> list[str]:
    """What still prevents submission, as sentences for the applicant."""
    return [message for _field, message in manquants_par_champ(candidature)]


def empreinte_dossier(candidature: Candidature) -> str:
    """SHA-256 of the dossier's canonical content: the call, the file's fields, the answers and
    each attachment's name, size and SHA-256 (sorted). Printed on the receipt, so that any
    later change of the dossier shows."""
    contenu = {
        "appel": candidature.appel.slug,
        "candidature": candidature.pk,
        "champs": {
            name: str(getattr(candidature, name) or "")
            for name in CANDIDATURE_FIELDS
            if name not in ("region", "departement")
        }
        | {
            "region": candidature.region.code if candidature.region_id else "",
            "departement": candidature.departement.code if candidature.departement_id else "",
        },
        "reponses": {k: str(v) for k, v in sorted((candidature.reponses or {}).items())},
        "pieces": sorted(
            [p.nom_original, p.taille, p.sha256] for p in candidature.pieces_jointes.all()
        ),
    }
    canonique = json.dumps(contenu, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonique.encode("utf-8")).hexdigest()


def candidature_deposer(
    *, candidature: Candidature, by: Utilisateur, now: dt.datetime | None = None
) -> None:
    """brouillon → déposée. The deadline is checked here, on the server, at this instant."""
    now = now or timezone.now()
    require_perm(by, "appels.edit_candidature", candidature)
    if candidature.statut != Statut.BROUILLON:
        raise TransitionError(_("Cette candidature a déjà été déposée."))
    if not appel_est_ouvert(candidature.appel, now=now):
        raise TransitionError(
            _(
                "L'appel est clos depuis le %(date)s : la candidature ne peut plus être déposée. "
                "Votre brouillon est conservé."
            )
            % {"date": _date_fr(candidature.appel.cloture)}
        )
    missing = manquants(candidature)
    if missing:
        raise TransitionError(
            _("La candidature est incomplète : %(liste)s Votre brouillon est conservé.")
            % {"liste": " ".join(missing)}
        )
    with transaction.atomic():
        transition(
            obj=candidature,
            to=Statut.DEPOSEE,
            by=by,
            action=Action.CANDIDATURE_DEPOSEE,
            updates={"deposee_le": now, "empreinte_depot": empreinte_dossier(candidature)},
        )
        _notifier_apres_commit(candidature.pk, NotificationCandidature.Nature.RECUE)


# Until the decision, the applicant may take their candidature back.
RETIRABLES = (Statut.DEPOSEE, Statut.RECEVABLE, Statut.EN_INSTRUCTION)


def candidature_retirer(*, candidature: Candidature, by: Utilisateur, motif: str = "") -> None:
    """déposée / recevable / en instruction → retirée, by its author, before the decision."""
    require_perm(by, "appels.edit_candidature", candidature)
    if candidature.statut not in RETIRABLES:
        raise TransitionError(
            _("Une candidature ne peut être retirée qu'après son dépôt et avant la décision.")
        )
    transition(
        obj=candidature,
        to=Statut.RETIREE,
        by=by,
        action=Action.CANDIDATURE_RETIREE,
        summary=(motif or "").strip()[:2000],
        updates={"retiree_le": timezone.now()},
    )


def _date_fr(value: dt.datetime | None) -> str:
    return "" if value is None else format_date(value, "DATETIME_FORMAT")


# --- Candidatures: instruction -------------------------------------------------------------


def candidature_statuer_recevabilite(
    *, candidature: Candidature, by: Utilisateur, recevable: bool, motif: str = ""
) -> None:
    """déposée → recevable, or → irrecevable with a reason. DGALN only."""
    require_perm(by, "appels.instruct_candidature", candidature)
    motif = (motif or "").strip()
    if not recevable and not motif:
        raise TransitionError(_("Indiquez le motif d'irrecevabilité."))
    with transaction.atomic():
        transition(
            obj=candidature,
            to=Statut.RECEVABLE if recevable else Statut.IRRECEVABLE,
            by=by,
            action=Action.CANDIDATURE_RECEVABLE if recevable else Action.CANDIDATURE_IRRECEVABLE,
            summary=motif,
            updates={} if recevable else {"motif_irrecevabilite": motif},
        )
        _notifier_apres_commit(candidature.pk, NotificationCandidature.Nature.RECEVABILITE)


def candidature_assigner_rapporteurs(
    *, candidature: Candidature, by: Utilisateur, rapporteurs: list[Utilisateur]
) -> None:
    """Set the reviewers; a recevable candidature goes into instruction with its first ones."""
    require_perm(by, "appels.instruct_candidature", candidature)
    if candidature.statut not in (Statut.RECEVABLE, Statut.EN_INSTRUCTION):
        raise TransitionError(
            _("Les rapporteurs se désignent pour une candidature recevable ou en instruction.")
        )
    with transaction.atomic():
        avant = set(candidature.rapporteurs.values_list("pk", flat=True))
        candidature.rapporteurs.set(rapporteurs)
        apres = {u.pk for u in rapporteurs}
        # A reviewer taken off may be assigned again later: that assignment is announced too.
        NotificationRapporteur.objects.filter(
            candidature=candidature, rapporteur_id__in=avant - apres
        ).delete()
        audit(
            by=by,
            obj=candidature,
            action=Action.RAPPORTEURS_DESIGNES,
            summary=", ".join(str(u) for u in rapporteurs),
        )
        for rapporteur_id in dict.fromkeys(u.pk for u in rapporteurs if u.pk not in avant):
            _notifier_rapporteur_apres_commit(candidature.pk, rapporteur_id)
        if rapporteurs and candidature.statut == Statut.RECEVABLE:
            transition(
                obj=candidature,
                to=Statut.EN_INSTRUCTION,
                by=by,
                action=Action.CANDIDATURE_EN_INSTRUCTION,
            )


def rapporteurs_ajouter_en_masse(
    *, candidatures: list[Candidature], by: Utilisateur, rapporteurs: list[Utilisateur]
) -> tuple[list[Candidature], list[Candidature]]:
    """Add ``rapporteurs`` to each candidature (those already assigned stay), in one
    transaction; returns (changed, skipped: not recevable nor in instruction). DGALN only."""
    require_perm(by, "ateliers.manage_programme")
    faites, ignorees = [], []
    with transaction.atomic():
        for candidature in candidatures:
            if candidature.statut not in (Statut.RECEVABLE, Statut.EN_INSTRUCTION):
                ignorees.append(candidature)
                continue
            actuels = list(candidature.rapporteurs.all())
            nouveaux = actuels + [u for u in rapporteurs if u not in actuels]
            candidature_assigner_rapporteurs(candidature=candidature, by=by, rapporteurs=nouveaux)
            faites.append(candidature)
    return faites, ignorees


def avis_donner(
    *, candidature: Candidature, by: Utilisateur, notes: dict[int, int], commentaire: str
) -> Avis:
    """A reviewer's opinion: a mark 1–5 on every criterion of the call, and a comment.

    Giving it again replaces the reviewer's previous opinion until the decision.
    """
    require_perm(by, "appels.give_avis", candidature)
    if candidature.statut != Statut.EN_INSTRUCTION:
        raise TransitionError(_("Les avis se donnent sur une candidature en instruction."))
    criteres = list(candidature.appel.criteres.all())
    for critere in criteres:
        note = notes.get(critere.pk)
        if note is None or not 1 <= int(note) <= 5:
            raise TransitionError(
                _("Donnez une note de 1 à 5 pour « %(c)s ».") % {"c": critere.libelle}
            )
    if not (commentaire or "").strip():
        raise TransitionError(_("Le commentaire est obligatoire."))
    with transaction.atomic():
        avis, created = Avis.objects.update_or_create(
            candidature=candidature, rapporteur=by, defaults={"commentaire": commentaire.strip()}
        )
        for critere in criteres:
            NoteCritere.objects.update_or_create(
                avis=avis, critere=critere, defaults={"note": int(notes[critere.pk])}
            )
        audit(by=by, obj=candidature, action=Action.AVIS_DONNE if created else Action.AVIS_MODIFIE)
    return avis


def avis_manquants(candidature: Candidature) -> list[Utilisateur]:
    """The assigned reviewers who have not given their opinion yet."""
    donnes = set(candidature.avis.values_list("rapporteur_id", flat=True))
    return [u for u in candidature.rapporteurs.all() if u.pk not in donnes]


def decision_impossible(candidature: Candidature) -> str:
    """Why the decision cannot be taken now ("" when it can), shown before the form."""
    if candidature.statut != Statut.EN_INSTRUCTION:
        return _("La décision se prend sur une candidature en instruction.")
    appel = candidature.appel
    if appel.nature == AppelACandidatures.Nature.SESSION and appel.statut != StatutAppel.CLOS:
        return _(
            "L'appel est encore ouvert : la décision se prend une fois l'appel clos "
            "(« Clore l'appel » sur la page de l'appel)."
        )
    return ""


def candidature_decider(
    *,
    candidature: Candidature,
    by: Utilisateur,
    retenue: bool,
    motivation: str,
    pilote: AgentEtat | None = None,
    sans_tous_les_avis: str = "",
) -> Atelier | None:
    """en instruction → retenue (creates the atelier) or non retenue, with its motivation.

    The call must be closed, except the standing à-la-carte call decided as they come.
    Retaining names the atelier's ``pilote``: a vetted, active State agent DGALN picks (the
    contact typed in the candidature is only a suggestion, see
    ``selectors.contact_suggestion``).
    While an assigned reviewer has not given their opinion, the decision needs an explicit
    reason (``sans_tous_les_avis``), kept on the candidature and in the audit trail.
    """
    require_perm(by, "appels.instruct_candidature", candidature)
    motivation = (motivation or "").strip()
    if not motivation:
        raise TransitionError(_("La motivation de la décision est obligatoire."))
    raison = decision_impossible(candidature)
    if raison:
        raise TransitionError(raison)
    if retenue and (pilote is None or not AgentEtat.objects.actifs().filter(pk=pilote.pk).exists()):
        raise TransitionError(
            _("Choisissez le pilote de l'atelier parmi les agents de l'État vérifiés.")
        )
    sans_tous_les_avis = (sans_tous_les_avis or "").strip()
    manquent = avis_manquants(candidature)
    if manquent and not sans_tous_les_avis:
        raise TransitionError(
            _(
                "%(n)s avis manquent (%(qui)s). Attendez-les, ou indiquez pourquoi vous "
                "décidez sans eux."
            )
            % {"n": len(manquent), "qui": ", ".join(str(u) for u in manquent)}
        )
    now = timezone.now()
    with transaction.atomic():
        if manquent:
            Candidature.objects.filter(pk=candidature.pk).update(
                motif_avis_manquants=sans_tous_les_avis
            )
            candidature.motif_avis_manquants = sans_tous_les_avis
            audit(
                by=by,
                obj=candidature,
                action=Action.DECISION_SANS_TOUS_LES_AVIS,
                summary=_("Avis manquants : %(qui)s. Motif : %(m)s")
                % {"qui": ", ".join(str(u) for u in manquent), "m": sans_tous_les_avis},
            )
        transition(
            obj=candidature,
            to=Statut.RETENUE if retenue else Statut.NON_RETENUE,
            by=by,
            action=Action.CANDIDATURE_RETENUE if retenue else Action.CANDIDATURE_NON_RETENUE,
            summary=motivation,
            updates={"motivation_decision": motivation, "decidee_le": now},
        )
        atelier = _creer_atelier(candidature=candidature, by=by, pilote=pilote) if retenue else None
        _notifier_apres_commit(candidature.pk, NotificationCandidature.Nature.DECISION)
    return atelier


def _creer_atelier(*, candidature: Candidature, by: Utilisateur, pilote: AgentEtat) -> Atelier:
    """The lauréat's atelier (en préparation), its territory if new, the applicant in it, and
    the invitation of its pilote: the vetted State agent DGALN chose, who is told by the
    invitation e-mail after the commit and joins the atelier by accepting it (the link
    brings an agent who already has an account, as every vetted agent does, to sign in and
    straight into the atelier)."""
    territoire = candidature.territoire or _territoire_pour(candidature)
    atelier = atelier_creer(
        by=by,
        titre=_("Atelier des territoires — %(t)s") % {"t": territoire.nom},
        territoire=territoire,
        format=candidature.format_demande,
        session=candidature.appel.session,
        service_pilote=pilote.service.organisation,
        theme=candidature.appel.session.theme if candidature.appel.session else "",
        resume=candidature.resume,
        annee=timezone.localdate().year,
    )
    Candidature.objects.filter(pk=candidature.pk).update(territoire=territoire, atelier=atelier)
    candidature.territoire = territoire
    candidature.atelier = atelier
    agent = pilote.utilisateur
    invitation_create(
        atelier=atelier,
        by=by,
        email=agent.email,
        role=Role.PILOTE,
        prenom=agent.first_name,
        nom=agent.last_name,
    )
    participation_ajouter_candidat(atelier=atelier, by=by, user=candidature.auteur)
    audit(
        by=by,
        obj=atelier,
        action=Action.ATELIER_CREE_PAR_SELECTION,
        to_state=atelier.statut,
        summary=_("Lauréat de « %(appel)s » ; pilote invité·e : %(p)s (%(s)s)")
        % {"appel": candidature.appel, "p": agent.email, "s": pilote.service},
    )
    return atelier


def _territoire_pour(candidature: Candidature) -> Territoire:
    """The lauréat's territory: an existing one with the same SIREN, else a new one, made of
    the communes and EPCI chosen from the reference when there are (its départements,
    région, population, perimeter and point are then derived, not typed)."""
    if candidature.territoire_siren:
        existing = Territoire.objects.filter(siren=candidature.territoire_siren).first()
        if existing:
            return existing
    territoire = Territoire.objects.create(
        nom=candidature.territoire_nom,
        slug=_unique_slug(Territoire, candidature.territoire_nom),
        nature=candidature.territoire_nature,
        siren=candidature.territoire_siren,
        region=candidature.region,
        # Without a point given by the applicant, the marker goes on the département's
        # prefecture so that the new lauréat shows on the map at once.
        latitude=candidature.latitude
        if candidature.latitude is not None
        else candidature.departement.latitude,
        longitude=candidature.longitude
        if candidature.latitude is not None
        else candidature.departement.longitude,
    )
    territoire.departements.set([candidature.departement])
    territoire.communes.set(candidature.communes.all())
    territoire.epci.set(candidature.epci.all())
    return territoire_derive(territoire=territoire)


# --- Notifications --------------------------------------------------------------------------


def _notifier_apres_commit(candidature_id: int, nature: str) -> None:
    from appels.tasks import notifier_candidature

    enqueue(notifier_candidature, candidature_id, nature)


TEMPLATES = {
    NotificationCandidature.Nature.RECUE: "appels/emails/candidature_recue",
    NotificationCandidature.Nature.RECEVABILITE: "appels/emails/candidature_recevabilite",
    NotificationCandidature.Nature.DECISION: "appels/emails/candidature_decision",
    NotificationCandidature.Nature.RAPPEL_J7: "appels/emails/candidature_rappel",
    NotificationCandidature.Nature.RAPPEL_J1: "appels/emails/candidature_rappel",
}

# The state a candidature must be in for each notification still to make sense.
ETATS_NOTIFIABLES = {
    NotificationCandidature.Nature.RECUE: {
        Statut.RETIREE,
        Statut.DEPOSEE,
        Statut.RECEVABLE,
        Statut.IRRECEVABLE,
        Statut.EN_INSTRUCTION,
        Statut.RETENUE,
        Statut.NON_RETENUE,
    },
    NotificationCandidature.Nature.RECEVABILITE: {
        Statut.RECEVABLE,
        Statut.IRRECEVABLE,
        Statut.EN_INSTRUCTION,
    },
    NotificationCandidature.Nature.DECISION: {Statut.RETENUE, Statut.NON_RETENUE},
    NotificationCandidature.Nature.RAPPEL_J7: {Statut.BROUILLON},
    NotificationCandidature.Nature.RAPPEL_J1: {Statut.BROUILLON},
}


def candidature_notifier(*, candidature_id: int, nature: str) -> bool:
    """Send one notification at most once; returns whether an e-mail went out.

    The record and the sending share a transaction: if sending fails, the record is rolled
    back and a retry sends it; if the record exists, a second run sends nothing.
    """
    from atelier.emails import send_once

    candidature = (
        Candidature.objects.select_related("appel", "auteur", "region", "departement")
        .prefetch_related("pieces_jointes", "appel__questions")
        .filter(pk=candidature_id)
        .first()
    )
    if candidature is None or candidature.statut not in ETATS_NOTIFIABLES[nature]:
        return False
    return send_once(
        record=lambda: NotificationCandidature.objects.create(
            candidature=candidature, nature=nature
        ),
        template=TEMPLATES[nature],
        to=[candidature.auteur.email],
        attachments=_pieces_du_courriel(candidature, nature),
        context={
            "candidature": candidature,
            "appel": candidature.appel,
            "nature": nature,
            "cloture": _date_fr(candidature.appel.cloture),
        },
    )


def _pieces_du_courriel(candidature: Candidature, nature: str) -> list[tuple[str, bytes, str]]:
    """The receipt goes with the acknowledgement, the decision letter with the decision."""
    from appels.documents import lettre_decision_pdf, recepisse_pdf

    if nature == NotificationCandidature.Nature.RECUE:
        return [(f"recepisse-{candidature.pk}.pdf", recepisse_pdf(candidature), "application/pdf")]
    if nature == NotificationCandidature.Nature.DECISION:
        return [
            (f"decision-{candidature.pk}.pdf", lettre_decision_pdf(candidature), "application/pdf")
        ]
    return []


def _notifier_rapporteur_apres_commit(candidature_id: int, rapporteur_id: int) -> None:
    from appels.tasks import notifier_rapporteur

    enqueue(notifier_rapporteur, candidature_id, rapporteur_id)


# A reviewer is told of the assignment only while the candidature is still being instructed.
ETATS_RAPPORTEUR_NOTIFIABLES = {Statut.RECEVABLE, Statut.EN_INSTRUCTION}


def rapporteur_notifier(*, candidature_id: int, rapporteur_id: int) -> bool:
    """Tell a newly assigned reviewer, at most once; returns whether an e-mail went out.

    Nothing is sent if the reviewer was taken off the candidature (or the candidature was
    decided) before the task ran. As for ``candidature_notifier``, the record and the
    sending share a transaction: a failed sending is retried, a second run sends nothing.
    """
    from atelier.emails import send_once

    candidature = (
        Candidature.objects.select_related("appel__session", "departement")
        .filter(pk=candidature_id)
        .first()
    )
    if candidature is None or candidature.statut not in ETATS_RAPPORTEUR_NOTIFIABLES:
        return False
    rapporteur = candidature.rapporteurs.filter(pk=rapporteur_id, is_active=True).first()
    if rapporteur is None or not rapporteur.email:
        return False
    return send_once(
        record=lambda: NotificationRapporteur.objects.create(
            candidature=candidature, rapporteur=rapporteur
        ),
        template="appels/emails/candidature_rapporteur",
        to=[rapporteur.email],
        context={
            "candidature": candidature,
            "appel": candidature.appel,
            "rapporteur": rapporteur,
            "cloture": _date_fr(candidature.appel.cloture),
        },
    )


def rappels_a_envoyer(*, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """(candidature id, nature) of the deadline reminders due now and not sent yet.

    7 days before the deadline (and until 1 day before), then 1 day before; a reminder
    missed while the worker was down is still sent as long as the call is open.
    """
    now = now or timezone.now()
    drafts = Candidature.objects.filter(
        statut=Statut.BROUILLON,
        appel__statut=StatutAppel.PUBLIE,
        appel__cloture__gt=now,
        appel__cloture__lte=now + dt.timedelta(days=7),
    ).values_list("pk", "appel__cloture")
    sent = set(
        NotificationCandidature.objects.filter(
            candidature__in=[pk for pk, _c in drafts],
            nature__in=[
                NotificationCandidature.Nature.RAPPEL_J7,
                NotificationCandidature.Nature.RAPPEL_J1,
            ],
        ).values_list("candidature_id", "nature")
    )
    due = []
    for pk, cloture in drafts:
        if cloture - now <= dt.timedelta(days=1):
            nature = NotificationCandidature.Nature.RAPPEL_J1
        else:
            nature = NotificationCandidature.Nature.RAPPEL_J7
        if (pk, nature) not in sent:
            due.append((pk, str(nature)))
    return due


def rappels_cloture_planifier(*, now: dt.datetime | None = None) -> int:
    """Queue (after commit) the deadline reminders due now; return how many were queued.

    Safe to run twice: ``candidature_notifier`` records each reminder once, so a reminder
    queued by two overlapping runs is still sent once.
    """
    due = rappels_a_envoyer(now=now)
    for candidature_id, nature in due:
        _notifier_apres_commit(candidature_id, nature)
    return len(due)


# --- Personal data ------------------------------------------------------------------------

# Candidatures kept when their author closes the account: they founded an atelier.
STATUTS_CONSERVES = (Statut.RETENUE,)
# Candidatures the retention period applies to once finished (never retained).
STATUTS_NON_RETENUS = (Statut.NON_RETENUE, Statut.IRRECEVABLE)


def _delete_candidatures(qs) -> int:
    """Delete candidatures with their attachments' files (after the commit: a rollback
    keeps both)."""
    fichiers = [
        p.fichier.name
        for p in PieceJointe.objects.filter(candidature__in=qs).only("fichier")
        if p.fichier
    ]
    count = 0
    for candidature in qs:
        candidature.delete()
        count += 1
    if fichiers:
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: [default_storage.delete(name) for name in fichiers])
    return count


def contribution_cloture_compte(
    *, user: Utilisateur, pseudonyme: str, noms: list[str]
) -> dict[str, int]:
    """Closing an account: its drafts and candidatures not retained go, with their files;
    retained ones stay (evidence of the selection), under the pseudonymised account, and
    where the person was named as the DDT/DREAL contact, the pseudonym replaces them. So it
    does in the free text of the instruction that others typed (the reviewers' opinions, the
    reasons of the decisions), which the deposit's hash does not cover."""
    from django.db.models import Q

    from journal.services import name_pairs, texts_names_rewrite

    adresses = [n for n in noms if "@" in n]
    contact = Q(contact_etat_email__in=adresses) | Q(contact_etat_nom__in=noms)
    counts = {
        "candidatures": _delete_candidatures(
            Candidature.objects.filter(auteur=user).exclude(statut__in=STATUTS_CONSERVES)
        ),
        "contacts de candidature": Candidature.objects.filter(contact).update(
            contact_etat_nom=pseudonyme, contact_etat_email=""
        ),
    }
    textes = (
        (Avis, ("commentaire",), "pk"),
        (
            Candidature,
            ("motif_irrecevabilite", "motivation_decision", "motif_avis_manquants"),
            "pk",
        ),
    )
    paires = name_pairs((nom, pseudonyme) for nom in noms)
    counts["textes de l'instruction"] = sum(
        len(texts_names_rewrite(textes=[texte], paires=paires)) for texte in textes
    )
    return counts


def candidatures_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the candidatures not retained (non retenues, irrecevables) decided, and the
    drafts last modified, more than ``ATELIER_CONSERVATION_CANDIDATURES_JOURS`` ago."""
    from django.conf import settings
    from django.db.models import Q

    now = now or timezone.now()
    limite = now - dt.timedelta(days=settings.ATELIER_CONSERVATION_CANDIDATURES_JOURS)
    return _delete_candidatures(
        Candidature.objects.filter(
            Q(statut__in=STATUTS_NON_RETENUS, modifie_le__lt=limite)
            | Q(statut=Statut.BROUILLON, modifie_le__lt=limite)
        )
    )


def retention_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily retention task: candidatures here, invitations and security traces in
    ``acteurs``; logs and audits what was removed."""
    from acteurs.donnees import invitations_purge, report_retention, securite_purge

    with transaction.atomic():
        removed = {
            "candidatures": candidatures_purge(now=now),
            "invitations": invitations_purge(now=now),
            "traces de sécurité": securite_purge(now=now),
        }
        report_retention(removed)
    return removed
