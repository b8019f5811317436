"""Reads for calls and candidatures (public pages, the applicant, the back-office)."""

from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acteurs.permissions import is_dgaln
from appels.models import AppelACandidatures, Avis, Candidature, DocumentAppel, NoteCritere
from appels.permissions import peut_acceder_gestion_candidatures
from atelier.requetes import colonne, compte, jointure
from ateliers.models import SessionNationale

VISIBLES = (
    AppelACandidatures.Statut.PUBLIE,
    AppelACandidatures.Statut.CLOS,
    AppelACandidatures.Statut.DECIDE,
)


def appels_publics() -> tuple[list[AppelACandidatures], list[AppelACandidatures]]:
    """(open calls, past calls) — a published call whose deadline passed counts as past."""
    now = timezone.now()
    appels = list(
        AppelACandidatures.objects.filter(statut__in=VISIBLES, ouverture__lte=now)
        .select_related("session")
        .order_by("-ouverture")
    )
    ouverts, passes = [], []
    for appel in appels:
        ouvert = appel.statut == AppelACandidatures.Statut.PUBLIE and (
            appel.cloture is None or appel.cloture > now
        )
        appel.est_ouvert = ouvert
        (ouverts if ouvert else passes).append(appel)
    return ouverts, passes


def appels_a_venir() -> list[AppelACandidatures]:
    """Published calls whose opening is still ahead, soonest first (shown « À venir »)."""
    appels = list(
        AppelACandidatures.objects.filter(
            statut=AppelACandidatures.Statut.PUBLIE, ouverture__gt=timezone.now()
        )
        .select_related("session")
        .order_by("ouverture")
    )
    for appel in appels:
        appel.a_venir = True
    return appels


def appel_public(*, slug: str) -> AppelACandidatures:
    """A call the public may read: published once, never a draft (404 otherwise)."""
    appel = (
        AppelACandidatures.objects.filter(slug=slug, statut__in=VISIBLES)
        .select_related("session")
        .prefetch_related("questions", "pieces_requises", "documents")
        .first()
    )
    if appel is None:
        raise Http404
    return appel


def document_appel_pour(*, user: Any, slug: str, pk: int) -> DocumentAppel:
    """A call's file: anyone's once the call is published, DGALN's only while it is a draft
    (404 otherwise, so that a draft call's files do not leak)."""
    document = DocumentAppel.objects.select_related("appel").filter(pk=pk, appel__slug=slug).first()
    if document is None:
        raise Http404
    if document.appel.statut not in VISIBLES and not is_dgaln(user):
        raise Http404
    return document


def brouillon_de(*, appel: AppelACandidatures, user: Any) -> Candidature | None:
    """The user's latest candidature to this call, if any."""
    return (
        Candidature.objects.filter(appel=appel, auteur=user)
        .prefetch_related("pieces_jointes")
        .order_by("-cree_le")
        .first()
    )


def candidatures_de(*, user: Any) -> QuerySet[Candidature]:
    return Candidature.objects.filter(auteur=user).select_related("appel").order_by("-cree_le")


def get_candidature_for_author(*, pk: int, user: Any) -> Candidature:
    candidature = (
        Candidature.objects.select_related("appel", "region", "departement")
        .prefetch_related("pieces_jointes", "appel__questions", "appel__pieces_requises")
        .filter(pk=pk, auteur=user)
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if candidature is None:
        raise Http404
    return candidature


@lru_cache(maxsize=4)
def _sql_moyenne(alias: str) -> str:
    """The mean of every mark given on the outer candidature, as a correlated subquery
    written once per process from the models' tables (see ``atelier.requetes.compte``)."""
    q = connections[alias].ops.quote_name
    c, avis, note = Candidature._meta, Avis._meta, NoteCritere._meta
    # Only table and column names from the models go into the text.
    return (
        f"SELECT AVG(n.{colonne(alias, note, 'note')}) FROM {q(note.db_table)} n"  # noqa: S608
        f" INNER JOIN {q(avis.db_table)} a ON a.{q(avis.pk.column)} = n.{colonne(alias, note, 'avis')}"
        f" WHERE a.{colonne(alias, avis, 'candidature')} = {q(c.db_table)}.{q(c.pk.column)}"
    )


@lru_cache(maxsize=64)
def _sql_rapporteurs(alias: str, nombre: int) -> str:
    from django.contrib.auth import get_user_model

    q = connections[alias].ops.quote_name
    lien = Candidature.rapporteurs.through._meta
    utilisateur = get_user_model()._meta
    comptes = _jointure_rapporteurs(alias)
    candidature = colonne(alias, lien, "candidature")
    # The accounts' own order (Meta.ordering), as candidature.rapporteurs.all() gives them.
    ordre = [
        f"t0.{colonne(alias, utilisateur, nom.lstrip('-'))}{' DESC' if nom.startswith('-') else ''}"
        for nom in utilisateur.ordering
    ]
    # Only table and column names from the models go into the text; the ids are parameters.
    return (
        f"SELECT r.{candidature}, {comptes.colonnes} FROM {comptes.tables}"  # noqa: S608
        f" INNER JOIN {q(lien.db_table)} r ON r.{colonne(alias, lien, 'utilisateur')}"
        f" = t0.{q(utilisateur.pk.column)}"
        f" WHERE r.{candidature} IN ({', '.join(['%s'] * nombre)})"
        f" ORDER BY {', '.join([*ordre, f't0.{q(utilisateur.pk.column)}'])}"
    )


def _jointure_rapporteurs(alias: str):
    from django.contrib.auth import get_user_model

    return jointure(
        get_user_model(), (), alias, seulement=(("", ("first_name", "last_name", "email")),)
    )


def rapporteurs_affiches(candidatures: list[Candidature]) -> None:
    """Give each of ``candidatures`` (a page of the back-office list) its reviewers as a list,
    ``rapporteurs_affiches``, in the accounts' order (as on a candidature's page): their names
    and addresses, read by one statement written once per process (through
    ``prefetch_related``, a tenth of the list's time went into building the same query for
    each page)."""
    par_candidature: dict[int, list] = {c.pk: [] for c in candidatures}
    if par_candidature:
        alias = candidatures[0]._state.db or Candidature.objects.db
        comptes = _jointure_rapporteurs(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(_sql_rapporteurs(alias, len(par_candidature)), list(par_candidature))
            lignes = cursor.fetchall()
        for ligne, rapporteur in zip(
            lignes, comptes.instances([ligne[1:] for ligne in lignes]), strict=True
        ):
            par_candidature[ligne[0]].append(rapporteur)
    for c in candidatures:
        c.rapporteurs_affiches = par_candidature[c.pk]


def candidatures_gestion(*, user: Any) -> QuerySet[Candidature]:
    """Submitted candidatures the user may instruct: all for DGALN, their own assignments for
    a rapporteur. Drafts stay private to their author.

    Each has its ``moyenne`` (the mean of every mark, None without any), ``nb_avis`` and
    ``nb_rapporteurs``, by subqueries written once per process (built as ``Subquery``
    expressions, they were compiled anew on every request, most of the time the back-office
    list spent on its query); the queryset is not meant to be nested in another query (its
    subqueries name the outer table)."""
    alias = Candidature.objects.db
    qs = (
        Candidature.objects.exclude(statut=Candidature.Statut.BROUILLON)
        .select_related("appel__session", "region", "departement", "auteur")
        .prefetch_related("rapporteurs")
        .annotate(
            moyenne=RawSQL(_sql_moyenne(alias), (), output_field=FloatField()),  # noqa: S611
            nb_avis=compte(Avis, "candidature", alias=alias),
            nb_rapporteurs=compte(Candidature.rapporteurs.through, "candidature", alias=alias),
        )
        .order_by("-deposee_le", "-pk")
    )
    if is_dgaln(user):
        return qs.annotate(voit_les_avis=Value(True))
    # A reviewer sees the others' marks only once they have given their own.
    return qs.filter(rapporteurs=user).annotate(
        voit_les_avis=Exists(Avis.objects.filter(candidature=OuterRef("pk"), rapporteur=user))
    )


def voit_tous_les_avis(user: Any, candidature: Candidature) -> bool:
    """DGALN sees every opinion; a reviewer sees the others' only after giving their own,
    so that each judges independently."""
    if is_dgaln(user):
        return True
    return any(a.rapporteur_id == user.pk for a in candidature.avis.all())


def avis_visibles(user: Any, candidature: Candidature) -> list[Avis]:
    """The opinions ``user`` may read (uses the prefetched opinions)."""
    avis = list(candidature.avis.all())
    if voit_tous_les_avis(user, candidature):
        return avis
    return [a for a in avis if a.rapporteur_id == user.pk]


def score_pondere(avis: Avis, criteres: list[Any]) -> float | None:
    """One reviewer's marks weighted by the criteria's weights, out of 5."""
    notes = {n.critere_id: n.note for n in avis.notes.all()}
    total = sum(c.poids for c in criteres if c.pk in notes)
    if not total:
        return None
    return sum(c.poids * notes[c.pk] for c in criteres if c.pk in notes) / total


def evaluation(candidature: Candidature, avis: list[Avis]) -> dict[str, Any]:
    """Weighted score (the mean of each reviewer's weighted score), the spread between the
    reviewers (highest minus lowest weighted score) and the opinions received / expected."""
    criteres = list(candidature.appel.criteres.all())
    scores = [s for a in avis if (s := score_pondere(a, criteres)) is not None]
    return {
        "score": round(sum(scores) / len(scores), 2) if scores else None,
        "ecart": round(max(scores) - min(scores), 2) if len(scores) > 1 else None,
        "scores": scores,
        "recus": len(candidature.avis.all()),
        "attendus": len(candidature.rapporteurs.all()),
    }


AVIS_PREFETCH = Prefetch(
    "avis",
    queryset=Avis.objects.select_related("rapporteur").prefetch_related(
        Prefetch("notes", queryset=NoteCritere.objects.select_related("critere"))
    ),
)


def classement(*, appel: AppelACandidatures) -> list[tuple[Candidature, dict[str, Any]]]:
    """The call's candidatures still in the running or decided, best weighted score first
    (unmarked ones last). DGALN's view: every opinion counts."""
    candidatures = (
        Candidature.objects.filter(appel=appel)
        .exclude(
            statut__in=(
                Candidature.Statut.BROUILLON,
                Candidature.Statut.IRRECEVABLE,
                Candidature.Statut.RETIREE,
            )
        )
        .select_related("appel", "departement")
        .prefetch_related("rapporteurs", "appel__criteres", AVIS_PREFETCH)
    )
    rows = [(c, evaluation(c, list(c.avis.all()))) for c in candidatures]
    rows.sort(key=lambda row: (row[1]["score"] is None, -(row[1]["score"] or 0), row[0].pk))
    return rows


def comptes_par_statut(qs: QuerySet[Candidature]) -> list[tuple[str, str, int]]:
    counts = dict(
        qs.order_by()
        .values_list("statut")
        .annotate(n=Count("pk", distinct=True))
        .values_list("statut", "n")
    )
    return [
        (value, label, counts.get(value, 0))
        for value, label in Candidature.Statut.choices
        if value != Candidature.Statut.BROUILLON
    ]


def get_candidature_for_instruction(*, pk: int, user: Any) -> Candidature:
    """The full candidature for DGALN or one of its rapporteurs; 404 for anyone else, so that
    the existence of a candidature does not leak."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied
    candidature = (
        Candidature.objects.exclude(statut=Candidature.Statut.BROUILLON)
        .select_related("appel__session", "region", "departement", "auteur", "territoire")
        .prefetch_related(
            "rapporteurs",
            "pieces_jointes__piece_requise",
            "pieces_jointes__question",
            "appel__questions",
            "appel__pieces_requises",
            "appel__criteres",
            AVIS_PREFETCH,
        )
        .filter(pk=pk)
        .first()
    )
    if candidature is None or not user.has_perm("appels.review_candidature", candidature):
        raise Http404
    return candidature


def moyenne(candidature: Candidature) -> float | None:
    """Mean of every mark of every opinion (uses the prefetched opinions)."""
    notes = [n.note for a in candidature.avis.all() for n in a.notes.all()]
    return round(sum(notes) / len(notes), 2) if notes else None


def moyennes_par_critere(candidature: Candidature) -> list[tuple[Any, float | None]]:
    par_critere: dict[int, list[int]] = {}
    for avis in candidature.avis.all():
        for note in avis.notes.all():
            par_critere.setdefault(note.critere_id, []).append(note.note)
    return [
        (c, round(sum(v) / len(v), 2) if (v := par_critere.get(c.pk)) else None)
        for c in candidature.appel.criteres.all()
    ]


def appels_gestion() -> QuerySet[AppelACandidatures]:
    return (
        AppelACandidatures.objects.select_related("session")
        .annotate(
            nb_candidatures=Count("candidatures", filter=~Q(candidatures__statut="brouillon")),
            nb_brouillons=Count("candidatures", filter=Q(candidatures__statut="brouillon")),
        )
        .order_by("-ouverture")
    )


def sessions_gestion() -> QuerySet[SessionNationale]:
    return SessionNationale.objects.annotate(
        nb_appels=Count("appels", distinct=True), nb_ateliers=Count("ateliers", distinct=True)
    ).order_by("-annee_debut", "titre")


def get_appel_gestion(*, pk: int) -> AppelACandidatures:
    appel = (
        AppelACandidatures.objects.select_related("session")
        .prefetch_related("questions", "pieces_requises", "criteres", "documents")
        .filter(pk=pk)
        .first()
    )
    if appel is None:
        raise Http404
    return appel


def appels_ouverts():
    """Published calls open now (à-la-carte calls have no closing date)."""
    now = timezone.now()
    return (
        AppelACandidatures.objects.filter(
            statut=AppelACandidatures.Statut.PUBLIE, ouverture__lte=now
        )
        .filter(Q(cloture__isnull=True) | Q(cloture__gt=now))
        .select_related("session")
        .order_by("cloture", "-ouverture")
    )


def contribution_espace(*, user: Any, today: Any) -> dict[str, Any]:
    """For « Mon espace »: my candidatures, and whether I instruct some."""
    return {
        "candidatures": list(
            Candidature.objects.filter(auteur=user).select_related("appel").order_by("-id")
        ),
        "instruit_candidatures": peut_acceder_gestion_candidatures(user),
    }


def contact_suggestion(candidature: Candidature) -> dict[str, Any]:
    """What the DDT/DREAL contact typed in a candidature suggests for the pilote: the vetted
    State agent with that address, if any, and the warnings DGALN must read before choosing
    (the contact is the applicant's own address, or is no known agent)."""
    from acteurs.models import AgentEtat

    email = (candidature.contact_etat_email or "").strip()
    alertes = []
    agent = None
    if email and candidature.auteur_id and candidature.auteur.email.lower() == email.lower():
        alertes.append(
            "L'adresse du contact DDT/DREAL est celle du candidat lui-même : ce n'est pas "
            "une désignation de l'État."
        )
    elif email:
        agent = (
            AgentEtat.objects.actifs()
            .select_related("utilisateur", "service")
            .filter(utilisateur__email__iexact=email)
            .first()
        )
        if agent is None:
            alertes.append(
                "Le contact DDT/DREAL n'est pas un agent de l'État vérifié : choisissez le "
                "pilote parmi les agents vérifiés, ou vérifiez d'abord son compte."
            )
    return {"agent": agent, "alertes": alertes}


def contribution_donnees_personnelles(*, user: Any) -> dict[str, Any]:
    """For the personal data export: my candidatures, and the reviews I gave."""
    return {
        "Candidatures": [
            {
                "appel": c.appel.titre,
                "territoire": c.territoire_nom,
                "porteur": c.porteur,
                "statut": c.get_statut_display(),
                "contact DDT/DREAL": f"{c.contact_etat_nom} <{c.contact_etat_email}>",
                "créée le": timezone.localtime(c.cree_le).isoformat(timespec="seconds"),
                "pièces jointes": [p.nom_original for p in c.pieces_jointes.all()],
            }
            for c in Candidature.objects.filter(auteur=user)
            .select_related("appel")
            .prefetch_related("pieces_jointes")
        ],
        "Avis de rapporteur": [
            {
                "candidature": str(a.candidature),
                "commentaire": a.commentaire,
                "donné le": timezone.localtime(a.cree_le).isoformat(timespec="seconds"),
            }
            for a in Avis.objects.filter(rapporteur=user).select_related("candidature")
        ],
    }


# The steps of the applicant's timeline, in order; a decided or withdrawn file ends it.
ETAPES_CHRONOLOGIE = (
    (Candidature.Statut.DEPOSEE, _("Déposée")),
    (Candidature.Statut.RECEVABLE, _("Recevable")),
    (Candidature.Statut.EN_INSTRUCTION, _("En instruction")),
    ("decision", _("Décision")),
)
DECISIONS = (
    Candidature.Statut.RETENUE,
    Candidature.Statut.NON_RETENUE,
    Candidature.Statut.IRRECEVABLE,
    Candidature.Statut.RETIREE,
)


def chronologie(candidature: Candidature) -> list[dict[str, Any]]:
    """The applicant's timeline: each step with its date once reached (from the audit trail
    of the candidature's transitions), the steps still ahead without one."""
    from django.contrib.contenttypes.models import ContentType

    from journal.models import EvenementAudit

    dates = dict(
        EvenementAudit.objects.filter(
            content_type=ContentType.objects.get_for_model(Candidature),
            object_id=str(candidature.pk),
        )
        .exclude(etat_apres="")
        .order_by("quand")
        .values_list("etat_apres", "quand")
    )
    if candidature.deposee_le:
        dates.setdefault(Candidature.Statut.DEPOSEE, candidature.deposee_le)
    fin = next((s for s in DECISIONS if s in dates), None)
    rows = []
    for statut, libelle in ETAPES_CHRONOLOGIE:
        if statut == "decision":
            if fin is not None:
                label = Candidature.Statut(fin).label
                rows.append({"libelle": label, "date": dates[fin], "atteinte": True, "fin": fin})
            else:
                rows.append({"libelle": libelle, "date": None, "atteinte": False, "fin": None})
            continue
        if fin is not None and statut not in dates:
            continue  # a step skipped by an irrecevable or withdrawn file
        rows.append(
            {
                "libelle": libelle,
                "date": dates.get(statut),
                "atteinte": statut in dates,
                "fin": None,
            }
        )
    return rows
