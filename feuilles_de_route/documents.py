"""The one mechanism of the PDFs the platform generates: the restitution report (``Rapport``),
the carnet de suivi (``CarnetDeSuivi``) and the national synthesis (``Synthese``).

Each is a :class:`~feuilles_de_route.models.DocumentGenere` described here by a
:class:`Genre` (how to render it, where to store it, which audit codes it writes). The steps
are the same for all three: a worker claims the document (``en_attente`` → ``en_cours``),
renders it, hashes the PDF, has the platform sign the hash (reports and syntheses), stores
the file and marks it ready (``pret``) — or failed (``echec``) with a message. A document
with a deadline (the report) that outlives it is stuck: the watchdog queues it again, and
"Relancer" is offered.

When a person the document names closes their account, :func:`document_rerender` renders
it again from the pseudonymised data, replaces the file (the old one, which holds the name,
is deleted) and keeps the old hash, its seal and its key in an
:class:`~feuilles_de_route.models.EmpreinteRemplacee`: /verifier/<old hash>/ still answers.
What is owed is recorded with the closure (:class:`~feuilles_de_route.models.RegenerationDue`)
and settled only by a render that began after the closure committed; a failed re-render is
tried again by the watchdog, a bounded number of times, then shown to DGALN.

Writes follow services.py's rules: conditional updates through ``atelier.workflow`` and an
audit row for every change.
"""

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier import signing
from atelier.cache import invalidate_public_cache
from atelier.uploads import delete_file_on_commit, storing_files
from atelier.workflow import TransitionError, transition
from journal.models import Action as AuditAction
from journal.services import audit
from outbox.models import PendingTask
from outbox.services import enqueue, is_waiting

from . import canonical
from .models import (
    CarnetDeSuivi,
    DocumentGenere,
    EmpreinteRemplacee,
    Rapport,
    RegenerationDue,
    Synthese,
)

logger = logging.getLogger(__name__)

# A document queued or started counts as stuck this long after the task's hard time limit.
MARGE = dt.timedelta(seconds=60)
# Renders interrupted this many times (a worker killed each time): the document fails instead.
INTERRUPTIONS_MAX = 3


@dataclass(frozen=True)
class Genre:
    """What differs between the kinds of generated documents."""

    model: type[DocumentGenere]
    # The seal's nature (atelier/signing.py) and the name the re-render task carries.
    nature: str
    scelle: bool
    # Audit codes: render started, ready, failed.
    commence: str
    pret: str
    echec: str
    # The PDF of a document, and where it is stored (given its hash).
    render: Callable[[Any], bytes]
    chemin: Callable[[Any, str], str]
    related: tuple[str, ...] = ()
    # Whether the document has a deadline (``echeance``) past which it is stuck.
    echeance: bool = False

    def atelier(self, document: Any) -> Any:
        """The atelier the audit row is filed under (none for a national synthesis)."""
        return getattr(document, "atelier", None)

    def task(self) -> Any:
        from . import tasks

        return {
            "rapport": tasks.generate_rapport,
            "carnet": tasks.generate_carnet,
            "synthese": tasks.generate_synthese,
        }[self.nature]


def _render_rapport(rapport: Rapport) -> bytes:
    from .rendering import render_rapport_pdf

    return render_rapport_pdf(rapport)


def _render_carnet(carnet: CarnetDeSuivi) -> bytes:
    from .rendering import render_carnet_pdf

    return render_carnet_pdf(carnet)


def _render_synthese(synthese: Synthese) -> bytes:
    from atelier.pdf import render_pdf

    from .syntheses import synthese_html

    return render_pdf(synthese_html(synthese))


RAPPORT = Genre(
    model=Rapport,
    nature="rapport",
    scelle=True,
    commence=AuditAction.RAPPORT_RENDU_COMMENCE,
    pret=AuditAction.RAPPORT_PRET,
    echec=AuditAction.RAPPORT_ECHOUE,
    render=_render_rapport,
    chemin=lambda r, digest: f"rapports/{r.atelier_id}/rapport-{r.pk}-{digest[:12]}.pdf",
    related=("atelier", "version"),
    echeance=True,
)
CARNET = Genre(
    model=CarnetDeSuivi,
    nature="carnet",
    scelle=False,
    commence=AuditAction.CARNET_RENDU_COMMENCE,
    pret=AuditAction.CARNET_PRET,
    echec=AuditAction.CARNET_ECHEC,
    render=_render_carnet,
    chemin=lambda c, digest: f"carnets/{c.atelier_id}/carnet-{c.numero}-{digest[:12]}.pdf",
    related=("atelier",),
)
SYNTHESE = Genre(
    model=Synthese,
    nature="synthese",
    scelle=True,
    commence=AuditAction.SYNTHESE_RENDU_COMMENCE,
    pret=AuditAction.SYNTHESE_PRETE,
    echec=AuditAction.SYNTHESE_ECHEC,
    render=_render_synthese,
    chemin=lambda s, digest: f"syntheses/synthese-{s.pk}-v{s.numero}-{digest[:12]}.pdf",
)
GENRES = {g.nature: g for g in (RAPPORT, CARNET, SYNTHESE)}


def echeance() -> dt.datetime:
    """The deadline of a document queued or started now (ATELIER_TASK_TIME_LIMIT + a margin)."""
    return timezone.now() + dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + MARGE


def queue(genre: Genre, document_id: int) -> PendingTask:
    """Owe the render through the outbox: a broker down at commit loses no request."""
    return enqueue(genre.task(), document_id)


def _seal(genre: Genre, digest: str) -> dict[str, str]:
    if not genre.scelle:
        return {}
    cle, valeur = signing.sign(genre.nature, digest)
    return {"sceau_cle": cle, "sceau_signature": valeur}


def document_generate(*, genre: Genre, document_id: int) -> None:
    """Render, hash, seal and store a document, then mark it ready. Idempotent; completes a
    render left by a dead worker.

    ``en_attente`` → ``en_cours`` → ``pret`` (or ``echec``). A document found ``en_cours``
    was being rendered by a worker that died (acks_late re-delivered the task): render it
    again — unless it has a deadline not yet past (another delivery is rendering it; the
    watchdog takes over if that worker died). A ready or failed document is left alone.
    """
    model = genre.model
    document = model.objects.select_related(*genre.related).filter(pk=document_id).first()
    if document is None or document.statut in (model.Statut.PRET, model.Statut.ECHEC):
        return
    if (
        genre.echeance
        and document.statut == model.Statut.EN_COURS
        and document.echeance
        and not document.bloque
    ):
        return
    updates: dict[str, Any] = {"tentatives": F("tentatives") + 1}
    if genre.echeance:
        updates["echeance"] = echeance()
    try:
        transition(
            obj=document,
            to=model.Statut.EN_COURS,
            by=None,
            action=genre.commence,
            atelier=genre.atelier(document),
            updates=updates,
        )
    except TransitionError:
        return  # another delivery claimed it first
    # Read before the data: the closures committed by now are in what this render shows, so
    # the re-renders they owe are settled by it; one committing later is not (its own task
    # re-renders). A timestamp would not do: a closure stamped before this render began may
    # commit after the render has read the name.
    dues = _dues_seen(genre, document_id)
    debut = timezone.now()
    try:
        pdf = genre.render(document)
    except Exception as exc:
        logger.exception("%s %s : échec du rendu", genre.nature, document_id)
        document_fail(
            genre=genre,
            document_id=document_id,
            message=_("Le rendu du PDF a échoué : %(e)s") % {"e": type(exc).__name__},
        )
        return
    digest = canonical.sha256_bytes(pdf)
    sceau = _seal(genre, digest)
    # A failed transition takes the stored PDF with it (no file without its row).
    with storing_files() as files:
        current = model.objects.select_for_update().get(pk=document_id)
        if current.statut != model.Statut.EN_COURS:
            return  # another delivery finished first
        name = files.save(genre.chemin(document, digest), ContentFile(pdf))
        updates = {
            "fichier": name,
            "empreinte": digest,
            **sceau,
            "taille": len(pdf),
            "genere_le": debut,
            "erreur": "",
        }
        if genre.echeance:
            updates["echeance"] = None
        transition(
            obj=current,
            to=model.Statut.PRET,
            by=None,
            action=genre.pret,
            summary=_("PDF de %(t)s octets, empreinte %(h)s.") % {"t": len(pdf), "h": digest},
            atelier=genre.atelier(document),
            updates=updates,
        )
        _dues_settle(dues)


def document_fail(*, genre: Genre, document_id: int, message: str) -> None:
    """Mark a render under way as failed, with the message the pilote reads."""
    document = genre.model.objects.select_related(*genre.related).get(pk=document_id)
    if document.statut != genre.model.Statut.EN_COURS:
        return
    updates: dict[str, Any] = {"erreur": message}
    if genre.echeance:
        updates["echeance"] = None
    with contextlib.suppress(TransitionError):
        transition(
            obj=document,
            to=genre.model.Statut.ECHEC,
            by=None,
            action=genre.echec,
            summary=message,
            atelier=genre.atelier(document),
            updates=updates,
        )


def document_retry(*, genre: Genre, document: Any, by: Any, action: str) -> None:
    """Put a failed document back in the queue (the caller checked the permission)."""
    updates: dict[str, Any] = {"erreur": ""}
    if genre.echeance:
        updates["echeance"] = echeance()
    transition(
        obj=document,
        to=genre.model.Statut.EN_ATTENTE,
        by=by,
        action=action,
        atelier=genre.atelier(document),
        updates=updates,
    )
    queue(genre, document.pk)


def document_requeue(
    *, genre: Genre, document: Any, by: Any, action: str, summary: str = ""
) -> bool:
    """Queue again a document stuck past its deadline; False if someone else just did."""
    model = genre.model
    with transaction.atomic():
        count = model.objects.filter(
            pk=document.pk, statut=document.statut, echeance=document.echeance
        ).update(statut=model.Statut.EN_ATTENTE, echeance=echeance(), erreur="")
        if count != 1:
            if by is None:
                return False
            raise TransitionError(
                _("« %(obj)s » vient d'être modifié par quelqu'un d'autre ; rechargez la page.")
                % {"obj": document}
            )
        audit(
            by=by,
            obj=document,
            action=action,
            from_state=document.statut,
            to_state=model.Statut.EN_ATTENTE,
            summary=summary,
            atelier=genre.atelier(document),
        )
        queue(genre, document.pk)
    return True


def documents_watchdog(*, genre: Genre, requeued: str) -> int:
    """Queue again the documents of ``genre`` stuck past their deadline (audit ``requeued``).

    A document whose task still waits in the outbox (broker unreachable) is not stuck: it
    goes when the broker is back. One interrupted ``INTERRUPTIONS_MAX`` times fails (its
    render kills the worker?), and can be relaunched by hand. Returns the documents handled.
    """
    model = genre.model
    handled = 0
    stuck = model.objects.select_related(*genre.related).filter(
        statut__in=(model.Statut.EN_ATTENTE, model.Statut.EN_COURS),
        echeance__lt=timezone.now(),
    )
    for document in stuck:
        if is_waiting(genre.task(), document.pk):
            continue
        if document.statut == model.Statut.EN_COURS and document.tentatives >= INTERRUPTIONS_MAX:
            message = _("Le rendu a été interrompu %(n)s fois : relancez-le.") % {
                "n": document.tentatives
            }
            with contextlib.suppress(TransitionError):
                transition(
                    obj=document,
                    to=model.Statut.ECHEC,
                    by=None,
                    action=genre.echec,
                    summary=message,
                    atelier=genre.atelier(document),
                    updates={"erreur": message, "echeance": None},
                )
                handled += 1
            continue
        summary = (
            _("Rendu interrompu (tentative %(n)s) : remis en file.") % {"n": document.tentatives}
            if document.statut == model.Statut.EN_COURS
            else _("Demande perdue par le broker : remise en file.")
        )
        if document_requeue(
            genre=genre, document=document, by=None, action=requeued, summary=summary
        ):
            handled += 1
    return handled


def document_publish(
    *, genre: Genre, document: Any, by: Any, publier: bool, publie: str, depublie: str
) -> bool:
    """Show (or withdraw) a ready document (the caller checked the permission). False if it
    already was."""
    model = genre.model
    if publier and document.statut != model.Statut.PRET:
        raise TransitionError(_("Seul un document prêt peut être publié."))
    with transaction.atomic():
        count = model.objects.filter(
            pk=document.pk, publie=not publier, statut=model.Statut.PRET
        ).update(publie=publier)
        if count != 1:
            return False
        audit(
            by=by,
            obj=document,
            action=publie if publier else depublie,
            summary=document.empreinte,
            atelier=genre.atelier(document),
        )
        invalidate_public_cache()
    document.publie = publier
    return True


# --- Re-render after an account closure ------------------------------------------------------

# Failed or interrupted re-renders before one is left to DGALN (shown on /gestion/), and the
# wait before the watchdog tries again after a failure (doubled each time).
REGENERATIONS_MAX = 5
REGENERATION_DELAI = dt.timedelta(minutes=5)


class DocumentEnCours(Exception):
    """The document is being rendered: the re-render waits for it (the task retries)."""


def rerender_queue(*, documents: list[Any]) -> int:
    """Owe a re-render of each document (not a failed one: it has no file, and relaunching
    it renders fresh data), run by the worker: the closure does not wait for WeasyPrint.

    Call it in the closure's transaction: the :class:`RegenerationDue` it records commits
    with the closure, so the re-render outlives a lost task, a failed render or a crash
    (:func:`regenerations_watchdog`), and a render that began before that commit cannot
    pass for one made from the pseudonymised data (see :func:`document_generate`)."""
    count = 0
    now = timezone.now()
    for document in documents:
        if document.statut == DocumentGenere.Statut.ECHEC:
            continue
        genre = _genre_of(document)
        RegenerationDue.objects.update_or_create(
            nature=genre.nature,
            document_id=document.pk,
            defaults={
                "statut": RegenerationDue.Statut.EN_ATTENTE,
                "demandee_le": now,
                "tentatives": 0,
                "erreur": "",
                "relance_le": echeance(),
            },
        )
        _queue_rerender(genre, document.pk)
        count += 1
    return count


def _queue_rerender(genre: Genre, document_id: int) -> PendingTask:
    from .tasks import rerender_document

    return enqueue(rerender_document, genre.nature, document_id)


def _genre_of(document: Any) -> Genre:
    return next(g for g in GENRES.values() if isinstance(document, g.model))


def _dues_seen(genre: Genre, document_id: int) -> list[tuple[int, dt.datetime]]:
    """The re-renders owed to a document by closures already committed (visible here)."""
    return list(
        RegenerationDue.objects.filter(nature=genre.nature, document_id=document_id).values_list(
            "pk", "demandee_le"
        )
    )


def _dues_settle(dues: list[tuple[int, dt.datetime]]) -> None:
    """A render that began after these closures committed shows their pseudonyms: the
    re-renders they owed are done (not one a later closure asked again meanwhile)."""
    for pk, demandee_le in dues:
        RegenerationDue.objects.filter(pk=pk, demandee_le=demandee_le).delete()


def document_rerender(*, genre: Genre, document_id: int, depuis: dt.datetime | None = None) -> bool:
    """Render a ready document again from today's data, because a person it may name closed
    their account (a :class:`RegenerationDue` is owed). Replaces the file (the old one is
    deleted after the commit), the hash and the seal; keeps the old hash, its seal and its
    key as an :class:`EmpreinteRemplacee` naming the new hash, writes the audit row and
    settles what was owed. Idempotent: nothing owed (done since, by this task or by a render
    that began after the closure committed), nothing done. Returns whether the file was
    replaced.

    A render that fails is recorded on what is owed (attempts, error, audit row); the
    watchdog tries again later, ``REGENERATIONS_MAX`` times at most, then leaves it failed
    for DGALN to see. Raises :class:`DocumentEnCours` while the document is queued or
    rendering: that render may have begun before the closure, so the task tries again.

    ``depuis`` comes with tasks queued before re-renders were recorded: a document generated
    before it is owed one.
    """
    model = genre.model
    due = RegenerationDue.objects.filter(nature=genre.nature, document_id=document_id).first()
    document = model.objects.select_related(*genre.related).filter(pk=document_id).first()
    legacy = (
        due is None
        and depuis is not None
        and document is not None
        and document.statut == model.Statut.PRET
        and (document.genere_le is None or document.genere_le < depuis)
    )
    if legacy:
        due, _created = RegenerationDue.objects.get_or_create(
            nature=genre.nature, document_id=document_id, defaults={"relance_le": echeance()}
        )
    if due is None or due.statut != RegenerationDue.Statut.EN_ATTENTE:
        return False
    if document is None or document.statut == model.Statut.ECHEC:
        # No file left that could name anyone; relaunching a failed one renders fresh data.
        _dues_settle([(due.pk, due.demandee_le)])
        return False
    if document.statut != model.Statut.PRET:
        raise DocumentEnCours(f"{genre.nature} {document_id}")
    # Claim the attempt; past its deadline the watchdog counts it as interrupted.
    claimed = RegenerationDue.objects.filter(
        pk=due.pk, statut=due.statut, tentatives=due.tentatives
    ).update(tentatives=F("tentatives") + 1, relance_le=echeance())
    if claimed != 1:
        return False  # another delivery is at it
    due.tentatives += 1
    ancienne = document.empreinte
    debut = timezone.now()
    try:
        pdf = genre.render(document)
    except Exception as exc:
        logger.exception("%s %s : échec du re-rendu", genre.nature, document_id)
        # The exception's type only: its message may quote the data, hence the name.
        _regeneration_fail(genre=genre, document=document, due=due, cause=type(exc).__name__)
        return False
    digest = canonical.sha256_bytes(pdf)
    if digest == ancienne:
        _dues_settle([(due.pk, due.demandee_le)])
        return False  # the very same file: nothing in it changed
    sceau = _seal(genre, digest)
    with storing_files() as files:
        current = model.objects.select_for_update().get(pk=document_id)
        if current.statut != model.Statut.PRET or current.empreinte != ancienne:
            return False  # another delivery replaced it first
        name = files.save(genre.chemin(document, digest), ContentFile(pdf))
        model.objects.filter(pk=document_id, empreinte=ancienne).update(
            fichier=name, empreinte=digest, taille=len(pdf), genere_le=debut, **sceau
        )
        EmpreinteRemplacee.objects.create(
            nature=genre.nature,
            document_id=document_id,
            empreinte=ancienne,
            sceau_signature=getattr(current, "sceau_signature", ""),
            sceau_cle=getattr(current, "sceau_cle", ""),
            genere_le=current.genere_le,
            nouvelle_empreinte=digest,
            remplacee_le=timezone.now(),
            motif=EmpreinteRemplacee.Motif.CLOTURE_COMPTE,
        )
        _dues_settle([(due.pk, due.demandee_le)])
        # The old PDF names the person: it goes once the new one is committed.
        delete_file_on_commit(current.fichier)
        audit(
            by=None,
            obj=current,
            action=AuditAction.DOCUMENT_REGENERE,
            summary=_(
                "Une personne nommée a clos son compte : PDF régénéré. Empreinte %(a)s "
                "remplacée par %(n)s (l'ancienne reste vérifiable, son fichier est supprimé)."
            )
            % {"a": ancienne, "n": digest},
            atelier=genre.atelier(document),
        )
        if current.publie:
            invalidate_public_cache()
    return True


def _regeneration_fail(*, genre: Genre, document: Any, due: RegenerationDue, cause: str) -> None:
    """Record a failed (or interrupted) re-render and its audit row: tried again after a
    while, or, after ``REGENERATIONS_MAX`` attempts, left failed for DGALN."""
    abandon = due.tentatives >= REGENERATIONS_MAX
    if abandon:
        message = _(
            "Régénération abandonnée après %(n)s tentatives (%(c)s) : le fichier actuel peut "
            "encore nommer la personne qui a clos son compte ; la DGALN la voit sur /gestion/."
        ) % {"n": due.tentatives, "c": cause}
        updates: dict[str, Any] = {"statut": RegenerationDue.Statut.ECHEC}
    else:
        relance = timezone.now() + REGENERATION_DELAI * 2 ** (due.tentatives - 1)
        message = _(
            "Régénération échouée (tentative %(n)s sur %(m)s : %(c)s) ; l'ancien fichier reste "
            "en place, nouvel essai à partir de %(h)s."
        ) % {
            "n": due.tentatives,
            "m": REGENERATIONS_MAX,
            "c": cause,
            "h": timezone.localtime(relance).strftime("%H:%M"),
        }
        updates = {"relance_le": relance}
    with transaction.atomic():
        count = RegenerationDue.objects.filter(
            pk=due.pk,
            demandee_le=due.demandee_le,
            statut=RegenerationDue.Statut.EN_ATTENTE,
            tentatives=due.tentatives,
        ).update(erreur=message, **updates)
        if count != 1:
            return  # asked again by another closure, or handled meanwhile
        audit(
            by=None,
            obj=document,
            action=AuditAction.DOCUMENT_REGENERATION_ECHOUEE,
            summary=message,
            atelier=genre.atelier(document),
        )


def regeneration_requeue(*, regeneration: RegenerationDue, by: Any) -> None:
    """Try again, from its first attempt, a re-render that failed for good (the caller
    checked the permission)."""
    genre = GENRES[regeneration.nature]
    document = genre.model.objects.filter(pk=regeneration.document_id).first()
    with transaction.atomic():
        count = RegenerationDue.objects.filter(
            pk=regeneration.pk, statut=RegenerationDue.Statut.ECHEC
        ).update(
            statut=RegenerationDue.Statut.EN_ATTENTE,
            tentatives=0,
            erreur="",
            relance_le=echeance(),
        )
        if count != 1:
            raise TransitionError(_("Cette régénération n'est pas en échec : rien à relancer."))
        if document is not None:
            audit(
                by=by,
                obj=document,
                action=AuditAction.DOCUMENT_REGENERATION_RELANCEE,
                from_state=RegenerationDue.Statut.ECHEC,
                to_state=RegenerationDue.Statut.EN_ATTENTE,
                atelier=genre.atelier(document),
            )
        _queue_rerender(genre, regeneration.document_id)


def regenerations_watchdog() -> int:
    """Queue again the re-renders owed whose time has come (their task was lost, failed, or
    its worker died): the beat runs it with the reports' watchdog. One interrupted
    ``REGENERATIONS_MAX`` times is left failed, like one that failed that often. A task still
    waiting in the outbox (broker unreachable) goes when the broker is back. Returns the
    re-renders handled."""
    from .tasks import rerender_document

    handled = 0
    dues = RegenerationDue.objects.filter(
        statut=RegenerationDue.Statut.EN_ATTENTE, relance_le__lt=timezone.now()
    )
    for due in dues:
        genre = GENRES.get(due.nature)
        if genre is None or is_waiting(rerender_document, due.nature, due.document_id):
            continue
        if due.tentatives >= REGENERATIONS_MAX:
            document = genre.model.objects.filter(pk=due.document_id).first()
            if document is None:
                _dues_settle([(due.pk, due.demandee_le)])
            else:
                _regeneration_fail(
                    genre=genre, document=document, due=due, cause=_("rendu interrompu")
                )
            handled += 1
            continue
        with transaction.atomic():
            count = RegenerationDue.objects.filter(
                pk=due.pk, relance_le=due.relance_le, statut=RegenerationDue.Statut.EN_ATTENTE
            ).update(relance_le=echeance())
            if count == 1:
                _queue_rerender(genre, due.document_id)
                handled += 1
    return handled
