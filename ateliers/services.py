"""Writes for a running atelier: its state, stages, deliverables, attendance, documents,
logbook, demonstrator sites, team contract and calendar links.

Every function takes keyword arguments, checks the actor's permission (``rules``) and the
current state, and raises ``PermissionDenied`` or ``TransitionError``/``ValidationError``
with a French message. State changes go through ``atelier.workflow.transition``; other
changes worth tracing write an audit row. E-mails are queued with ``transaction.on_commit``
so that a rolled-back change sends nothing.
"""

import datetime as dt
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from acteurs.models import Participation, Presence
from acteurs.permissions import require_perm
from atelier import uploads
from atelier.cache import invalidate_public_cache
from atelier.dates import format_date
from atelier.workflow import TransitionError, transition
from ateliers.formats import NatureEtape, NatureLivrable, spec
from ateliers.models import (
    Atelier,
    Document,
    EntreeJournal,
    Etape,
    FicheCapitalisation,
    JetonCalendrier,
    Livrable,
    NotificationEtape,
    RevisionJournal,
    SiteDemonstrateur,
)

# Also registers the ateliers.* rules (rules only autodiscovers ``rules.py``).
from ateliers.permissions import restitution_refusal
from ateliers.selectors import serie_of, serie_publiee
from journal.models import Action
from journal.services import audit, texts_names_rewrite
from outbox.services import enqueue
from territoires.geo import geometry_vertex_count, parse_geojson

# Deliverables that are written documents: a photo or a spreadsheet cannot be a report.
DOCUMENTS_ECRITS = {uploads.PDF, uploads.ODT, uploads.DOCX}
TYPES_PAR_LIVRABLE: dict[str, set[str]] = {
    NatureLivrable.NOTE_CADRAGE: DOCUMENTS_ECRITS,
    NatureLivrable.COMPTE_RENDU: DOCUMENTS_ECRITS,
    NatureLivrable.RAPPORT_ETONNEMENT: DOCUMENTS_ECRITS,
    NatureLivrable.VISION_PARTAGEE: DOCUMENTS_ECRITS | {uploads.PNG, uploads.JPEG},
    NatureLivrable.SITES_DEMONSTRATEURS: DOCUMENTS_ECRITS | {uploads.PNG, uploads.JPEG},
    NatureLivrable.PROJET_FEUILLE_DE_ROUTE: DOCUMENTS_ECRITS,
}


# --- Atelier state --------------------------------------------------------------------------


def etapes_creer_depuis_modele(*, atelier: Atelier) -> list[Etape]:
    """Create the stages and their deliverables from the format's template, once.

    Idempotent: a stage whose nature already exists is kept as it is (with its dates), and a
    missing deliverable row is added to it.
    """
    existantes = {e.nature: e for e in atelier.etapes.all()}
    etapes = []
    for ordre, modele in enumerate(spec(atelier.format).etapes, start=1):
        etape = existantes.get(modele.nature)
        if etape is None:
            etape = Etape.objects.create(
                atelier=atelier, nature=modele.nature, ordre=ordre * 10, titre=""
            )
        for nature in modele.livrables:
            Livrable.objects.get_or_create(
                etape=etape, nature=nature, defaults={"obligatoire": True}
            )
        etapes.append(etape)
    return etapes


def atelier_creer(*, by: Any, **fields: Any) -> Atelier:
    """A new atelier, en préparation (a lauréat selected by DGALN). DGALN only.

    The caller writes the audit row saying why the atelier exists (``appels`` names the
    call); the public pages show the new lauréat at once.
    """
    require_perm(by, "ateliers.manage_programme")
    atelier = Atelier.objects.create(statut=Atelier.Statut.EN_PREPARATION, **fields)
    transaction.on_commit(invalidate_public_cache)
    return atelier


def atelier_demarrer(*, atelier: Atelier, by: Any) -> Atelier:
    """En préparation → en cours; creates the format's stages if they are not there yet."""
    require_perm(by, "ateliers.manage_atelier", atelier)
    with transaction.atomic():
        updates = {}
        if atelier.date_debut is None:
            updates["date_debut"] = timezone.localdate()
        transition(
            obj=atelier,
            to=Atelier.Statut.EN_COURS,
            by=by,
            action=Action.ATELIER_DEMARRE,
            summary=_("Démarrage de l'atelier"),
            updates=updates,
        )
        etapes_creer_depuis_modele(atelier=atelier)
        invalidate_public_cache()  # the state shows on the public pages
    return atelier


# The audited action of each state an atelier can be moved to.
ACTIONS_STATUT = {
    Atelier.Statut.EN_COURS: Action.ATELIER_DEMARRE,
    Atelier.Statut.RESTITUE: Action.ATELIER_RESTITUE,
    Atelier.Statut.EN_MISE_EN_OEUVRE: Action.ATELIER_MIS_EN_OEUVRE,
    Atelier.Statut.CLOS: Action.ATELIER_CLOS,
}


def atelier_changer_statut(*, atelier: Atelier, by: Any, to: str) -> Atelier:
    """Move the atelier along en cours → restitué → en mise en œuvre → clos.

    "Restitué" needs the restitution seminar done; "en cours" goes through
    :func:`atelier_demarrer` so that the stages are created.
    """
    if to == Atelier.Statut.EN_COURS:
        return atelier_demarrer(atelier=atelier, by=by)
    require_perm(by, "ateliers.manage_atelier", atelier)
    updates: dict[str, Any] = {}
    if to == Atelier.Statut.RESTITUE and (refusal := restitution_refusal(atelier)):
        raise TransitionError(refusal)
    if to == Atelier.Statut.CLOS and atelier.date_fin is None:
        fin = timezone.localdate()
        if atelier.date_debut and fin < atelier.date_debut:
            fin = atelier.date_debut
        updates["date_fin"] = fin
    labels = dict(Atelier.Statut.choices)
    transition(
        obj=atelier,
        to=to,
        by=by,
        action=ACTIONS_STATUT[to],
        summary=_("Passage à l'état « %(etat)s »") % {"etat": labels.get(to, to)},
        updates=updates,
    )
    invalidate_public_cache()
    return atelier


def publication_refusal(atelier: Atelier) -> str:
    """Why publishing the atelier is refused now ("" when it is not)."""
    if atelier.statut == Atelier.Statut.EN_PREPARATION:
        return _(
            "Un atelier en préparation ne peut pas être publié : démarrez-le d'abord, "
            "le public verra alors son territoire, ses étapes et son équipe."
        )
    return ""


def atelier_publier(*, atelier: Atelier, by: Any, publie: bool) -> Atelier:
    """Show the atelier's territory on the public site (or withdraw it).

    Only the pilote and the DGALN may do it, and only once the atelier has started: an
    atelier still in preparation has nothing to show yet. The public pages and exports
    are invalidated at once. Publishing twice is a no-op, not an error.
    """
    require_perm(by, "ateliers.publish_atelier", atelier)
    if publie and (refusal := publication_refusal(atelier)):
        raise TransitionError(refusal)
    with transaction.atomic():
        changed = Atelier.objects.filter(pk=atelier.pk, publie=not publie).update(
            publie=publie, publie_le=timezone.now() if publie else None
        )
        if changed:
            atelier.refresh_from_db(fields=["publie", "publie_le"])
            audit(
                by=by,
                obj=atelier,
                action=Action.ATELIER_PUBLIE if publie else Action.ATELIER_DEPUBLIE,
                summary=_("Publié sur le site public") if publie else _("Retiré du site public"),
            )
    if changed:
        invalidate_public_cache()
    return atelier


def atelier_modifier_equipe(
    *,
    atelier: Atelier,
    by: Any,
    equipe_nom: str,
    contrat_debut: dt.date | None,
    contrat_fin: dt.date | None,
) -> Atelier:
    """Set the team's name and contract dates (the end cannot precede the start)."""
    require_perm(by, "ateliers.manage_atelier", atelier)
    if contrat_debut and contrat_fin and contrat_fin < contrat_debut:
        raise ValidationError(
            _("La fin du contrat (%(fin)s) précède son début (%(debut)s).")
            % {
                "fin": format_date(contrat_fin, "SHORT_DATE_FORMAT"),
                "debut": format_date(contrat_debut, "SHORT_DATE_FORMAT"),
            }
        )
    with transaction.atomic():
        Atelier.objects.filter(pk=atelier.pk).update(
            equipe_nom=equipe_nom, contrat_debut=contrat_debut, contrat_fin=contrat_fin
        )
        atelier.equipe_nom, atelier.contrat_debut, atelier.contrat_fin = (
            equipe_nom,
            contrat_debut,
            contrat_fin,
        )
        audit(
            by=by,
            obj=atelier,
            action=Action.ATELIER_EQUIPE_MODIFIEE,
            summary=_("Équipe et contrat mis à jour"),
        )
        invalidate_public_cache()
    return atelier


# --- Stages ---------------------------------------------------------------------------------


def _check_dates(debut: dt.datetime, fin: dt.datetime | None, *, nouvelle: bool) -> None:
    if fin is not None and fin < debut:
        raise ValidationError(
            {"fin": _("La fin (%(fin)s) précède le début (%(debut)s).") % _fmt_dates(debut, fin)}
        )
    if nouvelle and debut < timezone.now():
        raise ValidationError(
            {
                "debut": _(
                    "Le %(debut)s est déjà passé : une nouvelle date doit être dans le futur."
                )
                % {"debut": _fmt(debut)}
            }
        )


def _check_atelier_actif(atelier: Atelier) -> None:
    if atelier.statut not in (Atelier.Statut.EN_PREPARATION, Atelier.Statut.EN_COURS):
        raise TransitionError(
            _("L'atelier est %(etat)s : son calendrier ne change plus.")
            % {"etat": atelier.get_statut_display().lower()}
        )


def _fmt(value: dt.datetime) -> str:
    return format_date(value, "SHORT_DATETIME_FORMAT")


def _fmt_dates(debut: dt.datetime, fin: dt.datetime) -> dict:
    return {"debut": _fmt(debut), "fin": _fmt(fin)}


def _notifier(etape: Etape, evenement: str) -> None:
    from ateliers.tasks import notifier_etape

    etape_id = etape.pk
    # The key names this change (the date announced, and a random part): a redelivered task
    # finds its e-mails recorded under it and sends nothing, while any later change of the
    # same stage, even back to the same date, has its own key and is sent.
    debut = f"{etape.debut:%Y%m%d%H%M}" if etape.debut else "sans-date"
    cle = f"{debut}-{uuid.uuid4().hex}"
    enqueue(notifier_etape, etape_id, evenement, cle)


def etape_planifier(
    *,
    etape: Etape,
    by: Any,
    debut: dt.datetime,
    fin: dt.datetime | None = None,
    lieu: str = "",
    titre: str | None = None,
) -> Etape:
    """Schedule or reschedule a planned stage; participants get an e-mail with an .ics.

    The new date must be in the future when it changes; the end may not precede the start.
    """
    require_perm(by, "ateliers.edit_etapes", etape.atelier)
    _check_atelier_actif(etape.atelier)
    if etape.statut != Etape.Statut.PREVUE:
        raise TransitionError(
            _("« %(etape)s » est %(etat)s : sa date ne peut plus changer.")
            % {"etape": etape, "etat": etape.get_statut_display().lower()}
        )
    change = etape.debut != debut or etape.fin != fin
    _check_dates(debut, fin, nouvelle=change)
    evenement = "planifiee" if etape.debut is None else "deplacee"
    ancien = etape.debut
    with transaction.atomic():
        etape.debut, etape.fin, etape.lieu = debut, fin, lieu
        fields = ["debut", "fin", "lieu"]
        if titre is not None:
            etape.titre = titre
            fields.append("titre")
        etape.save(update_fields=fields)
        summary = (
            _("Planifiée le %(debut)s") % {"debut": _fmt(debut)}
            if ancien is None
            else _("Déplacée du %(avant)s au %(apres)s")
            % {"avant": _fmt(ancien), "apres": _fmt(debut)}
        )
        audit(
            by=by,
            obj=etape,
            action=Action.ETAPE_PLANIFIEE if ancien is None else Action.ETAPE_DEPLACEE,
            summary=summary,
        )
        if change:
            _notifier(etape, evenement)
    return etape


def etape_ajouter_inter_atelier(
    *,
    atelier: Atelier,
    by: Any,
    titre: str,
    debut: dt.datetime,
    fin: dt.datetime | None = None,
    lieu: str = "",
) -> Etape:
    """Add an inter-atelier (a working session between two workshops), in the future."""
    require_perm(by, "ateliers.edit_etapes", atelier)
    _check_atelier_actif(atelier)
    _check_dates(debut, fin, nouvelle=True)
    with transaction.atomic():
        # Placed after the stages that start before it, so the timeline stays in date order.
        avant = atelier.etapes.filter(debut__lte=debut).aggregate(m=Max("ordre"))["m"] or 0
        etape = Etape.objects.create(
            atelier=atelier,
            nature=NatureEtape.INTER_ATELIER,
            titre=titre,
            ordre=avant + 1,
            debut=debut,
            fin=fin,
            lieu=lieu,
        )
        Livrable.objects.create(etape=etape, nature=NatureLivrable.COMPTE_RENDU, obligatoire=False)
        audit(
            by=by,
            obj=etape,
            action=Action.ETAPE_AJOUTEE,
            summary=_("Inter-atelier ajouté le %(debut)s") % {"debut": _fmt(debut)},
        )
        _notifier(etape, "planifiee")
    return etape


def etape_annuler(*, etape: Etape, by: Any, motif: str) -> Etape:
    """Cancel a planned stage with a reason; participants are told by e-mail (.ics CANCEL)."""
    require_perm(by, "ateliers.edit_etapes", etape.atelier)
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": _("Indiquez le motif de l'annulation.")})
    with transaction.atomic():
        transition(
            obj=etape,
            to=Etape.Statut.ANNULEE,
            by=by,
            action=Action.ETAPE_ANNULEE,
            summary=motif,
            updates={"motif_annulation": motif},
        )
        if etape.debut is not None:
            _notifier(etape, "annulee")
    return etape


def etape_replanifier(
    *,
    etape: Etape,
    by: Any,
    debut: dt.datetime | None = None,
    fin: dt.datetime | None = None,
    lieu: str | None = None,
) -> Etape:
    """Put a cancelled stage back to "prévue"; participants get the invitation again (.ics).

    Without ``debut`` the stage keeps its date (and end), which must still be in the future;
    a stage whose date is past or was never set needs a new one. ``lieu`` None keeps the place.
    """
    require_perm(by, "ateliers.edit_etapes", etape.atelier)
    _check_atelier_actif(etape.atelier)
    if etape.statut != Etape.Statut.ANNULEE:
        raise TransitionError(
            _("« %(etape)s » est %(etat)s, pas annulée : il n'y a rien à rétablir.")
            % {"etape": etape, "etat": etape.get_statut_display().lower()}
        )
    if debut is None:
        if etape.debut is None:
            raise ValidationError({"debut": _("Indiquez la date à laquelle l'étape aura lieu.")})
        if etape.debut < timezone.now():
            raise ValidationError(
                {
                    "debut": _(
                        "La date prévue (%(debut)s) est passée : indiquez une nouvelle date."
                    )
                    % {"debut": _fmt(etape.debut)}
                }
            )
        debut, fin = etape.debut, (etape.fin if fin is None else fin)
    _check_dates(debut, fin, nouvelle=True)
    lieu = etape.lieu if lieu is None else lieu
    with transaction.atomic():
        transition(
            obj=etape,
            to=Etape.Statut.PREVUE,
            by=by,
            action=Action.ETAPE_REPLANIFIEE,
            summary=_("Rétablie, prévue le %(debut)s") % {"debut": _fmt(debut)},
            updates={"debut": debut, "fin": fin, "lieu": lieu, "motif_annulation": ""},
        )
        _notifier(etape, "planifiee")
    return etape


def livrables_manquants(etape: Etape) -> list[Livrable]:
    """Required deliverables of ``etape`` not provided yet (uses prefetched rows if any)."""
    a_des_sites = None
    manquants = []
    for livrable in etape.livrables.all():
        if not livrable.obligatoire or livrable.fourni:
            continue
        if livrable.nature == NatureLivrable.SITES_DEMONSTRATEURS:
            if a_des_sites is None:
                a_des_sites = etape.atelier.sites_demonstrateurs.exists()
            if a_des_sites:
                continue
        manquants.append(livrable)
    return manquants


def realisation_refusal(etape: Etape) -> str:
    """Why ``etape`` may not be marked done now ("" when it may): the atelier must be
    running, the stage dated and past, its required deliverables provided (named)."""
    if etape.atelier.statut != Atelier.Statut.EN_COURS:
        return _("L'atelier n'est pas en cours : démarrez-le avant de marquer une étape réalisée.")
    if etape.debut is None:
        return _("« %(etape)s » n'a pas de date : planifiez-la avant de la marquer réalisée.") % {
            "etape": etape
        }
    if etape.debut > timezone.now():
        return _(
            "« %(etape)s » est prévue le %(debut)s : elle ne peut pas encore être réalisée."
        ) % {"etape": etape, "debut": _fmt(etape.debut)}
    manquants = livrables_manquants(etape)
    if manquants:
        noms = ", ".join(f"« {livrable.get_nature_display()} »" for livrable in manquants)
        return _(
            "« %(etape)s » ne peut pas être marquée réalisée : il manque le livrable "
            "obligatoire %(noms)s. Déposez-le depuis la page de l'étape."
        ) % {"etape": etape, "noms": noms}
    return ""


def etape_marquer_realisee(*, etape: Etape, by: Any, resume: str = "") -> Etape:
    """Mark a stage done; refused while a required deliverable is missing (named)."""
    require_perm(by, "ateliers.edit_etapes", etape.atelier)
    if refusal := realisation_refusal(etape):
        raise TransitionError(refusal)
    updates = {"resume": resume} if resume else {}
    transition(
        obj=etape,
        to=Etape.Statut.REALISEE,
        by=by,
        action=Action.ETAPE_REALISEE,
        summary=_("Étape réalisée"),
        updates=updates,
    )
    invalidate_public_cache()  # the stages held are listed on the territory page
    return etape


def presences_enregistrer(*, etape: Etape, by: Any, presents: set[int]) -> int:
    """Record who attended ``etape``: the participations in ``presents`` are present, the
    others of the atelier absent. Returns the number present."""
    require_perm(by, "ateliers.edit_etapes", etape.atelier)
    if etape.statut == Etape.Statut.ANNULEE:
        raise TransitionError(_("Cette étape est annulée : pas de présences à enregistrer."))
    if etape.debut is None or etape.debut > timezone.now():
        raise TransitionError(
            _("Les présences s'enregistrent une fois l'étape tenue, pas avant qu'elle ait lieu.")
        )
    participations = list(
        Participation.objects.filter(atelier_id=etape.atelier_id).values_list("pk", flat=True)
    )
    inconnus = set(presents) - set(participations)
    if inconnus:
        raise ValidationError(_("Une des personnes cochées ne participe pas à cet atelier."))
    with transaction.atomic():
        existantes = {p.participation_id: p for p in etape.presences.all()}
        a_creer, a_maj = [], []
        for pk in participations:
            present = pk in presents
            ligne = existantes.get(pk)
            if ligne is None:
                if present:
                    a_creer.append(Presence(etape=etape, participation_id=pk, present=True))
            elif ligne.present != present:
                ligne.present = present
                a_maj.append(ligne)
        Presence.objects.bulk_create(a_creer)
        Presence.objects.bulk_update(a_maj, ["present"])
        audit(
            by=by,
            obj=etape,
            action=Action.ETAPE_PRESENCES_ENREGISTREES,
            summary=_("%(n)s présent·es enregistré·es") % {"n": len(presents)},
        )
    return len(presents)


# --- Documents ------------------------------------------------------------------------------


def document_deposer(
    *,
    atelier: Atelier,
    by: Any,
    fichier: UploadedFile,
    titre: str,
    categorie: str,
    etape: Etape | None = None,
    livrable: Livrable | None = None,
    precedent: Document | None = None,
    publie: bool = False,
) -> Document:
    """Store an uploaded document (checked by content), optionally as a new version of
    ``precedent`` and/or as the deliverable ``livrable`` of its stage."""
    require_perm(by, "ateliers.upload_document", atelier)
    checked = uploads.check_upload(fichier)
    if etape is not None and etape.atelier_id != atelier.pk:
        raise ValidationError({"etape": _("Cette étape n'appartient pas à l'atelier.")})
    if livrable is not None:
        if etape is None:
            etape = livrable.etape
        if livrable.etape_id != etape.pk or etape.atelier_id != atelier.pk:
            raise ValidationError({"livrable": _("Ce livrable n'appartient pas à cette étape.")})
        acceptes = TYPES_PAR_LIVRABLE.get(livrable.nature, DOCUMENTS_ECRITS)
        if checked.mime not in acceptes:
            formats = ", ".join(sorted(uploads.LABELS[m] for m in acceptes))
            raise ValidationError(
                {
                    "fichier": _(
                        "« %(nom)s » est un fichier %(type)s : le livrable « %(livrable)s » "
                        "doit être au format %(formats)s."
                    )
                    % {
                        "nom": checked.name,
                        "type": uploads.LABELS[checked.mime],
                        "livrable": livrable.get_nature_display(),
                        "formats": formats,
                    }
                }
            )
    if precedent is not None and precedent.atelier_id != atelier.pk:
        raise ValidationError(_("Ce document n'appartient pas à l'atelier."))
    for _essai in range(3):
        try:
            with uploads.storing_files() as files:
                document = _creer_document(
                    files=files,
                    atelier=atelier,
                    by=by,
                    fichier=fichier,
                    checked=checked,
                    titre=titre,
                    categorie=categorie,
                    etape=etape,
                    precedent=precedent,
                    publie=publie,
                )
                if livrable is not None:
                    Livrable.objects.filter(pk=livrable.pk).update(document=document)
                    livrable.document = document
                audit(
                    by=by,
                    obj=document,
                    action=Action.DOCUMENT_DEPOSE,
                    summary=_("%(titre)s, version %(v)s")
                    % {"titre": document.titre, "v": document.version},
                )
            return document
        except IntegrityError:
            # Two people uploading a new version at once: the unique (serie, version) makes
            # the second one retry with the next number instead of overwriting history (the
            # file the failed attempt stored is gone with it).
            continue
    raise ValidationError(_("Le document vient d'être modifié ; réessayez."))


def _creer_document(
    *, files, atelier, by, fichier, checked, titre, categorie, etape, precedent, publie
):
    if precedent is not None:
        serie = precedent.serie or precedent
        # A new version joins its series' publication (publishing it publishes the series).
        if publie:
            serie_of(serie).update(publie=True)
        else:
            publie = serie_publiee(serie)
        derniere = serie.versions.aggregate(m=Max("version"))["m"] or serie.version
        version = max(derniere, serie.version) + 1
        etape = etape or precedent.etape
        categorie = categorie or precedent.categorie
        titre = titre or precedent.titre
    else:
        serie, version = None, 1
    document = Document(
        atelier=atelier,
        etape=etape,
        categorie=categorie,
        titre=titre,
        serie=serie,
        version=version,
        depose_par=by,
        publie=publie,
    )
    files.store(document, fichier, checked)
    document.save()
    if precedent is not None:
        # The deliverable follows the newest version of its document.
        Livrable.objects.filter(Q(document=serie) | Q(document__serie=serie)).update(
            document=document
        )
    return document


def document_publier(*, document: Document, by: Any, publie: bool) -> Document:
    """Make a document visible outside the atelier (or hide it again): the whole series of
    its versions, never one version on its own."""
    require_perm(by, "ateliers.manage_atelier", document.atelier)
    with transaction.atomic():
        serie_of(document).update(publie=publie)
        document.publie = publie
        audit(
            by=by,
            obj=document,
            action=Action.DOCUMENT_PUBLIE if publie else Action.DOCUMENT_DEPUBLIE,
            summary=str(document),
        )
    return document


# --- Logbook and sites ----------------------------------------------------------------------


def _check_journal(*, atelier: Atelier, texte: str, date: dt.date, etape: Etape | None) -> None:
    if not (texte or "").strip():
        raise ValidationError({"texte": _("L'entrée est vide.")})
    if etape is not None and etape.atelier_id != atelier.pk:
        raise ValidationError({"etape": _("Cette étape n'appartient pas à l'atelier.")})
    if date > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"date": _("Une entrée du cahier ne peut pas être datée du futur.")})


def journal_ecrire(
    *, atelier: Atelier, by: Any, texte: str, date: dt.date, etape: Etape | None = None
) -> EntreeJournal:
    """Add a logbook entry (Markdown, rendered sanitised on display)."""
    require_perm(by, "ateliers.write_journal", atelier)
    _check_journal(atelier=atelier, texte=texte, date=date, etape=etape)
    return EntreeJournal.objects.create(
        atelier=atelier, etape=etape, auteur=by, date=date, texte=texte
    )


def _journal_refusal(entree: EntreeJournal) -> str:
    if entree.retiree_le is not None:
        return _("Cette entrée a été retirée du cahier de suivi.")
    return ""


def journal_entree_modifier(
    *, entree: EntreeJournal, by: Any, texte: str, date: dt.date, etape: Etape | None = None
) -> EntreeJournal:
    """Edit a logbook entry: only its author, while they may write in the logbook. The
    earlier text is kept (RevisionJournal) and shown as the entry's history; audited."""
    atelier = entree.atelier
    require_perm(by, "ateliers.write_journal", atelier)
    if entree.auteur_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Seul l'auteur d'une entrée peut la modifier."))
    if refusal := _journal_refusal(entree):
        raise TransitionError(refusal)
    _check_journal(atelier=atelier, texte=texte, date=date, etape=etape)
    if (texte, date, etape) == (entree.texte, entree.date, entree.etape):
        return entree
    with transaction.atomic():
        locked = EntreeJournal.objects.select_for_update().get(pk=entree.pk)
        if locked.retiree_le is not None:
            raise TransitionError(_("Cette entrée a été retirée du cahier de suivi."))
        RevisionJournal.objects.create(
            entree=locked,
            date=locked.date,
            texte=locked.texte,
            ecrit_le=locked.modifiee_le or locked.cree_le,
        )
        EntreeJournal.objects.filter(pk=entree.pk).update(
            texte=texte, date=date, etape=etape, modifiee_le=timezone.now()
        )
        entree.refresh_from_db()
        audit(
            by=by,
            obj=entree,
            action=Action.JOURNAL_ENTREE_MODIFIEE,
            summary=_("Entrée du %(date)s modifiée ; le texte précédent est conservé.")
            % {"date": format_date(date)},
            atelier=atelier,
        )
    return entree


def journal_entree_retirer(*, entree: EntreeJournal, by: Any, motif: str) -> EntreeJournal:
    """Remove a logbook entry with a reason: its author, or the pilote / DGALN (moderation).

    The entry stays in the thread as « retirée le … : <motif> », its content hidden from
    the logbook and the carnet de suivi; audited."""
    atelier = entree.atelier
    auteur = entree.auteur_id == getattr(by, "pk", None) and by.has_perm(
        "ateliers.write_journal", atelier
    )
    if not auteur:
        require_perm(by, "ateliers.manage_atelier", atelier)
    motif = (motif or "").strip()
    if not motif:
        raise ValidationError({"motif": _("Dites pourquoi l'entrée est retirée.")})
    with transaction.atomic():
        count = EntreeJournal.objects.filter(pk=entree.pk, retiree_le__isnull=True).update(
            retiree_le=timezone.now(), retiree_par=by, motif_retrait=motif
        )
        if count != 1:
            raise TransitionError(_("Cette entrée a été retirée du cahier de suivi."))
        entree.refresh_from_db()
        audit(
            by=by,
            obj=entree,
            action=Action.JOURNAL_ENTREE_RETIREE,
            summary=motif[:200],
            atelier=atelier,
        )
    return entree


def site_creer(
    *, atelier: Atelier, by: Any, nom: str, description: str, geometrie: Any
) -> SiteDemonstrateur:
    """Add a demonstrator site: a point or perimeter in France (GeoJSON, checked).

    Refused beyond ``ATELIER_SITES_MAX`` sites or ``ATELIER_SITES_MAX_SOMMETS`` vertices for
    the atelier: every map of the atelier carries them all.
    """
    require_perm(by, "ateliers.upload_document", atelier)
    geometrie = parse_geojson(geometrie)
    with transaction.atomic():
        # The atelier row is the lock: two simultaneous additions cannot both pass the caps.
        Atelier.objects.select_for_update().filter(pk=atelier.pk).first()
        existants = list(
            SiteDemonstrateur.objects.filter(atelier=atelier).values_list("geometrie", flat=True)
        )
        if len(existants) >= settings.ATELIER_SITES_MAX:
            raise ValidationError(
                _(
                    "Cet atelier a déjà %(n)s sites démonstrateurs, le maximum : supprimez-en un avant d'en ajouter un autre."
                )
                % {"n": len(existants)}
            )
        sommets = sum(geometry_vertex_count(g) for g in existants)
        nouveaux = geometry_vertex_count(geometrie)
        if sommets + nouveaux > settings.ATELIER_SITES_MAX_SOMMETS:
            raise ValidationError(
                {
                    "geometrie": _(
                        "Ce tracé compte %(nouveaux)s sommets et les sites de l'atelier en ont déjà %(sommets)s : au-delà de %(max)s au total, les cartes deviendraient trop lourdes. Simplifiez le tracé (moins de points) ou supprimez un site."
                    )
                    % {
                        "nouveaux": nouveaux,
                        "sommets": sommets,
                        "max": settings.ATELIER_SITES_MAX_SOMMETS,
                    }
                }
            )
        site = SiteDemonstrateur.objects.create(
            atelier=atelier, nom=nom, description=description, geometrie=geometrie
        )
        audit(by=by, obj=site, action=Action.SITE_AJOUTE, summary=nom)
    return site


def site_supprimer(*, site: SiteDemonstrateur, by: Any) -> None:
    """Remove a demonstrator site (audited)."""
    require_perm(by, "ateliers.manage_atelier", site.atelier)
    with transaction.atomic():
        audit(by=by, obj=site, action=Action.SITE_SUPPRIME, summary=site.nom)
        site.delete()


# --- Calendar links -------------------------------------------------------------------------


def jeton_calendrier_creer(*, by: Any, atelier: Atelier | None = None) -> JetonCalendrier:
    """Give ``by`` a new secret feed URL (for one atelier, or personal when None).

    A previous active link of the same scope is revoked: one live URL per scope, so that
    "generate a new link" is also how someone shuts out a leaked one.
    """
    if atelier is not None:
        require_perm(by, "ateliers.view_atelier", atelier)
    with transaction.atomic():
        JetonCalendrier.objects.filter(
            utilisateur=by, atelier=atelier, revoque_le__isnull=True
        ).update(revoque_le=timezone.now())
        return JetonCalendrier.objects.create(
            utilisateur=by, atelier=atelier, jeton=secrets.token_urlsafe(32)
        )


def jeton_calendrier_revoquer(*, jeton: JetonCalendrier, by: Any) -> None:
    """Revoke a feed URL; only its owner can."""
    if jeton.utilisateur_id != by.pk:
        raise PermissionDenied(_("Ce lien d'abonnement ne vous appartient pas."))
    JetonCalendrier.objects.filter(pk=jeton.pk, revoque_le__isnull=True).update(
        revoque_le=timezone.now()
    )


# --- Notifications (called by the Celery task) ----------------------------------------------


def etape_notifier(*, etape_id: int, evenement: str, cle: str = "") -> int:
    """E-mail the atelier's participants about a scheduled, moved or cancelled stage, with an
    .ics attachment. Returns the number of e-mails sent by this call (0 when the stage is
    gone, or when every e-mail of this ``cle`` already went).

    With a ``cle``, each e-mail is recorded (``NotificationEtape``) in the transaction that
    sends it, before sending: a second delivery of the same task, even concurrent, finds the
    row (or waits for it, then finds it) and skips that person; a failed send rolls its row
    back, so the retry sends it. Without a key nothing is recorded (nothing to tell a
    redelivery from a new change).
    """
    from ateliers import calendrier

    etape = Etape.objects.select_related("atelier__territoire").filter(pk=etape_id).first()
    if etape is None or etape.debut is None:
        return 0
    annulee = etape.statut == Etape.Statut.ANNULEE
    if (evenement == "annulee") != annulee:
        # Undone before the task ran: the cancellation was lifted, or the stage announced was
        # cancelled since (that change sends its own e-mail).
        return 0
    emails = sorted(
        {
            e
            for e in Participation.objects.filter(atelier_id=etape.atelier_id).values_list(
                "acteur__email", flat=True
            )
            if e
        }
    )
    if not emails:
        return 0
    from atelier.emails import send_once

    ics = calendrier.ics_invitation(etape, annulation=evenement == "annulee")
    # One message per person: participants do not see each other's addresses. A person
    # already e-mailed by an earlier (or concurrent) delivery of this task is skipped.
    return sum(
        send_once(
            record=(
                lambda email=email: NotificationEtape.objects.create(
                    etape=etape, evenement=evenement, cle=cle, email=email
                )
            )
            if cle
            else None,
            template=f"ateliers/emails/etape_{evenement}",
            to=[email],
            context={"etape": etape, "atelier": etape.atelier},
            attachments=[("etape.ics", ics, "text/calendar; charset=utf-8")],
        )
        for email in emails
    )


# --- Account closure ---------------------------------------------------------------------------

# The free text people type in an atelier's records (none of them sealed), with the path to
# the atelier: where a closed account's name gives way to its pseudonym.
TEXTES_LIBRES = (
    (Atelier, ("resume",), "pk"),
    (Etape, ("resume", "motif_annulation"), "atelier_id"),
    (Document, ("titre",), "atelier_id"),
    (EntreeJournal, ("texte", "motif_retrait"), "atelier_id"),
    (RevisionJournal, ("texte",), "entree__atelier_id"),
    (SiteDemonstrateur, ("description",), "atelier_id"),
    (
        FicheCapitalisation,
        ("reussites", "obstacles", "conditions_reussite", "pratiques_transferables", "motif_revue"),
        "atelier_id",
    ),
)


def texts_names_replace(*, paires: list[tuple[str, str]]) -> set[int]:
    """Closing an account: in the free text of the ateliers (presentation, stage summaries
    and minutes, document titles, logbook entries and their earlier texts, sites, lessons),
    each name of ``paires`` (``journal.services.name_pairs``) gives way to its pseudonym,
    where it stands as a whole word. Returns the ateliers whose text named the person: their
    generated PDFs are rendered again (called by ``feuilles_de_route``'s closure, which needs
    them). Runs inside the closure's transaction."""
    return texts_names_rewrite(textes=TEXTES_LIBRES, paires=paires)
