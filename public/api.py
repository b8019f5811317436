"""The read-only JSON API of public data.

A small declarative description (``OPERATIONS``) drives three things at once: the validation
of query parameters (any invalid value → 400 with a JSON error, never a 500), the OpenAPI 3
schema served at /api/openapi.json, and the documentation page at /api/.
"""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.views.decorators.http import require_safe

from ateliers.formats import Format
from ateliers.models import Atelier
from feuilles_de_route.models import Action, FeuilleDeRoute
from territoires.data.geographie import DEPARTEMENTS, REGIONS
from territoires.models import Territoire

from . import exports, recherche, selectors
from .cache import ecrire, lire
from .filters import TRIS, LaureatFilterSet

TAILLE_DEFAUT = 20
TAILLE_MAX = 100


# --- Declarative description ----------------------------------------------------------------


@dataclass(frozen=True)
class Parametre:
    nom: str
    description: str
    type: str = "string"  # string | integer
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    dans: str = "query"
    motif: str = ""

    def schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": self.type}
        if self.enum:
            # An empty value means "no filter", as the HTML filter form sends it.
            s["enum"] = [*self.enum, ""]
        if self.minimum is not None:
            s["minimum"] = self.minimum
        if self.maximum is not None:
            s["maximum"] = self.maximum
        if self.max_length is not None:
            s["maxLength"] = self.max_length
        if self.motif:
            s["pattern"] = self.motif
            s["minLength"] = 1
        return s

    def valider(self, brut: str) -> Any:
        """The parsed value, or raise ValueError with a French message."""
        if "\x00" in brut:
            raise ValueError("caractère nul interdit.")
        if self.type == "integer":
            try:
                valeur = int(brut)
            except ValueError:
                raise ValueError("nombre entier attendu.") from None
            if self.minimum is not None and valeur < self.minimum:
                raise ValueError(f"doit valoir au moins {self.minimum}.")
            if self.maximum is not None and valeur > self.maximum:
                raise ValueError(f"doit valoir au plus {self.maximum}.")
            return valeur
        if self.enum and brut not in self.enum:
            raise ValueError(f"valeur inconnue (valeurs possibles : {', '.join(self.enum)}).")
        if self.max_length is not None and len(brut) > self.max_length:
            raise ValueError(f"{self.max_length} caractères au plus.")
        return brut


@dataclass(frozen=True)
class Operation:
    chemin: str
    operation_id: str
    resume: str
    description: str
    reponse: str  # component schema name
    parametres: tuple[Parametre, ...] = ()
    page: bool = True
    exemple: str = ""
    vue: Callable | None = field(default=None, compare=False)


PAGE = Parametre("page", "Numéro de page (à partir de 1).", "integer", minimum=1, maximum=100000)
TAILLE = Parametre(
    "taille", f"Nombre de résultats par page (1 à {TAILLE_MAX}, {TAILLE_DEFAUT} par défaut).",
    "integer", minimum=1, maximum=TAILLE_MAX,
)  # fmt: skip
REGION = Parametre("region", "Code INSEE de la région.", enum=tuple(r[0] for r in REGIONS))
DEPARTEMENT = Parametre(
    "departement", "Code INSEE du département.", enum=tuple(d[0] for d in DEPARTEMENTS)
)
SLUG = Parametre(
    "slug", "Identifiant dans les adresses du site.", dans="path", max_length=250,
    motif=r"^[-a-zA-Z0-9_]+$",
)  # fmt: skip

PARAMETRES_LAUREATS = (
    Parametre("q", "Recherche plein texte en français (accents et pluriels ignorés).",
              max_length=200),
    Parametre("session", "Identifiant (slug) de la session nationale.", max_length=250),
    Parametre("format", "Format de l'atelier.", enum=tuple(Format.values)),
    Parametre("annee", "Année de sélection.", "integer", minimum=2000, maximum=2100),
    REGION,
    DEPARTEMENT,
    Parametre("statut", "État de l'atelier.", enum=tuple(Atelier.Statut.values)),
    Parametre("theme", "Thème (de l'atelier ou de sa session), sans distinction de casse.",
              max_length=250),
    Parametre("tri", "Ordre des résultats.", enum=tuple(TRIS)),
)  # fmt: skip


class ParametresInvalides(Exception):
    def __init__(self, details: dict[str, list[str]]):
        self.details = details


def _valider(request: HttpRequest, parametres: tuple[Parametre, ...]) -> dict[str, Any]:
    valeurs: dict[str, Any] = {}
    details: dict[str, list[str]] = {}
    for p in parametres:
        if p.dans != "query":
            continue
        if p.nom not in request.GET:
            continue
        brut = request.GET[p.nom]
        if brut == "" and p.type != "integer":
            continue
        try:
            valeurs[p.nom] = p.valider(brut)
        except ValueError as exc:
            details[p.nom] = [str(exc)]
    if details:
        raise ParametresInvalides(details)
    return valeurs


def _erreur(message: str, status: int, details: dict | None = None) -> JsonResponse:
    return JsonResponse({"erreur": message, "details": details or {}}, status=status)


def _paginer(request: HttpRequest, items, valeurs: dict, serialiser=None, *, lot=None) -> dict:
    taille = valeurs.get("taille", TAILLE_DEFAUT)
    numero = valeurs.get("page", 1)
    total = items.count()
    pages = max(1, math.ceil(total / taille))
    if numero > pages:
        raise Http404("Page inexistante.")
    debut = (numero - 1) * taille
    tranche = items[debut : debut + taille]
    resultats = lot(tranche) if lot else [serialiser(o) for o in tranche]

    def lien(n: int) -> str | None:
        if n < 1 or n > pages:
            return None
        # The validated parameters only: unknown ones are not part of the (cached) answer.
        params = {nom: request.GET[nom] for nom in sorted(valeurs)} | {"page": str(n)}
        return f"{settings.SITE_URL}{request.path}?{urlencode(params)}"

    return {
        "total": total,
        "page": numero,
        "pages": pages,
        "taille": taille,
        "suivante": lien(numero + 1),
        "precedente": lien(numero - 1),
        "resultats": resultats,
    }


def _endpoint(parametres: tuple[Parametre, ...]):
    """Wrap a view computing a JSON-able value: validation, caching, 400/404 as JSON."""

    def decorateur(calcul: Callable[..., Any]):
        @require_safe
        def vue(request: HttpRequest, **kwargs) -> HttpResponse:
            try:
                valeurs = _valider(request, parametres)
            except ParametresInvalides as exc:
                return _erreur("Paramètres invalides.", 400, exc.details)

            def produire() -> dict:
                try:
                    corps = calcul(request, valeurs, **kwargs)
                except Http404 as exc:
                    return {"status": 404, "corps": {"erreur": str(exc) or "Introuvable."}}
                except ParametresInvalides as exc:
                    return {
                        "status": 400,
                        "corps": {"erreur": "Paramètres invalides.", "details": exc.details},
                    }
                return {"status": 200, "corps": corps}

            # Keyed on the validated parameters: unknown, empty or reordered ones reuse the
            # cached answer (and cannot fill the cache).
            cle = urlencode([(nom, request.GET[nom]) for nom in sorted(valeurs)])
            if (
                str(valeurs.get("q") or "").strip()
                or valeurs.get("theme")
                or (valeurs.get("page") or 1) > 1000
            ):
                # Free text (a search, a theme) or a page beyond any list: computed, never
                # cached, since each distinct value would be a new entry.
                resultat = produire()
            else:
                # Only answers that succeeded: an unknown slug or session would otherwise
                # get its own entry.
                nom, parts = f"api:{calcul.__name__}", (f"{request.path}?{cle}",)
                resultat, generation = lire(nom=nom, parts=parts)
                if resultat is None:
                    resultat = produire()
                    if resultat["status"] == 200:
                        ecrire(nom=nom, parts=parts, generation=generation, valeur=resultat)
            corps = resultat["corps"]
            if resultat["status"] != 200:
                corps = {"details": {}, **corps}
            response = JsonResponse(
                corps, status=resultat["status"], json_dumps_params={"ensure_ascii": False}
            )
            response["Access-Control-Allow-Origin"] = "*"
            return response

        vue.__name__ = calcul.__name__
        return vue

    return decorateur


# --- Serialisers ----------------------------------------------------------------------------


def _territoire(t: Territoire) -> dict:
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


def _feuille(f: FeuilleDeRoute, suivi: dict) -> dict:
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

PARAMETRES_TERRITOIRES = (
    REGION,
    DEPARTEMENT,
    Parametre("nature", "Nature du territoire.", enum=tuple(Territoire.Nature.values)),
    PAGE,
    TAILLE,
)


@_endpoint((*PARAMETRES_LAUREATS, PAGE, TAILLE))
def laureats(request, valeurs):
    filtre = LaureatFilterSet(request.GET, queryset=selectors.laureats_publics())
    if not filtre.is_valid():
        raise ParametresInvalides(filtre.erreurs())
    return _paginer(
        request, filtre.qs, valeurs, lot=lambda t: [exports.ligne(r) for r in exports.lignes(t)]
    )


@_endpoint(PARAMETRES_TERRITOIRES)
def territoires(request, valeurs):
    qs = selectors.territoires_publics()
    if "region" in valeurs:
        qs = qs.filter(region__code=valeurs["region"])
    if "departement" in valeurs:
        qs = qs.filter(departements__code=valeurs["departement"])
    if "nature" in valeurs:
        qs = qs.filter(nature=valeurs["nature"])

    def serialiser(t):
        return {**_territoire(t), "nombre_ateliers": t.nombre_ateliers}

    return _paginer(request, qs, valeurs, serialiser)


@_endpoint(())
def territoire(request, valeurs, slug):
    t = selectors.territoire_public(slug=slug)
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


PARAMETRES_SESSIONS = (
    Parametre("annee", "Année couverte par la session (entre son année de début et de fin).",
              "integer", minimum=2000, maximum=2100),
    Parametre("q", "Recherche dans le titre et le thème (accents et pluriels ignorés).",
              max_length=200),
    PAGE,
    TAILLE,
)  # fmt: skip


@_endpoint(PARAMETRES_SESSIONS)
def sessions(request, valeurs):
    qs = selectors.sessions_publiques()
    if "annee" in valeurs:
        annee = valeurs["annee"]
        qs = qs.filter(
            Q(annee_debut__lte=annee, annee_fin__gte=annee)
            | Q(annee_debut=annee, annee_fin__isnull=True)
        )
    if "q" in valeurs:
        qs = recherche.filtrer(qs, valeurs["q"], champs=("titre", "theme"))
    return _paginer(request, qs, valeurs, _session)


@_endpoint(())
def session(request, valeurs, slug):
    return _session(selectors.session_publique(slug=slug))


PARAMETRES_FEUILLES = (
    Parametre("territoire", "Identifiant (slug) du territoire.", max_length=250),
    REGION,
    PAGE,
    TAILLE,
)


@_endpoint(PARAMETRES_FEUILLES)
def feuilles(request, valeurs):
    qs = selectors.feuilles_publiees()
    if "territoire" in valeurs:
        qs = qs.filter(atelier__territoire__slug=valeurs["territoire"])
    if "region" in valeurs:
        qs = qs.filter(atelier__territoire__region__code=valeurs["region"])
    return _paginer(request, qs, valeurs, lot=_feuilles)


@_endpoint(())
def feuille(request, valeurs, pk):
    f = selectors.feuilles_publiees().filter(pk=pk).first()
    if f is None:
        raise Http404("Feuille de route introuvable.")
    return _feuilles([f])[0]


PK = Parametre("pk", "Identifiant de la feuille de route.", "integer", minimum=1, dans="path")

OPERATIONS: tuple[Operation, ...] = (
    Operation("/api/laureats/", "listerLaureats", "Territoires lauréats",
              "Les ateliers publiés (un par lauréat), avec les mêmes filtres que la page "
              "/laureats/ et les mêmes champs que l'export CSV.",
              "PageLaureats", (*PARAMETRES_LAUREATS, PAGE, TAILLE), exemple="?format=flash"),
    Operation("/api/territoires/", "listerTerritoires", "Territoires",
              "Les territoires ayant au moins un atelier publié.",
              "PageTerritoires", PARAMETRES_TERRITOIRES, exemple="?region=53"),
    Operation("/api/territoires/{slug}/", "lireTerritoire", "Un territoire",
              "Un territoire, ses ateliers publiés, sa feuille de route et son rapport publiés.",
              "TerritoireDetail", (SLUG,), page=False),
    Operation("/api/sessions/", "listerSessions", "Sessions nationales",
              "Les sessions nationales depuis 2006, avec le nombre de lauréats publiés.",
              "PageSessions", PARAMETRES_SESSIONS, exemple="?annee=2021"),
    Operation("/api/sessions/{slug}/", "lireSession", "Une session nationale", "",
              "Session", (SLUG,), page=False),
    Operation("/api/feuilles-de-route/", "listerFeuillesDeRoute", "Feuilles de route publiées",
              "Les feuilles de route publiées : les axes et les actions de la version adoptée "
              "(le texte signé), avec l'état de suivi de chaque action.",
              "PageFeuillesDeRoute", PARAMETRES_FEUILLES),
    Operation("/api/feuilles-de-route/{pk}/", "lireFeuilleDeRoute",
              "Une feuille de route publiée", "", "FeuilleDeRoute", (PK,), page=False),
)  # fmt: skip


# --- OpenAPI --------------------------------------------------------------------------------


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def _objet(proprietes: dict[str, dict]) -> dict:
    return {
        "type": "object",
        "required": list(proprietes),
        "properties": proprietes,
    }


def _page(ref: str) -> dict:
    return _objet(
        {
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "taille": {"type": "integer", "minimum": 1},
            "suivante": _nullable({"type": "string"}),
            "precedente": _nullable({"type": "string"}),
            "resultats": {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}},
        }
    )


def _colonne_schema(c: exports.Colonne) -> dict:
    s: dict[str, Any] = {"type": c.type, "description": c.description}
    if c.format and c.format != "uri":
        s["format"] = c.format
    return _nullable(s) if c.nullable else s


def _composants() -> dict:
    s = {"type": "string"}
    territoire = {
        "slug": s,
        "nom": s,
        "nature": {"type": "string", "enum": list(Territoire.Nature.values)},
        "code_insee": s,
        "siren": s,
        "region": _objet({"code": s, "nom": s}),
        "departements": {"type": "array", "items": s},
        "latitude": _nullable({"type": "number"}),
        "longitude": _nullable({"type": "number"}),
        "perimetre": _nullable({"type": "object"}),
        "url": s,
    }
    atelier_public = _objet(
        {
            "id": {"type": "integer"},
            "titre": s,
            "format": {"type": "string", "enum": list(Format.values)},
            "session": _nullable(s),
            "annee": {"type": "integer"},
            "statut": {"type": "string", "enum": list(Atelier.Statut.values)},
            "theme": s,
            "feuille_de_route": _nullable({"type": "integer"}),
            "rapport": _nullable(s),
        }
    )
    # An action as adopted (the signed version's frozen content), with its live follow-up.
    action = _objet(
        {
            "titre": s,
            "description": s,
            "porteur": _nullable(s),
            "partenaires": {"type": "array", "items": s},
            "echeance": _nullable({"type": "string", "format": "date"}),
            "cout_estime": _nullable({**s, "description": "Montant en euros, ex. « 12500.00 »."}),
            "financements": {
                "type": "array",
                "items": _objet({"source": s, "montant": _nullable(s)}),
            },
            "indicateurs": s,
            "priorite": s,
            "statut_suivi": _nullable(
                {**s, "description": "État de suivi de l'action depuis l'adoption."}
            ),
            "avancement": _nullable(
                {"type": "integer", "minimum": 0, "maximum": 100, "description": "En %."}
            ),
            "site": _nullable(s),
        }
    )
    return {
        "Erreur": _objet({"erreur": s, "details": {"type": "object"}}),
        "Laureat": _objet({c.nom: _colonne_schema(c) for c in exports.COLONNES}),
        "Territoire": _objet({**territoire, "nombre_ateliers": {"type": "integer"}}),
        "TerritoireDetail": _objet(
            {**territoire, "ateliers": {"type": "array", "items": atelier_public}}
        ),
        "Session": _objet(
            {
                "slug": s,
                "titre": s,
                "theme": s,
                "annee_debut": {"type": "integer"},
                "annee_fin": _nullable({"type": "integer"}),
                "description": s,
                "nombre_laureats": {"type": "integer", "minimum": 0},
                "url": s,
            }
        ),
        "FeuilleDeRoute": _objet(
            {
                "id": {"type": "integer"},
                "titre": s,
                "preambule": s,
                "publiee_le": _nullable({"type": "string", "format": "date-time"}),
                "version": _nullable({"type": "integer"}),
                "atelier": _objet(
                    {
                        "id": {"type": "integer"},
                        "titre": s,
                        "format": {"type": "string", "enum": list(Format.values)},
                    }
                ),
                "territoire": _objet({"slug": s, "nom": s}),
                "axes": {
                    "type": "array",
                    "items": _objet(
                        {
                            "titre": s,
                            "description": s,
                            "actions": {"type": "array", "items": action},
                        }
                    ),
                },
            }
        ),
        "PageLaureats": _page("Laureat"),
        "PageTerritoires": _page("Territoire"),
        "PageSessions": _page("Session"),
        "PageFeuillesDeRoute": _page("FeuilleDeRoute"),
    }


def schema_openapi() -> dict:
    erreur = {"$ref": "#/components/schemas/Erreur"}

    def reponse(description: str, schema: dict) -> dict:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    chemins = {}
    for op in OPERATIONS:
        reponses = {
            "200": reponse("Succès", {"$ref": f"#/components/schemas/{op.reponse}"}),
            "400": reponse("Paramètres invalides", erreur),
        }
        if op.page or any(p.dans == "path" for p in op.parametres):
            reponses["404"] = reponse("Introuvable (ou page inexistante)", erreur)
        chemins[op.chemin] = {
            "get": {
                "operationId": op.operation_id,
                "summary": op.resume,
                "description": op.description,
                "parameters": [
                    {
                        "name": p.nom,
                        "in": p.dans,
                        "required": p.dans == "path",
                        "description": p.description,
                        "schema": p.schema(),
                    }
                    for p in op.parametres
                ],
                "responses": reponses,
            }
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "API de l'Atelier des territoires",
            "version": "1.0",
            "description": (
                "Données publiques du programme Atelier des territoires (DGALN) : territoires "
                "lauréats, sessions nationales, feuilles de route publiées. Lecture seule, "
                f"sans authentification. {exports.LICENCE}."
            ),
            "license": {"name": exports.LICENCE, "url": exports.LICENCE_URL},
        },
        "servers": [{"url": settings.SITE_URL}],
        "paths": chemins,
        "components": {"schemas": _composants()},
    }


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


@require_safe
def documentation(request: HttpRequest) -> HttpResponse:
    schema = schema_openapi()
    operations = [
        {"op": op, "parametres": [{"p": p, "schema": p.schema()} for p in op.parametres]}
        for op in OPERATIONS
    ]
    composants = [
        {
            "nom": nom,
            "proprietes": [
                {
                    "nom": k,
                    "type": v.get("type") or v.get("$ref", "").rsplit("/", 1)[-1],
                    "nullable": v.get("nullable", False),
                    "description": v.get("description", ""),
                }
                for k, v in comp["properties"].items()
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
