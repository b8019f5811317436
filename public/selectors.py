"""Reads for the public site. Only published content leaves this module.

Every queryset states its ``select_related`` / ``prefetch_related``: public pages run a
constant number of queries whatever the number of rows (pinned in tests/territoires).
"""

import heapq

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.http import Http404

from ateliers.models import Atelier, Etape, LaureatHistorique, SessionNationale, SiteDemonstrateur
from feuilles_de_route.financements import financements_signes
from feuilles_de_route.models import Action, Consultation, FeuilleDeRoute, Rapport, Signature
from territoires.models import Departement, Region, Territoire


def laureats_publics() -> QuerySet[Atelier]:
    """Published ateliers (the lauréats) with what a list row, an export or the API shows."""
    return (
        Atelier.objects.publies()
        .select_related("territoire__region", "session")
        .prefetch_related(
            Prefetch("territoire__departements", queryset=Departement.objects.order_by("code"))
        )
    )


def laureats_historiques() -> QuerySet[LaureatHistorique]:
    """The historical lauréats (public by nature: each names its public source), with what
    a list row, the map or a session page shows."""
    return LaureatHistorique.objects.select_related("session", "territoire").prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("nom")),
        Prefetch("departements", queryset=Departement.objects.order_by("code")),
    )


def _cle_de_tri(tri: str):
    if tri in ("annee", "-annee"):
        signe = 1 if tri == "annee" else -1
        return lambda r: (signe * r[2], r[3].casefold())
    if tri == "region":
        return lambda r: ((r[4] or "").casefold(), r[3].casefold())
    return lambda r: r[3].casefold()


def fusion_laureats(
    ateliers: QuerySet[Atelier], historiques: QuerySet[LaureatHistorique], tri: str
) -> list[tuple[str, int]]:
    """The published ateliers and the historical lauréats in one list, each already in the
    order ``tri`` asks, interleaved (each list keeps its own order): ``("atelier", pk)`` or
    ``("historique", pk)``. Two queries of a few columns, whatever the number of rows."""
    lignes_a = (
        ("atelier", pk, annee, nom or "", region)
        for pk, annee, nom, region in ateliers.values_list(
            "pk", "annee", "territoire__nom", "territoire__region__nom"
        )
    )
    lignes_h = (
        ("historique", pk, annee, nom, region)
        for pk, annee, nom, region in historiques.annotate(
            region_nom=Min("regions__nom")
        ).values_list("pk", "annee", "nom", "region_nom")
    )
    fusion = heapq.merge(lignes_a, lignes_h, key=_cle_de_tri(tri), reverse=tri == "-nom")
    return [(ligne[0], ligne[1]) for ligne in fusion]


def themes_publics() -> list[str]:
    """The distinct themes of published ateliers and of the sessions with lauréats (published
    or historical), for the theme facet."""
    themes = set(
        Atelier.objects.publies()
        .exclude(theme="")
        .order_by()
        .values_list("theme", flat=True)
        .distinct()
    )
    themes |= set(
        SessionNationale.objects.filter(
            Q(ateliers__publie=True) | Q(laureats_historiques__isnull=False)
        )
        .exclude(theme="")
        .order_by()
        .values_list("theme", flat=True)
        .distinct()
    )
    return sorted(themes, key=str.casefold)


def facettes() -> dict[str, list]:
    """Option lists of the lauréat filters (cached with the public pages)."""
    return {
        "themes": themes_publics(),
        "session": [
            (s.slug, str(s)) for s in SessionNationale.objects.order_by("-annee_debut", "titre")
        ],
        "region": list(Region.objects.order_by("slug").values_list("code", "nom")),
        "departement": [
            (d.code, str(d)) for d in Departement.objects.order_by("code").only("code", "nom")
        ],
    }


def territoire_public(*, slug: str) -> Territoire:
    """The territory with its published ateliers, roadmaps, reports and sites, or 404."""
    ateliers = Atelier.objects.publies().select_related(
        "session", "service_pilote", "feuille_de_route__version_adoptee"
    )
    territoire = (
        Territoire.objects.filter(slug=slug, ateliers__publie=True)
        .select_related("region")
        .prefetch_related(
            Prefetch("departements", queryset=Departement.objects.order_by("code")),
            Prefetch("ateliers", queryset=ateliers.order_by("-annee", "pk"), to_attr="publies"),
            Prefetch(
                "publies__etapes",
                queryset=Etape.objects.filter(statut=Etape.Statut.REALISEE).order_by(
                    "ordre", "debut", "pk"
                ),
                to_attr="etapes_tenues",
            ),
            Prefetch(
                "publies__sites_demonstrateurs",
                queryset=SiteDemonstrateur.objects.order_by("nom"),
                to_attr="sites",
            ),
            Prefetch(
                "publies__rapports",
                queryset=Rapport.objects.filter(publie=True, statut=Rapport.Statut.PRET).order_by(
                    "-genere_le", "-pk"
                ),
                to_attr="rapports_publies",
            ),
            # The published roadmap is the adopted version's frozen content (what was
            # signed), not the live draft: only its signatures are read besides.
            Prefetch(
                "publies__feuille_de_route__version_adoptee__signatures",
                queryset=Signature.objects.order_by("signee_le", "pk"),
            ),
        )
        .first()
    )
    if territoire is None:
        raise Http404("Territoire introuvable.")
    for atelier in territoire.publies:
        feuille = getattr(atelier, "feuille_de_route", None)
        atelier.feuille_publiee = feuille if feuille is not None and feuille.publiee else None
        atelier.rapport_public = atelier.rapports_publies[0] if atelier.rapports_publies else None
    _suivi_public(territoire.publies)
    return territoire


def _suivi_public(ateliers: list[Atelier]) -> None:
    """For each published roadmap: the follow-up of the actions of its adopted version (never
    a draft action), funding totals by funder and by status of the lines as signed, the
    closed concertations' summaries (see ``financements_signes``). Three queries whatever the
    number of ateliers and actions."""
    feuilles, refs = {}, set()
    for atelier in ateliers:
        atelier.suivi_actions, atelier.financeurs, atelier.concertations = [], [], []
        atelier.financements_statut = []
        if atelier.feuille_publiee is None:
            continue
        feuilles[atelier.feuille_publiee.pk] = atelier
        for axe in atelier.feuille_publiee.version_adoptee.contenu.get("axes", []):
            for action in axe.get("actions", []):
                refs.add(action["ref"])
    if not feuilles:
        return
    live = {
        a.pk: a
        for a in Action.objects.filter(axe__feuille_id__in=feuilles, pk__in=refs).annotate(
            derniere_maj=Max("points_suivi__date")
        )
    }
    signes = financements_signes(
        {f: atelier.feuille_publiee.version_adoptee.contenu for f, atelier in feuilles.items()}
    )
    for feuille_id, atelier in feuilles.items():
        atelier.financeurs, atelier.financements_statut = signes[feuille_id]
    for atelier in feuilles.values():
        # The signed title (the draft may have renamed it), the live follow-up.
        for axe in atelier.feuille_publiee.version_adoptee.contenu.get("axes", []):
            for item in axe.get("actions", []):
                action = live.get(item["ref"])
                if action is not None:
                    atelier.suivi_actions.append(
                        {
                            "titre": item["titre"],
                            "etat": action.get_statut_suivi_display(),
                            "avancement": action.avancement or 0,
                            "derniere_maj": action.derniere_maj,
                        }
                    )
    for consultation in (
        Consultation.objects.filter(
            version__feuille_id__in=feuilles, statut=Consultation.Statut.CLOSE
        )
        .select_related("version")
        .order_by("close_le")
    ):
        feuilles[consultation.version.feuille_id].concertations.append(consultation)


def territoires_publics() -> QuerySet[Territoire]:
    return (
        Territoire.objects.filter(pk__in=Atelier.objects.publies().values("territoire_id"))
        .select_related("region")
        .prefetch_related(Prefetch("departements", queryset=Departement.objects.order_by("code")))
        .annotate(nombre_ateliers=Count("ateliers", filter=Q(ateliers__publie=True)))
        .order_by("nom", "pk")
    )


def sessions_publiques() -> QuerySet[SessionNationale]:
    return SessionNationale.objects.annotate(
        nombre_laureats=Count("ateliers", filter=Q(ateliers__publie=True), distinct=True),
        nombre_historiques=Count("laureats_historiques", distinct=True),
    ).order_by("-annee_debut", "titre")


def session_publique(*, slug: str) -> SessionNationale:
    session = sessions_publiques().filter(slug=slug).first()
    if session is None:
        raise Http404("Session introuvable.")
    return session


def feuilles_publiees() -> QuerySet[FeuilleDeRoute]:
    """Published roadmaps of published ateliers, with their adopted version.

    What the public reads is the adopted version's frozen content (``contenu``), as on the
    territory page: the live axes and actions may hold unsigned draft edits.
    """
    return (
        FeuilleDeRoute.objects.filter(
            publiee=True, atelier__publie=True, version_adoptee__isnull=False
        )
        .select_related("atelier__territoire__region", "atelier__session", "version_adoptee")
        .order_by("-publiee_le", "-pk")
    )


def chiffres_programme() -> dict:
    """The home page's figures « depuis 2006 »: the lauréat territories count the published
    ateliers' territories and the historical lauréats found in public sources."""
    ateliers = Atelier.objects.publies().aggregate(
        territoires=Count("territoire", distinct=True), ateliers=Count("id")
    )
    historiques = LaureatHistorique.objects.count()
    return {
        **ateliers,
        "historiques": historiques,
        "laureats": ateliers["territoires"] + historiques,
        "sessions": SessionNationale.objects.count(),
    }
