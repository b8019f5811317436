"""Reads for the public site. Only published content leaves this module.

Every queryset states its ``select_related`` / ``prefetch_related``: public pages run a
constant number of queries whatever the number of rows (pinned in tests/territoires).
"""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from ateliers.models import Atelier, Etape, SessionNationale, SiteDemonstrateur
from feuilles_de_route.models import FeuilleDeRoute, Rapport, Signature

from . import contours
from .models import EPCI, Commune, Departement, Region, Territoire
from .reference import nom_recherche


def laureats_publics() -> QuerySet[Atelier]:
    """Published ateliers (the lauréats) with what a list row, an export or the API shows."""
    return (
        Atelier.objects.publies()
        .select_related("territoire__region", "session")
        .prefetch_related(
            Prefetch("territoire__departements", queryset=Departement.objects.order_by("code"))
        )
    )


def themes_publics() -> list[str]:
    """The distinct themes of published ateliers and their sessions, for the theme facet."""
    themes = set(
        Atelier.objects.publies()
        .exclude(theme="")
        .order_by()
        .values_list("theme", flat=True)
        .distinct()
    )
    themes |= set(
        SessionNationale.objects.filter(ateliers__publie=True)
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
        "region": list(Region.objects.order_by("nom").values_list("code", "nom")),
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
    return territoire


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
        nombre_laureats=Count("ateliers", filter=Q(ateliers__publie=True))
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


# --------------------------------------------------------------------------------------------
# The reference geography: the autocomplete over communes and EPCI
# --------------------------------------------------------------------------------------------

LIEUX_MAX = 10


def lieux_search(requete: str, *, types: tuple[str, ...] = ("commune", "epci")) -> list[dict]:
    """Communes and EPCI of the current vintage matching ``requete``: a name (any word's
    start, accents, case, hyphens and apostrophes ignored), a postcode, an INSEE code or a
    SIREN. The most populous first; EPCI before communes; at most ``LIEUX_MAX``."""
    texte = nom_recherche(requete)[:100]
    if not texte:
        return []
    communes = Commune.objects.actifs().select_related("departement")
    epci = EPCI.objects.actifs()
    if texte.replace(" ", "").isdigit():
        chiffres = texte.replace(" ", "")
        communes = communes.filter(
            Q(code__startswith=chiffres)
            | Q(codes_postaux__startswith=chiffres)
            | Q(codes_postaux__contains=f" {chiffres}")
        )
        epci = epci.filter(siren__startswith=chiffres) if len(chiffres) > 5 else epci.none()
    else:
        nom = Q(nom_recherche__startswith=texte) | Q(nom_recherche__contains=f" {texte}")
        # The name itself, then names that start with the words typed, then the others.
        rang = Case(
            When(nom_recherche=texte, then=Value(0)),
            When(nom_recherche__startswith=texte, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        communes = communes.filter(nom).annotate(rang=rang)
        epci = epci.filter(nom).annotate(rang=rang)
    ordre = ("rang", "-population", "nom") if not texte.replace(" ", "").isdigit() else (
        "-population", "nom")  # fmt: skip
    resultats = []
    if "epci" in types:
        for groupement in epci.order_by(*ordre)[:4].prefetch_related("departements"):
            deps = ", ".join(d.code for d in groupement.departements.all())
            resultats.append(
                {
                    "type": "epci",
                    "code": groupement.siren,
                    "nom": groupement.nom,
                    "detail": f"{groupement.get_nature_display()} · {deps}",
                    "population": groupement.population,
                    "point": _point(groupement),
                }
            )
    if "commune" in types:
        for commune in communes.order_by(*ordre)[: LIEUX_MAX - len(resultats)]:
            resultats.append(
                {
                    "type": "commune",
                    "code": commune.code,
                    "nom": commune.nom,
                    "detail": f"{commune.departement.nom} ({commune.departement.code}) · "
                    f"{commune.codes_postaux.split(' ')[0]}",
                    "population": commune.population,
                    "point": _point(commune),
                }
            )
    return resultats


def _point(lieu) -> list[float] | None:
    """[lon, lat] (GeoJSON order) of a commune's or an EPCI's representative point."""
    if lieu.latitude is None or lieu.longitude is None:
        return None
    return [lieu.longitude, lieu.latitude]


def communes_du_territoire(territoire: Territoire, *, limite: int = 400) -> list[dict]:
    """The member communes of a territory (chosen one by one or through its EPCI), with
    their contours as GeoJSON, for its map. One query."""
    communes = (
        Commune.objects.filter(Q(territoires=territoire) | Q(epci__territoires=territoire))
        .distinct()
        .order_by("code")
        .values_list("code", "nom", "contour")[:limite]
    )
    return [
        {"code": code, "nom": nom, "contour": contours.decode(contour)}
        for code, nom, contour in communes
        if contour
    ]
