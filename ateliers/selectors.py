"""Reads for the atelier workspace and the DGALN overview of all ateliers."""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from acteurs.models import Acteur, Organisation, Participation, Presence, Role
from acteurs.permissions import retenir_roles

# Registers the ateliers.* rules (rules only autodiscovers ``rules.py``).
from atelier.requetes import ID_MAX, ID_MIN, Jointure, colonne, compte, jointure, precharger
from ateliers import permissions as _permissions  # noqa: F401
from ateliers.formats import FORMATS, NatureLivrable, spec
from ateliers.models import (
    Atelier,
    Document,
    EntreeJournal,
    Etape,
    Livrable,
    RevisionJournal,
    SiteDemonstrateur,
)

logger = logging.getLogger("atelier.securite")

STATUTS_ACTIFS = (Atelier.Statut.EN_PREPARATION, Atelier.Statut.EN_COURS)


# What every workspace page shows of its atelier besides the atelier itself.
RELATIONS_DE_L_ATELIER = ("territoire", "territoire__region", "session", "service_pilote")


@lru_cache(maxsize=4)
def _sql_atelier(alias: str) -> tuple[str, Jointure]:
    """The atelier, what it shows (``RELATIONS_DE_L_ATELIER``) and the reader's role there
    (one participation at most per person and atelier), as one statement written once per
    process: through the ORM (``select_related``, a ``Subquery``) it was built and compiled on
    every page, 2.5 ms of a workspace page's 25 to 35 on PostgreSQL."""
    j = jointure(Atelier, RELATIONS_DE_L_ATELIER, alias)
    q = connections[alias].ops.quote_name
    p, a = Participation._meta, Acteur._meta

    def col(meta, nom):
        return colonne(alias, meta, nom)

    # Only the models' table and column names go into the text; values are parameters.
    role = (
        f"(SELECT lp.{col(p, 'role')} FROM {q(p.db_table)} lp"  # noqa: S608
        f" INNER JOIN {q(a.db_table)} la ON la.{q(a.pk.column)} = lp.{col(p, 'acteur')}"
        f" WHERE lp.{col(p, 'atelier')} = t0.{q(Atelier._meta.pk.column)}"
        f" AND la.{col(a, 'utilisateur')} = %s LIMIT 1)"
    )
    sql = (
        f"SELECT {j.colonnes}, {role} FROM {j.tables}"  # noqa: S608
        f" WHERE t0.{q(Atelier._meta.pk.column)} = %s"
    )
    return sql, j


def _lire_atelier(pk: Any, user: Any) -> Atelier | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not ID_MIN <= pk <= ID_MAX:
        return None  # as the ORM: no row can hold it
    alias = router.db_for_read(Atelier)
    sql, j = _sql_atelier(alias)
    lecteur = user.pk if getattr(user, "is_authenticated", False) else None
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [lecteur, pk])
        ligne = cursor.fetchone()
    if ligne is None:
        return None
    atelier = j.instance(ligne)
    atelier.role_du_lecteur = ligne[len(j)]
    return atelier


def get_atelier_for_user(user: Any, pk: int, perm: str | None = None) -> Atelier:
    """The atelier ``pk`` for a view of its workspace; the one access check every view uses.

    404 when ``user`` may not see it (its existence is private), logged as one line;
    with ``perm``, 403 when the user sees the atelier but lacks that right.
    """
    atelier = _lire_atelier(pk, user)
    connecte = getattr(user, "is_authenticated", False)
    if atelier is not None and connecte:
        # The user's role, read with the atelier: the permission checks that follow need no
        # query of their own.
        role = atelier.role_du_lecteur
        retenir_roles(user, atelier.pk, {role} if role else set())
    if atelier is None or not user.has_perm("ateliers.view_atelier", atelier):
        logger.warning("acces_refuse_404 user=%s atelier=%s", getattr(user, "pk", None), pk)
        raise Http404
    if perm is not None and not user.has_perm(perm, atelier):
        raise PermissionDenied
    return atelier


# --- Progress against the format's expected duration ---------------------------------------


def ajouter_mois(jour: dt.date, mois: int) -> dt.date:
    """``jour`` plus ``mois`` months (31 January + 1 month: the last day of February)."""
    return jour + relativedelta(months=mois)


@dataclass(frozen=True)
class Avancement:
    debut: dt.date | None
    fin_attendue: dt.date | None
    pourcentage: int
    mois_ecoules: int
    duree_min: int
    duree_max: int
    en_retard: bool
    jours_de_retard: int


def fin_attendue(atelier: Atelier) -> dt.date | None:
    if atelier.date_fin_prevue:
        return atelier.date_fin_prevue
    if atelier.date_debut:
        return ajouter_mois(atelier.date_debut, spec(atelier.format).duree_max_mois)
    return None


def avancement(atelier: Atelier, aujourd_hui: dt.date | None = None) -> Avancement:
    """How far along the atelier is; late when still running after its expected end."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    s = spec(atelier.format)
    fin = fin_attendue(atelier)
    debut = atelier.date_debut
    if debut is None or fin is None:
        return Avancement(debut, fin, 0, 0, s.duree_min_mois, s.duree_max_mois, False, 0)
    reference = atelier.date_fin or aujourd_hui
    total = max((fin - debut).days, 1)
    ecoule = max((reference - debut).days, 0)
    ecart = relativedelta(reference, debut)
    mois = ecart.years * 12 + ecart.months
    en_retard = atelier.statut in STATUTS_ACTIFS and aujourd_hui > fin
    return Avancement(
        debut=debut,
        fin_attendue=fin,
        pourcentage=min(100, round(100 * ecoule / total)),
        mois_ecoules=max(mois, 0),
        duree_min=s.duree_min_mois,
        duree_max=s.duree_max_mois,
        en_retard=en_retard,
        jours_de_retard=(aujourd_hui - fin).days if en_retard else 0,
    )


def retard_q(aujourd_hui: dt.date | None = None) -> Q:
    """The same "late" rule as :func:`avancement`, as a filter on Atelier."""
    aujourd_hui = aujourd_hui or timezone.localdate()
    sans_fin_prevue = Q()
    for code, s in FORMATS.items():
        # debut + duree_max < today  <=>  debut < today - duree_max
        limite = ajouter_mois(aujourd_hui, -s.duree_max_mois)
        sans_fin_prevue |= Q(format=code, date_debut__lt=limite)
    return Q(statut__in=STATUTS_ACTIFS) & (
        Q(date_fin_prevue__lt=aujourd_hui)
        | (Q(date_fin_prevue__isnull=True, date_debut__isnull=False) & sans_fin_prevue)
    )


def livrables_manquants_q() -> Q:
    """Required deliverables not provided, on stages already past and not cancelled."""
    return (
        Q(obligatoire=True, document__isnull=True, etape__debut__lt=timezone.now())
        & ~Q(etape__statut=Etape.Statut.ANNULEE)
        & ~Q(
            nature=NatureLivrable.SITES_DEMONSTRATEURS,
            etape__atelier__sites_demonstrateurs__isnull=False,
        )
    )


# --- Stages, attendance, team ---------------------------------------------------------------


@lru_cache(maxsize=4)
def _sql_etapes(alias: str) -> tuple[tuple[str, Jointure], tuple[str, Jointure]]:
    """The statements of :func:`etapes`, written once per process: the stages (only the
    columns the pages read) with their number of people present, and the atelier's
    deliverables."""
    q = connections[alias].ops.quote_name
    e, p, lv = Etape._meta, Presence._meta, Livrable._meta
    champs = ("atelier", "nature", "titre", "debut", "lieu", "statut", "motif_annulation")
    j_etapes = jointure(Etape, (), alias, (("", champs),))
    j_livrables = jointure(Livrable, (), alias)
    # Only the models' table and column names go into the text; values are parameters.
    presents = (
        f"(SELECT COUNT(*) FROM {q(p.db_table)} pr"  # noqa: S608
        f" WHERE pr.{colonne(alias, p, 'etape')} = t0.{q(e.pk.column)}"
        f" AND pr.{colonne(alias, p, 'present')} = %s)"
    )
    return (
        (
            f"SELECT {j_etapes.colonnes}, {presents} FROM {j_etapes.tables}"  # noqa: S608
            f" WHERE t0.{colonne(alias, e, 'atelier')} = %s"
            f" ORDER BY t0.{colonne(alias, e, 'ordre')}, t0.{colonne(alias, e, 'debut')},"
            f" t0.{q(e.pk.column)}",
            j_etapes,
        ),
        (
            f"SELECT {j_livrables.colonnes} FROM {j_livrables.tables}"  # noqa: S608
            f" INNER JOIN {q(e.db_table)} et"
            f" ON et.{q(e.pk.column)} = t0.{colonne(alias, lv, 'etape')}"
            f" WHERE et.{colonne(alias, e, 'atelier')} = %s ORDER BY t0.{q(lv.pk.column)}",
            j_livrables,
        ),
    )


def etapes(atelier: Atelier) -> list[Etape]:
    """The atelier's stages in order, with ``nb_presents`` and their deliverables read
    (``etape.livrables.all()`` runs no query, as ``prefetch_related`` leaves it), in two
    queries.

    Only the columns the timeline, the stages table and the upload form read, by statements
    written once per process (:func:`_sql_etapes`): through the ORM, the count and the
    deliverables' prefetch over forty stages were built and compiled on each of the three
    pages that show them (overview, « Étapes », « Documents »)."""
    alias = router.db_for_read(Etape)
    (sql_etapes, j_etapes), (sql_livrables, j_livrables) = _sql_etapes(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql_etapes, [True, atelier.pk])
        lignes = cursor.fetchall()
        liste = j_etapes.instances(lignes)
        if not liste:
            return []
        cursor.execute(sql_livrables, [atelier.pk])
        livrables = j_livrables.instances(cursor.fetchall())
    par_etape: dict[int, list[Livrable]] = {}
    vers_l_atelier = Etape._meta.get_field("atelier")
    for etape, ligne in zip(liste, lignes, strict=True):
        etape.nb_presents = ligne[len(j_etapes)]
        vers_l_atelier.set_cached_value(etape, atelier)  # as atelier.etapes leaves it
        par_etape[etape.pk] = []
    for livrable in livrables:
        # A stage added between the two queries is not listed, nor are its deliverables.
        par_etape.get(livrable.etape_id, []).append(livrable)
    for etape in liste:
        precharger(etape, "livrables", par_etape[etape.pk])
    return liste


def etape_courante(liste: list[Etape]) -> Etape | None:
    """The next stage still to hold (the timeline's "you are here")."""
    return next((e for e in liste if e.statut == Etape.Statut.PREVUE), None)


TYPES_ACTEUR = [
    ("elus", _("Élus et collectivités")),
    ("etat", _("État")),
    ("socio", _("Socio-économiques")),
    ("habitants", _("Habitants")),
    ("equipe", _("Équipe pluridisciplinaire")),
]
_NATURES_SOCIO = {
    Organisation.Nature.ENTREPRISE,
    Organisation.Nature.ASSOCIATION,
    Organisation.Nature.BUREAU_ETUDES,
}


def type_acteur(role: str, nature_organisation: str | None) -> str:
    """The kind of actor the programme counts at the table, from role and organisation."""
    if role == Role.EQUIPE:
        return "equipe"
    if role == Role.ELU:
        return "elus"
    if role == Role.PILOTE or nature_organisation in Organisation.NATURES_ETAT:
        return "etat"
    if role == Role.HABITANT or nature_organisation == Organisation.Nature.COLLECTIF_CITOYEN:
        return "habitants"
    if role == Role.SOCIO_PROFESSIONNEL or nature_organisation in _NATURES_SOCIO:
        return "socio"
    if role == Role.TECHNICIEN or nature_organisation == Organisation.Nature.COLLECTIVITE:
        return "elus"
    return "habitants"


def participations(atelier: Atelier) -> list[Participation]:
    return list(
        Participation.objects.filter(atelier=atelier)
        .select_related("acteur__organisation", "acteur__utilisateur")
        .order_by("role", "acteur__nom", "acteur__prenom")
    )


@dataclass(frozen=True)
class Effectifs:
    """Who takes part in an atelier, from one query: ``par_type``, for each kind of actor how
    many take part and how many attended at least one stage (the programme's promise is that
    they all sit at the table); ``par_role``, how many hold each role."""

    par_type: list[dict]
    par_role: Counter


def effectifs(atelier: Atelier) -> Effectifs:
    # Counted by the database per (role, organisation nature), a few rows rather than one per
    # participant (three hundred in a large atelier).
    # One query: a participant attended when one of their presences is at a stage not
    # cancelled (an EXISTS, so that counting does not multiply rows by presences).
    a_assiste = Exists(
        Presence.objects.filter(
            participation=OuterRef("pk"),
            present=True,
            etape__statut__in=[Etape.Statut.PREVUE, Etape.Statut.REALISEE],
        )
    )
    inscrits: Counter = Counter()
    presents: Counter = Counter()
    par_role: Counter = Counter()
    for role, nature, n, n_presents in (
        Participation.objects.filter(atelier=atelier)
        .values_list("role", "acteur__organisation__nature")
        .annotate(n=Count("pk"), presents=Count("pk", filter=Q(a_assiste)))
        .order_by()
    ):
        inscrits[type_acteur(role, nature)] += n
        presents[type_acteur(role, nature)] += n_presents
        par_role[role] += n
    return Effectifs(
        par_type=[
            {"cle": cle, "libelle": libelle, "inscrits": inscrits[cle], "presents": presents[cle]}
            for cle, libelle in TYPES_ACTEUR
        ],
        par_role=par_role,
    )


def presences_par_etape(atelier: Atelier, liste: list[Etape]) -> dict[int, Counter]:
    """Per stage id: number present by kind of actor (one query)."""
    resultat: dict[int, Counter] = {e.pk: Counter() for e in liste}
    for etape_id, role, nature in Presence.objects.filter(
        etape__atelier=atelier, present=True
    ).values_list("etape_id", "participation__role", "participation__acteur__organisation__nature"):
        resultat.setdefault(etape_id, Counter())[type_acteur(role, nature)] += 1
    return resultat


def une_etape_a_eu_lieu(etapes: list[Etape], *, now: dt.datetime | None = None) -> bool:
    """Whether attendance can mean anything yet: a stage was held, or its date is past."""
    now = now or timezone.now()
    return any(
        e.statut == Etape.Statut.REALISEE
        or (e.statut == Etape.Statut.PREVUE and e.debut is not None and e.debut <= now)
        for e in etapes
    )


def premiers_pas(
    atelier: Atelier, *, etapes: list[Etape], equipe: list, par_role: Counter
) -> list[dict]:
    """What to do first in a new atelier, each step with whether it is done: the team, the
    participants, the start (which creates the format's stages), the launch seminar.
    ``par_role``: how many hold each role (:func:`effectifs`)."""
    from django.urls import reverse

    from acteurs.models import Invitation
    from ateliers.formats import NatureEtape

    autres = sum(n for role, n in par_role.items() if role not in (Role.PILOTE, Role.EQUIPE))
    # The pilote's own invitation (sent at selection) is not the participants' one.
    invitations = Invitation.objects.filter(atelier=atelier)
    invites = autres > 1 or invitations.exclude(role=Role.PILOTE).exists()
    lancement = next((e for e in etapes if e.nature == NatureEtape.LANCEMENT), None)
    pas = []
    if not par_role[Role.PILOTE]:
        attendue = invitations.filter(role=Role.PILOTE, statut=Invitation.Statut.ENVOYEE).first()
        pas.append(
            {
                "libelle": _("Le pilote rejoint l'atelier"),
                "aide": _("Invitation envoyée à %(email)s, en attente de son acceptation.")
                % {"email": attendue.email}
                if attendue
                else _("Invitez un agent de l'État vérifié comme pilote."),
                "fait": False,
                "lien": reverse("ateliers:participants", kwargs={"atelier_id": atelier.pk}),
            }
        )
    return [
        *pas,
        {
            "libelle": _("Constituer l'équipe pluridisciplinaire"),
            "aide": _("Le groupement retenu, son contrat et ses membres."),
            "fait": bool(equipe or atelier.equipe_nom),
            "lien": reverse("ateliers:atelier_equipe", kwargs={"pk": atelier.pk}),
        },
        {
            "libelle": _("Inviter les participants"),
            "aide": _("Élus, techniciens, acteurs socio-professionnels, habitants."),
            "fait": invites,
            "lien": reverse("ateliers:participants", kwargs={"atelier_id": atelier.pk}),
        },
        {
            "libelle": _("Démarrer l'atelier"),
            "aide": _("Les étapes du format sont alors créées."),
            "fait": atelier.statut != Atelier.Statut.EN_PREPARATION,
            "lien": "#faire-avancer",
        },
        {
            "libelle": _("Planifier le séminaire de lancement"),
            "aide": _("Sa date, son lieu ; les participants reçoivent l'invitation."),
            "fait": bool(lancement and lancement.debut),
            "lien": reverse("ateliers:etapes", kwargs={"pk": atelier.pk}),
        },
    ]


def equipe(atelier: Atelier) -> list[Participation]:
    return list(
        Participation.objects.filter(atelier=atelier, role=Role.EQUIPE)
        .select_related("acteur__organisation")
        # What the overview and the team page show of each member.
        .only("acteur__prenom", "acteur__nom", "acteur__specialite", "acteur__organisation__nom")
        .order_by("acteur__nom")
    )


# --- Documents, logbook, sites --------------------------------------------------------------


@lru_cache(maxsize=4)
def _sql_series(alias: str) -> tuple[str, str]:
    """For the outer document: whether its series has a later version, and how many earlier
    versions it has, as correlated subqueries written once per process. Both sides as
    ``COALESCE(serie_id, id)``, the expression of the index ``document_serie_version``:
    PostgreSQL joins a document to its series' later versions (an anti-join) instead of
    looking them up row by row."""
    q = connections[alias].ops.quote_name
    d = Document._meta
    serie, pk, version = colonne(alias, d, "serie"), q(d.pk.column), colonne(alias, d, "version")
    externe = q(d.db_table)
    meme_serie = (
        f" FROM {externe} s WHERE COALESCE(s.{serie}, s.{pk})"
        f" = COALESCE({externe}.{serie}, {externe}.{pk})"
    )
    # Only the model's table and column names go into the text.
    return (
        f"EXISTS(SELECT 1{meme_serie} AND s.{version} > {externe}.{version})",
        f"SELECT COUNT(*){meme_serie} AND s.{version} < {externe}.{version}",
    )


def documents(atelier: Atelier) -> QuerySet[Document]:
    """Current version of each document series, newest first, with ``nb_anciennes`` (how many
    older versions it has). The database picks the current versions, so that a page of the list
    loads only its own rows (one query, however long the history; its subqueries written once
    per process, :func:`_sql_series`: built as ``Exists`` and ``Subquery``, they were compiled
    on every page, for the page and for its count)."""
    plus_recente, anciennes = _sql_series(Document.objects.db)
    return (
        Document.objects.filter(atelier=atelier)
        .exclude(RawSQL(plus_recente, (), output_field=BooleanField()))  # noqa: S611 — no value
        .annotate(nb_anciennes=RawSQL(anciennes, (), output_field=IntegerField()))  # noqa: S611
        .select_related("etape", "depose_par")
        # Only what a row of the list shows (ateliers.templatetags.liste_documents).
        .only(
            "titre",
            "publie",
            "version",
            "categorie",
            "cree_le",
            "etape__titre",
            "etape__nature",
            "depose_par__first_name",
            "depose_par__last_name",
            "depose_par__email",
        )
        .order_by("-cree_le", "-pk")
    )


def serie_of(document: Document) -> QuerySet[Document]:
    """Every version of the document's series (the first one included)."""
    premiere = document.serie_id or document.pk
    return Document.objects.filter(Q(pk=premiere) | Q(serie_id=premiere))


def serie_publiee(document: Document) -> bool:
    """Publication belongs to the whole series: a version is public only when every version
    of its series is published, so that withdrawing one withdraws them all (an older version
    is never public on its own, even where rows were left disagreeing)."""
    return document.publie and not serie_of(document).filter(publie=False).exists()


def get_document_for_user(user: Any, pk: int) -> Document:
    """A document a user may download: published in a published atelier, or in an atelier
    they can see; else 404. Unpublishing the atelier withdraws its documents from the public."""
    document = get_object_or_404(Document.objects.select_related("atelier"), pk=pk)
    public = document.atelier.publie and serie_publiee(document)
    if public or user.has_perm("ateliers.view_atelier", document.atelier):
        return document
    raise Http404


def journal(atelier: Atelier) -> QuerySet[EntreeJournal]:
    return EntreeJournal.objects.filter(atelier=atelier).select_related(
        "auteur", "etape", "retiree_par"
    )


def journal_historiques(entrees: list[EntreeJournal]) -> dict[int, list[RevisionJournal]]:
    """The earlier texts of the entries edited since written, newest first, in one query
    (none when no entry was edited)."""
    ids = [e.pk for e in entrees if e.modifiee_le is not None and e.retiree_le is None]
    historiques: dict[int, list[RevisionJournal]] = {}
    for revision in RevisionJournal.objects.filter(entree_id__in=ids) if ids else ():
        historiques.setdefault(revision.entree_id, []).append(revision)
    return historiques


def sites(atelier: Atelier) -> QuerySet[SiteDemonstrateur]:
    return SiteDemonstrateur.objects.filter(atelier=atelier).order_by("nom")


def prochaines_etapes(
    user: Any, limite: int | None = 5, *, avant: dt.datetime | None = None
) -> QuerySet[Etape]:
    """The next planned stages of every atelier ``user`` takes part in, soonest first, for
    « Mon espace » (``avant``: only those starting before that moment)."""
    qs = (
        Etape.objects.filter(
            atelier__participations__acteur__utilisateur=user,
            statut=Etape.Statut.PREVUE,
            debut__gte=timezone.now(),
        )
        .select_related("atelier__territoire")
        .order_by("debut")
        .distinct()
    )
    if avant is not None:
        qs = qs.filter(debut__lt=avant)
    return qs[:limite] if limite else qs


# --- DGALN overview -------------------------------------------------------------------------


def ateliers_gestion() -> QuerySet[Atelier]:
    """All ateliers with the counts the overview shows, in a constant number of queries.

    Each count is its own subquery: counting stages and participants through joins at once
    multiplied the rows (40 stages × 300 participants) before ``DISTINCT`` took them out."""
    manquants = Livrable.objects.filter(livrables_manquants_q(), etape__atelier=OuterRef("pk"))
    return (
        Atelier.objects.select_related("territoire__region", "session", "service_pilote")
        .annotate(
            nb_etapes=compte(Etape, "atelier", differents={"statut": Etape.Statut.ANNULEE}),
            nb_realisees=compte(Etape, "atelier", egaux={"statut": Etape.Statut.REALISEE}),
            nb_participants=compte(Participation, "atelier"),
            a_livrables_manquants=Exists(manquants),
        )
        .order_by("-annee", "titre")
    )


def nb_livrables_manquants(atelier_ids: list[int]) -> dict[int, int]:
    rows = (
        Livrable.objects.filter(livrables_manquants_q(), etape__atelier_id__in=atelier_ids)
        .values("etape__atelier_id")
        .annotate(n=Count("id", distinct=True))
    )
    return {r["etape__atelier_id"]: r["n"] for r in rows}


# Deliverables of a stage are announced this many days before it.
LIVRABLES_HORIZON_JOURS = 14


def livrables_attendus(user: Any, *, today: dt.date) -> list[Livrable]:
    """The required deliverables not yet provided that ``user``'s role must deposit (pilote,
    équipe: those who may upload them), on stages past or within two weeks, oldest first."""
    tz = timezone.get_current_timezone()
    horizon = dt.datetime.combine(
        today + dt.timedelta(days=LIVRABLES_HORIZON_JOURS), dt.time.max, tzinfo=tz
    )
    ateliers = Participation.objects.filter(
        acteur__utilisateur=user, role__in=[Role.PILOTE, Role.EQUIPE]
    ).values("atelier_id")
    livrables = list(
        Livrable.objects.filter(
            obligatoire=True,
            document__isnull=True,
            etape__atelier_id__in=ateliers,
            etape__debut__lte=horizon,
        )
        .exclude(etape__statut=Etape.Statut.ANNULEE)
        .exclude(
            nature=NatureLivrable.SITES_DEMONSTRATEURS,
            etape__atelier__sites_demonstrateurs__isnull=False,
        )
        .select_related("etape__atelier")
        .order_by("etape__debut", "id")
        .distinct()
    )
    now = timezone.now()
    for livrable in livrables:
        livrable.en_retard = livrable.etape.debut < now
    return livrables


def contribution_espace(*, user: Any, today: dt.date) -> dict[str, Any]:
    """For « Mon espace »: the stages still to come this week, the deliverables I owe."""
    fin_semaine = today + dt.timedelta(days=7 - today.weekday())
    tz = timezone.get_current_timezone()
    avant = dt.datetime.combine(fin_semaine, dt.time.min, tzinfo=tz)
    return {
        "etapes": list(prochaines_etapes(user, limite=None, avant=avant)),
        "livrables": livrables_attendus(user, today=today),
    }


def contribution_donnees_personnelles(*, user: Any) -> dict[str, Any]:
    """For the personal data export: my logbook entries and the documents I deposited."""
    from .models import Document, EntreeJournal

    return {
        "Cahier de suivi (vos entrées)": [
            {"atelier": e.atelier.titre, "date": e.date.isoformat(), "texte": e.texte}
            for e in EntreeJournal.objects.filter(auteur=user).select_related("atelier")
        ],
        "Documents déposés": [
            {
                "atelier": d.atelier.titre,
                "titre": d.titre,
                "version": d.version,
                "déposé le": timezone.localtime(d.cree_le).isoformat(timespec="seconds"),
            }
            for d in Document.objects.filter(depose_par=user).select_related("atelier")
        ],
    }
