"""The read-only JSON API of public data, on django-ninja.

Ninja describes each operation (its parameters and its answer as pydantic schemas) and
builds the OpenAPI schema served at /api/openapi.json, from which the documentation page at
/api/ is drawn. The lauréat filters are validated by ``LaureatFilterSet`` only (the same as
the list page and the exports); the other parameters by ninja. Any invalid value is a 400
``{"erreur": …, "details": {paramètre: [messages]}}``, never a 500 nor ninja's 422.

Answers are cached (``public.cache``) under the parameters that shape them, as JSON bytes.
"""

import json
import math
import re
from typing import Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import Resolver404, URLPattern, resolve
from django.views.decorators.http import require_safe
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.errors import ValidationError
from pydantic import create_model

from ateliers.formats import Format
from ateliers.models import Atelier
from feuilles_de_route.models import Action
from feuilles_de_route.models import FeuilleDeRoute as FeuilleDeRouteModel
from territoires.data.geographie import DEPARTEMENTS, REGIONS
from territoires.models import Territoire as TerritoireModel

from . import exports, recherche, selectors
from .cache import ecrire, lire
from .filters import TRIS, LaureatFilterSet

TAILLE_DEFAUT = 20
TAILLE_MAX = 100
PAGE_MAX = 100000

# The documented values of the enumerated parameters. An empty value means "no filter", as
# the HTML filter form sends it.
VALEURS: dict[str, tuple[str, ...]] = {
    "region": tuple(r[0] for r in REGIONS),
    "departement": tuple(d[0] for d in DEPARTEMENTS),
    "nature": tuple(TerritoireModel.Nature.values),
    "format": tuple(Format.values),
    "statut": tuple(Atelier.Statut.values),
    "tri": tuple(TRIS),
}

api = NinjaAPI(
    title="API de l'Atelier des territoires",
    version="1.0",
    description=(
        "Données publiques du programme Atelier des territoires (DGALN) : territoires "
        "lauréats, sessions nationales, feuilles de route publiées. Lecture seule, "
        f"sans authentification. {exports.LICENCE}."
    ),
    openapi_url=None,  # served by ``openapi`` below, with the site's address and CORS
    docs_url=None,  # the DSFR page ``documentation`` below
    openapi_extra={"info": {"license": {"name": exports.LICENCE, "url": exports.LICENCE_URL}}},
)


# --- Errors ---------------------------------------------------------------------------------


def _erreur(message: str, status: int, details: dict | None = None) -> HttpResponse:
    return _json(_encoder({"erreur": message, "details": details or {}}), status=status)


def _json(corps: bytes, *, status: int) -> HttpResponse:
    """Every answer of the API, errors included, may be read by a page of any site."""
    response = HttpResponse(corps, status=status, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _encoder(corps: Any) -> bytes:
    return json.dumps(corps, ensure_ascii=False).encode()


def _message(parametre: str, code: str, limite: Any, defaut: str) -> str:
    """The French message of a rejected parameter, whoever rejected it (ninja or the FilterSet)."""
    if code in ("enum", "literal_error", "invalid_choice") and parametre in VALEURS:
        return f"valeur inconnue (valeurs possibles : {', '.join(VALEURS[parametre])})."
    if code in ("int_parsing", "int_type", "int_from_float", "invalid"):
        return "nombre entier attendu."
    if code in ("greater_than_equal", "min_value"):
        return f"doit valoir au moins {limite}."
    if code in ("less_than_equal", "max_value"):
        return f"doit valoir au plus {limite}."
    if code in ("string_too_long", "max_length"):
        return f"{limite} caractères au plus."
    return defaut


@api.exception_handler(ValidationError)
def _parametres_invalides(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details: dict[str, list[str]] = {}
    for e in exc.errors:
        parametre = str(e["loc"][-1])
        ctx = e.get("ctx") or {}
        limite = next((ctx[k] for k in ("ge", "le", "max_length") if k in ctx), None)
        details.setdefault(parametre, []).append(
            _message(parametre, e["type"], limite, "valeur invalide.")
        )
    return _erreur("Paramètres invalides.", 400, details)


def _erreurs_filtre(filtre: LaureatFilterSet) -> dict[str, list[str]]:
    """The FilterSet's errors, worded as the API words any rejected parameter."""
    return {
        champ: [
            _message(
                champ,
                e.code or "",
                (e.params or {}).get("limit_value"),
                " ".join(e.messages),
            )
            for e in erreurs
        ]
        for champ, erreurs in filtre.form.errors.as_data().items()
    }


class Refus(Exception):
    """An answer other than 200 (its status and its French message), cached like one."""

    def __init__(self, erreur: str, *, status: int = 404, details: dict | None = None):
        super().__init__(erreur)
        self.status = status
        self.corps = {"erreur": erreur, "details": details or {}}


# --- Answer schemas -------------------------------------------------------------------------
# Their docstrings are their descriptions in the OpenAPI schema: in French, for the reader.


def _enum(valeurs) -> Any:
    return Literal[tuple(valeurs)]


class Erreur(Schema):
    """Un paramètre invalide (400) ou une adresse introuvable (404)."""

    erreur: str
    details: dict


class RegionRef(Schema):
    code: str
    nom: str


class _TerritoireBase(Schema):
    slug: str
    nom: str
    nature: _enum(TerritoireModel.Nature.values)
    code_insee: str
    siren: str
    region: RegionRef
    departements: list[str]
    latitude: float | None
    longitude: float | None
    perimetre: dict | None
    url: str


class Territoire(_TerritoireBase):
    nombre_ateliers: int


class AtelierPublic(Schema):
    id: int
    titre: str
    format: _enum(Format.values)
    session: str | None
    annee: int
    statut: _enum(Atelier.Statut.values)
    theme: str
    feuille_de_route: int | None
    rapport: str | None


class TerritoireDetail(_TerritoireBase):
    """Un territoire et ses ateliers publiés."""

    ateliers: list[AtelierPublic]


class Session(Schema):
    slug: str
    titre: str
    theme: str
    annee_debut: int
    annee_fin: int | None
    description: str
    nombre_laureats: int = Field(..., ge=0)
    url: str


class Financement(Schema):
    source: str
    montant: str | None


class ActionAdoptee(Schema):
    """Une action telle qu'adoptée (le texte figé de la version signée), avec son suivi."""

    titre: str
    description: str
    porteur: str | None
    partenaires: list[str]
    echeance: str | None = Field(..., json_schema_extra={"format": "date"})
    cout_estime: str | None = Field(..., description="Montant en euros, ex. « 12500.00 ».")
    financements: list[Financement]
    indicateurs: str
    priorite: str
    statut_suivi: str | None = Field(
        ..., description="État de suivi de l'action depuis l'adoption."
    )
    avancement: int | None = Field(..., ge=0, le=100, description="En %.")
    site: str | None


class Axe(Schema):
    titre: str
    description: str
    actions: list[ActionAdoptee]


class AtelierRef(Schema):
    id: int
    titre: str
    format: _enum(Format.values)


class TerritoireRef(Schema):
    slug: str
    nom: str


class FeuilleDeRoute(Schema):
    """Une feuille de route publiée : les axes et les actions de la version adoptée."""

    id: int
    titre: str
    preambule: str
    publiee_le: str | None = Field(..., json_schema_extra={"format": "date-time"})
    version: int | None
    atelier: AtelierRef
    territoire: TerritoireRef
    axes: list[Axe]


_TYPES = {"integer": int, "string": str, "number": float}


def _colonne(c: exports.Colonne) -> tuple[Any, Any]:
    extra = {"format": c.format} if c.format and c.format != "uri" else None
    type_ = _TYPES[c.type] | None if c.nullable else _TYPES[c.type]
    return (type_, Field(..., description=c.description, json_schema_extra=extra))


# A lauréat has the columns of the CSV export (one list drives both).
Laureat = create_model("Laureat", __base__=Schema, **{c.nom: _colonne(c) for c in exports.COLONNES})


def _page(nom: str, element: type) -> type:
    return create_model(
        nom,
        __base__=Schema,
        total=(int, Field(..., ge=0)),
        page=(int, Field(..., ge=1)),
        pages=(int, Field(..., ge=1)),
        taille=(int, Field(..., ge=1)),
        suivante=(str | None, ...),
        precedente=(str | None, ...),
        resultats=(list[element], ...),
    )


PageLaureats = _page("PageLaureats", Laureat)
PageTerritoires = _page("PageTerritoires", Territoire)
PageSessions = _page("PageSessions", Session)
PageFeuillesDeRoute = _page("PageFeuillesDeRoute", FeuilleDeRoute)

# The French descriptions of the documented statuses.
REPONSES = {
    "responses": {
        200: {"description": "Succès"},
        400: {"description": "Paramètres invalides"},
        404: {"description": "Introuvable (ou page inexistante)"},
    }
}


# --- Parameters -----------------------------------------------------------------------------


class Pagination(Schema):
    page: int = Field(1, ge=1, le=PAGE_MAX, description="Numéro de page (à partir de 1).")
    taille: int = Field(
        TAILLE_DEFAUT,
        ge=1,
        le=TAILLE_MAX,
        description=(
            f"Nombre de résultats par page (1 à {TAILLE_MAX}, {TAILLE_DEFAUT} par défaut)."
        ),
    )


Region = _enum((*VALEURS["region"], ""))
Departement = _enum((*VALEURS["departement"], ""))
DESCRIPTION_REGION = "Code INSEE de la région."
DESCRIPTION_DEPARTEMENT = "Code INSEE du département."


class FiltresTerritoires(Schema):
    region: Region = Field("", description=DESCRIPTION_REGION)
    departement: Departement = Field("", description=DESCRIPTION_DEPARTEMENT)
    nature: _enum((*VALEURS["nature"], "")) = Field("", description="Nature du territoire.")


class FiltresSessions(Schema):
    annee: int = Field(
        None,
        ge=2000,
        le=2100,
        description="Année couverte par la session (entre son année de début et de fin).",
    )
    q: str = Field(
        "",
        max_length=200,
        description="Recherche dans le titre et le thème (accents et pluriels ignorés).",
    )


class FiltresFeuilles(Schema):
    territoire: str = Field("", max_length=250, description="Identifiant (slug) du territoire.")
    region: Region = Field("", description=DESCRIPTION_REGION)


def _parametre(nom: str, description: str, **schema: Any) -> dict:
    return {"in": "query", "name": nom, "required": False, "description": description,
            "schema": schema}  # fmt: skip


def _texte(nom: str, description: str) -> dict:
    longueur = LaureatFilterSet.base_filters[nom].extra["max_length"]
    return _parametre(nom, description, type="string", maxLength=longueur)


def _enumere(nom: str, description: str) -> dict:
    return _parametre(nom, description, type="string", enum=[*VALEURS[nom], ""])


# The lauréat filters are read and validated by ``LaureatFilterSet`` (shared with the list
# page and the exports), not by ninja: they are only described here.
PARAMETRES_LAUREATS = [
    _texte("q", "Recherche plein texte en français (accents et pluriels ignorés)."),
    _parametre(
        "session", "Identifiant (slug) de la session nationale.", type="string", maxLength=250
    ),
    _enumere("format", "Format de l'atelier."),
    _parametre(
        "annee",
        "Année de sélection.",
        anyOf=[
            {"type": "integer", "minimum": 2000, "maximum": 2100},
            {"type": "string", "enum": [""]},  # empty: no filter, as for the other filters
        ],
    ),
    _enumere("region", DESCRIPTION_REGION),
    _enumere("departement", DESCRIPTION_DEPARTEMENT),
    _enumere("statut", "État de l'atelier."),
    _texte("theme", "Thème (de l'atelier ou de sa session), sans distinction de casse."),
    _enumere("tri", "Ordre des résultats."),
]


class CheminSlug(Schema):
    slug: str = Field(
        ...,
        description="Identifiant dans les adresses du site.",
        json_schema_extra={"maxLength": 250, "minLength": 1, "pattern": r"^[-a-zA-Z0-9_]+$"},
    )


class CheminFeuille(Schema):
    pk: int = Field(
        ..., description="Identifiant de la feuille de route.", json_schema_extra={"minimum": 1}
    )


# --- Answers --------------------------------------------------------------------------------


def _valeurs(request: HttpRequest, noms) -> dict[str, str]:
    """The given parameters present with a value, as sent: they shape the answer (and its
    cache key, and the pagination links); unknown, empty or reordered ones do not."""
    return {nom: request.GET[nom] for nom in sorted(noms) if request.GET.get(nom, "") != ""}


def _reponse(request: HttpRequest, nom: str, noms, calcul) -> HttpResponse:
    """The cached JSON answer of ``calcul()``, computed once per generation and parameters."""
    valeurs = _valeurs(request, noms)

    def produire() -> dict:
        try:
            return {"status": 200, "corps": _encoder(calcul(valeurs))}
        except Refus as exc:
            return {"status": exc.status, "corps": _encoder(exc.corps)}

    if (
        str(valeurs.get("q") or "").strip()
        or valeurs.get("theme")
        or int(valeurs.get("page") or 1) > 1000
    ):
        # Free text (a search, a theme) or a page beyond any list: computed, never cached,
        # since each distinct value anyone types would be a new entry.
        resultat = produire()
    else:
        # Only answers that succeeded: an unknown slug or session would otherwise get its
        # own entry. Keyed on the validated parameters (unknown ones reuse the entry).
        nom_cache, parts = f"api:{nom}", (f"{request.path}?{urlencode(valeurs)}",)
        resultat, generation = lire(nom=nom_cache, parts=parts)
        if resultat is None:
            resultat = produire()
            if resultat["status"] == 200:
                ecrire(nom=nom_cache, parts=parts, generation=generation, valeur=resultat)
    return _json(resultat["corps"], status=resultat["status"])


def _paginer(request, items, valeurs: dict, pagination: Pagination, *, lot) -> dict:
    taille, numero = pagination.taille, pagination.page
    total = items.count()
    pages = max(1, math.ceil(total / taille))
    if numero > pages:
        raise Refus("Page inexistante.")
    debut = (numero - 1) * taille

    def lien(n: int) -> str | None:
        if n < 1 or n > pages:
            return None
        return f"{settings.SITE_URL}{request.path}?{urlencode(valeurs | {'page': str(n)})}"

    return {
        "total": total,
        "page": numero,
        "pages": pages,
        "taille": taille,
        "suivante": lien(numero + 1),
        "precedente": lien(numero - 1),
        "resultats": lot(items[debut : debut + taille]),
    }


def _champs(*schemas: type[Schema]) -> list[str]:
    return [nom for s in schemas for nom in s.model_fields]


def _territoire(t: TerritoireModel) -> dict:
    return {
        "slug": t.slug,
        "nom": t.nom,
        "nature": t.nature,
        "code_insee": t.code_insee,
        "siren": t.siren,
        "region": {"code": t.region.code, "nom": t.region.nom},
        "departements": [d.code for d in t.departements.all()],
        "latitude": t.latitude,
        "longitude": t.longitude,
        "perimetre": t.perimetre,
        "url": f"{settings.SITE_URL}{t.get_absolute_url()}",
    }


def _session(s) -> dict:
    return {
        "slug": s.slug,
        "titre": s.titre,
        "theme": s.theme,
        "annee_debut": s.annee_debut,
        "annee_fin": s.annee_fin,
        "description": s.description,
        "nombre_laureats": s.nombre_laureats,
        "url": f"{settings.SITE_URL}{s.get_absolute_url()}",
    }


def _feuilles(feuilles) -> list[dict]:
    """Published roadmaps as the public sees them: the adopted version's frozen content.

    Axes and actions come from ``version_adoptee.contenu`` (what was signed), never from the
    live roadmap, whose unsigned draft edits stay private. Only the follow-up of each adopted
    action (``statut_suivi``, ``avancement``, recorded after adoption) is read live, in one
    query for the whole page.
    """
    feuilles = list(feuilles)
    suivi = {
        (feuille_id, pk): (statut, avancement)
        for pk, feuille_id, statut, avancement in Action.objects.filter(
            axe__feuille_id__in=[f.pk for f in feuilles]
        ).values_list("pk", "axe__feuille_id", "statut_suivi", "avancement")
    }
    return [_feuille(f, suivi) for f in feuilles]


def _feuille(f: FeuilleDeRouteModel, suivi: dict) -> dict:
    atelier = f.atelier
    version = f.version_adoptee
    contenu = version.contenu if version else {}
    document = contenu.get("feuille") or {}

    def action(a: dict) -> dict:
        statut, avancement = suivi.get((f.pk, a.get("ref")), (None, None))
        return {
            "titre": a.get("titre", ""),
            "description": a.get("description", ""),
            "porteur": a.get("porteur"),
            "partenaires": a.get("partenaires", []),
            "echeance": a.get("echeance"),
            "cout_estime": a.get("cout_estime"),
            "financements": a.get("financements", []),
            "indicateurs": a.get("indicateurs", ""),
            "priorite": a.get("priorite", ""),
            "statut_suivi": statut,
            "avancement": avancement,
            "site": a.get("site"),
        }

    return {
        "id": f.pk,
        "titre": document.get("titre", f.titre),
        "preambule": document.get("preambule", ""),
        "publiee_le": f.publiee_le.isoformat() if f.publiee_le else None,
        "version": version.numero if version else None,
        "atelier": {"id": atelier.pk, "titre": atelier.titre, "format": atelier.format},
        "territoire": {"slug": atelier.territoire.slug, "nom": atelier.territoire.nom},
        "axes": [
            {
                "titre": axe.get("titre", ""),
                "description": axe.get("description", ""),
                "actions": [action(a) for a in axe.get("actions", [])],
            }
            for axe in contenu.get("axes", [])
        ],
    }


# --- Operations -----------------------------------------------------------------------------
# GET and HEAD, as ``require_safe`` allowed before; the schema lists GET only.
LIRE = ["GET", "HEAD"]


def _operation(
    chemin: str,
    reponse: type,
    *,
    operation_id: str,
    summary: str,
    url_name: str,
    description: str = "",
    exemple: str = "",
    parametres: list[dict] | None = None,
):
    """Declares a read operation: GET and HEAD, its answer, and the API's errors (an invalid
    parameter is a 400, an unknown object or page a 404), with their French descriptions."""
    extra: dict[str, Any] = {**REPONSES}
    if parametres:
        extra["parameters"] = parametres
    if exemple:
        extra["x-exemple"] = exemple
    return api.api_operation(
        LIRE,
        chemin,
        response={200: reponse, 400: Erreur, 404: Erreur},
        operation_id=operation_id,
        summary=summary,
        description=description,
        url_name=url_name,
        openapi_extra=extra,
    )


def _objet(request: HttpRequest, nom: str, trouver) -> HttpResponse:
    """The cached answer about one public object: ``trouver()`` gives its JSON, or raises
    ``Http404`` (unknown, or not public) answered as the API's JSON 404, or its own ``Refus``."""

    def calcul(valeurs: dict) -> dict:
        try:
            return trouver()
        except Http404 as exc:
            raise Refus(str(exc) or "Introuvable.") from None

    return _reponse(request, nom, (), calcul)


@_operation(
    "/laureats/",
    PageLaureats,
    operation_id="listerLaureats",
    summary="Territoires lauréats",
    description=(
        "Les ateliers publiés (un par lauréat), avec les mêmes filtres que la page "
        "/laureats/ et les mêmes champs que l'export CSV."
    ),
    url_name="api_laureats",
    parametres=PARAMETRES_LAUREATS,
    exemple="?format=flash",
)
def laureats(request: HttpRequest, pagination: Query[Pagination]):
    filtre = LaureatFilterSet(request.GET, queryset=selectors.laureats_publics())

    def calcul(valeurs: dict) -> dict:
        if not filtre.is_valid():
            raise Refus("Paramètres invalides.", status=400, details=_erreurs_filtre(filtre))
        return _paginer(
            request,
            filtre.qs,
            valeurs,
            pagination,
            lot=lambda t: [exports.ligne(r) for r in exports.lignes(t)],
        )

    noms = [*filtre.filters, *_champs(Pagination)]
    return _reponse(request, "laureats", noms, calcul)


@_operation(
    "/territoires/",
    PageTerritoires,
    operation_id="listerTerritoires",
    summary="Territoires",
    description="Les territoires ayant au moins un atelier publié.",
    url_name="api_territoires",
    exemple="?region=53",
)
def territoires(
    request: HttpRequest, filtres: Query[FiltresTerritoires], pagination: Query[Pagination]
):
    def calcul(valeurs: dict) -> dict:
        qs = selectors.territoires_publics()
        if filtres.region:
            qs = qs.filter(region__code=filtres.region)
        if filtres.departement:
            qs = qs.filter(departements__code=filtres.departement)
        if filtres.nature:
            qs = qs.filter(nature=filtres.nature)
        return _paginer(
            request,
            qs,
            valeurs,
            pagination,
            lot=lambda t: [{**_territoire(x), "nombre_ateliers": x.nombre_ateliers} for x in t],
        )

    return _reponse(request, "territoires", _champs(FiltresTerritoires, Pagination), calcul)


@_operation(
    "/territoires/{slug:slug}/",
    TerritoireDetail,
    operation_id="lireTerritoire",
    summary="Un territoire",
    description=(
        "Un territoire, ses ateliers publiés, sa feuille de route et son rapport publiés."
    ),
    url_name="api_territoire",
)
def territoire(request: HttpRequest, chemin: Path[CheminSlug]):
    def trouver() -> dict:
        t = selectors.territoire_public(slug=chemin.slug)
        return {
            **_territoire(t),
            "ateliers": [
                {
                    "id": a.pk,
                    "titre": a.titre,
                    "format": a.format,
                    "session": a.session.slug if a.session else None,
                    "annee": a.annee,
                    "statut": a.statut,
                    "theme": a.theme,
                    "feuille_de_route": a.feuille_publiee.pk if a.feuille_publiee else None,
                    "rapport": (
                        f"{settings.SITE_URL}/rapports/{a.rapport_public.pk}/telecharger/"
                        if a.rapport_public
                        else None
                    ),
                }
                for a in t.publies
            ],
        }

    return _objet(request, "territoire", trouver)


@_operation(
    "/sessions/",
    PageSessions,
    operation_id="listerSessions",
    summary="Sessions nationales",
    description="Les sessions nationales depuis 2006, avec le nombre de lauréats publiés.",
    url_name="api_sessions",
    exemple="?annee=2021",
)
def sessions(request: HttpRequest, filtres: Query[FiltresSessions], pagination: Query[Pagination]):
    def calcul(valeurs: dict) -> dict:
        qs = selectors.sessions_publiques()
        if filtres.annee is not None:
            annee = filtres.annee
            qs = qs.filter(
                Q(annee_debut__lte=annee, annee_fin__gte=annee)
                | Q(annee_debut=annee, annee_fin__isnull=True)
            )
        if filtres.q:
            qs = recherche.filtrer(qs, filtres.q, champs=("titre", "theme"))
        return _paginer(request, qs, valeurs, pagination, lot=lambda t: [_session(s) for s in t])

    return _reponse(request, "sessions", _champs(FiltresSessions, Pagination), calcul)


@_operation(
    "/sessions/{slug:slug}/",
    Session,
    operation_id="lireSession",
    summary="Une session nationale",
    url_name="api_session",
)
def session(request: HttpRequest, chemin: Path[CheminSlug]):
    return _objet(
        request, "session", lambda: _session(selectors.session_publique(slug=chemin.slug))
    )


@_operation(
    "/feuilles-de-route/",
    PageFeuillesDeRoute,
    operation_id="listerFeuillesDeRoute",
    summary="Feuilles de route publiées",
    description=(
        "Les feuilles de route publiées : les axes et les actions de la version adoptée "
        "(le texte signé), avec l'état de suivi de chaque action."
    ),
    url_name="api_feuilles",
)
def feuilles(request: HttpRequest, filtres: Query[FiltresFeuilles], pagination: Query[Pagination]):
    def calcul(valeurs: dict) -> dict:
        qs = selectors.feuilles_publiees()
        if filtres.territoire:
            qs = qs.filter(atelier__territoire__slug=filtres.territoire)
        if filtres.region:
            qs = qs.filter(atelier__territoire__region__code=filtres.region)
        return _paginer(request, qs, valeurs, pagination, lot=_feuilles)

    return _reponse(request, "feuilles", _champs(FiltresFeuilles, Pagination), calcul)


@_operation(
    "/feuilles-de-route/{int:pk}/",
    FeuilleDeRoute,
    operation_id="lireFeuilleDeRoute",
    summary="Une feuille de route publiée",
    url_name="api_feuille",
)
def feuille(request: HttpRequest, chemin: Path[CheminFeuille]):
    def trouver() -> dict:
        f = selectors.feuilles_publiees().filter(pk=chemin.pk).first()
        if f is None:
            raise Refus("Feuille de route introuvable.")
        return _feuilles([f])[0]

    return _objet(request, "feuille", trouver)


# --- Schema, documentation, unknown addresses -----------------------------------------------


def urlpatterns() -> list[URLPattern]:
    """The operations' addresses, named by their ``url_name``. ``require_safe`` answers
    other methods as the rest of the site does (405, ``Allow: GET, HEAD``, no body). Ninja's
    own home page (``api-root``) is left out: /api/ is the documentation page."""
    return [
        URLPattern(p.pattern, require_safe(p.callback), p.default_args, p.name)
        for p in api.urls[0]
        if p.name != "api-root"
    ]


def schema_openapi() -> dict:
    """Ninja's OpenAPI schema of the API, at the site's public address."""
    # Through JSON: the statuses become the "200", "400"… keys a client reads.
    schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/")))
    schema["servers"] = [{"url": settings.SITE_URL}]
    for operations in schema["paths"].values():
        operations.pop("head", None)
        # The filters first, then the pagination, as the documentation has always listed them.
        parametres = operations["get"].get("parameters", [])
        parametres.sort(key=lambda p: p["name"] in Pagination.model_fields)
    # Ninja also lists the parameter models (Pagination, Filtres…) among the components:
    # only the answers' objects are kept.
    composants = schema["components"]["schemas"]
    gardes: set[str] = set()
    a_voir = [json.dumps(schema["paths"])]
    while a_voir:
        for nom in re.findall(r"#/components/schemas/(\w+)", a_voir.pop()):
            if nom not in gardes:
                gardes.add(nom)
                a_voir.append(json.dumps(composants[nom]))
    schema["components"]["schemas"] = {n: c for n, c in composants.items() if n in gardes}
    return schema


def introuvable(request: HttpRequest, **kwargs) -> HttpResponse:
    """Any other address under /api/: a JSON 404, like the API's own.

    This catch-all answers before CommonMiddleware's APPEND_SLASH could, so it redirects
    itself (301, query string kept) an address missing only its final slash.
    """
    if not request.path_info.endswith("/"):
        try:
            match = resolve(f"{request.path_info}/", getattr(request, "urlconf", None))
        except Resolver404:
            match = None
        if match is not None and match.func is not introuvable:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return _erreur("Adresse inconnue dans l'API : voir /api/openapi.json.", 404)


@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    corps = json.dumps(schema_openapi(), ensure_ascii=False, indent=2)
    response = HttpResponse(corps, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _type(propriete: dict) -> tuple[str, bool]:
    """(type shown, nullable) of a schema property: ``anyOf [X, null]`` is a nullable X."""
    variantes = propriete.get("anyOf", [propriete])
    nullable = any(v.get("type") == "null" for v in variantes)
    v = next((v for v in variantes if v.get("type") != "null"), {})
    return v.get("type") or v.get("$ref", "").rsplit("/", 1)[-1], nullable


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    schema = schema_openapi()
    operations = []
    for chemin, methodes in schema["paths"].items():
        op = methodes["get"]
        reponse = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        parametres = [
            {
                "p": {
                    "nom": p["name"],
                    "dans": p["in"],
                    "description": p.get("description", ""),
                    "enum": [v for v in p["schema"].get("enum", []) if v],
                },
                # The main variant of ``anyOf [X, null]`` or ``anyOf [X, ""]``: X.
                "schema": p["schema"].get("anyOf", [p["schema"]])[0],
            }
            for p in op.get("parameters", [])
        ]
        operations.append(
            {
                "op": {
                    "chemin": chemin,
                    "operation_id": op["operationId"],
                    "resume": op["summary"],
                    "description": op.get("description", ""),
                    "reponse": reponse.rsplit("/", 1)[-1],
                    "exemple": op.get("x-exemple", ""),
                },
                "parametres": parametres,
            }
        )
    composants = [
        {
            "nom": nom,
            "proprietes": [
                {
                    "nom": k,
                    "type": _type(v)[0],
                    "nullable": _type(v)[1],
                    "description": v.get("description", ""),
                }
                for k, v in comp.get("properties", {}).items()
            ],
        }
        for nom, comp in schema["components"]["schemas"].items()
        if not nom.startswith("Page")
    ]
    return render(
        request,
        "public/api_documentation.html",
        {
            "operations": operations,
            "composants": composants,
            "info": schema["info"],
            "breadcrumb": [("Données ouvertes", "/donnees/"), ("API", None)],
        },
    )
