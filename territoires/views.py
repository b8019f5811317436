"""Public pages: lauréats (list, map), territories, national sessions, open data.

Anyone may read these pages; only published content is shown (see selectors). Each page's
data-dependent part is rendered once per cache generation and query string, then embedded
in the layout — the layout itself carries per-request parts (CSP nonce, signed-in menu).
"""

import gzip
import math
import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from . import compression, exports, referentiel, selectors
from .filters import PARAMETRES, LaureatFilterSet
from .services import ecrire, en_cache, lire

PAR_PAGE = 20
PARAMETRES_LISTE = (*PARAMETRES, "page")
NONCE = b"__ATELIER_CSP_NONCE__"
_ACCEPTE_GZIP = re.compile(r"\bgzip\b")


def _servir(request, page, *, status: int, content_type: str) -> HttpResponse:
    nonce = str(request.csp_nonce).encode()  # generated now: the CSP header will carry it
    if _ACCEPTE_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(page.gzip(nonce), status=status, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(page.brute(nonce), status=status, content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def cle_requete(request: HttpRequest, parametres: tuple[str, ...] = ()) -> str:
    """The path and the query parameters that shape the response, in a stable order: an
    unknown, empty or reordered parameter does not make a new cache entry (nor lets anyone
    fill the cache with junk addresses). Repeated values keep their order (the last wins)."""
    valeurs = [(cle, v) for cle in sorted(parametres) for v in request.GET.getlist(cle) if v]
    return f"{request.path}?{urlencode(valeurs)}" if valeurs else request.path


def page_publique(vue=None, *, parametres: tuple[str, ...] = ()):
    """Cache the whole page for visitors without a session (the public at large).

    The page is stored with its CSP nonce replaced by a placeholder, and served with the
    nonce of the current request: a cached page costs a cache read and a string replace.
    Signed-in users (session cookie) get the per-fragment cache, with their own menu.
    ``parametres``: the query parameters the page reads; the others do not reach the key.
    """
    if vue is None:
        return lambda v: page_publique(v, parametres=parametres)

    @wraps(vue)
    def enveloppe(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "messages" in request.COOKIES
        ):
            return vue(request, *args, **kwargs)
        parts = (cle_requete(request, parametres),)
        stocke, generation = lire(nom="page", parts=parts, local=True)
        if stocke is not None:
            status, content_type, page = stocke
            return _servir(request, page, status=status, content_type=content_type)
        response = vue(request, *args, **kwargs)
        partageable = (
            response.status_code in (200, 400, 404)
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and not getattr(response, "streaming", False)
        )
        if partageable:
            corps = response.content
            nonce = getattr(request, "_csp_nonce", None)
            if nonce:
                corps = corps.replace(nonce.encode(), NONCE)
            page = compression.preparer(corps, NONCE)
            ecrire(
                nom="page",
                parts=parts,
                generation=generation,
                valeur=(response.status_code, response["Content-Type"], page),
                local=True,
            )
        return response

    return enveloppe


def filtre_laureats(request: HttpRequest) -> LaureatFilterSet:
    """The lauréat FilterSet bound to the query string (shared by list, map, exports)."""
    facettes = en_cache(nom="facettes", parts=(), calcul=selectors.facettes)
    return LaureatFilterSet(request.GET, queryset=selectors.laureats_publics(), facettes=facettes)


def _requete_filtres(request: HttpRequest) -> str:
    """The filter part of the query string, kept when switching between list, map, exports."""
    params = request.GET.copy()
    for key in list(params):
        if key not in PARAMETRES or not params.get(key):
            del params[key]
    return params.urlencode()


def _canonique(request: HttpRequest, parametres: tuple[str, ...] = ()) -> str:
    """The page's canonical address: the site's, with only the parameters the page reads."""
    return settings.SITE_URL + cle_requete(request, parametres)


def _rendu_en_cache(request: HttpRequest, nom: str, calcul, parametres) -> dict:
    return en_cache(nom=nom, parts=(cle_requete(request, parametres),), calcul=calcul)


@require_safe
@page_publique(parametres=PARAMETRES_LISTE)
def laureats(request: HttpRequest) -> HttpResponse:
    def calcul() -> dict:
        filtre = filtre_laureats(request)
        valide = filtre.is_valid()
        contexte = {"filtre": filtre, "requete": _requete_filtres(request), "valide": valide}
        if valide:
            # One filtered query (the full-text search runs once) gives both the count and
            # the page's ids; the page's rows are then read by primary key.
            identifiants = list(filtre.qs.values_list("pk", flat=True))
            paginator = Paginator(identifiants, PAR_PAGE)
            page = paginator.get_page(request.GET.get("page"))
            page.pages_list = list(paginator.get_elided_page_range(page.number))
            lignes = selectors.laureats_publics().in_bulk(list(page.object_list))
            page.object_list = [lignes[pk] for pk in page.object_list if pk in lignes]
            contexte.update(page_obj=page, total=paginator.count)
        return {
            "html": render_to_string(
                "territoires/includes/laureats_resultats.html", contexte, request=request
            ),
            "status": 200 if valide else 400,
        }

    rendu = _rendu_en_cache(request, "laureats", calcul, PARAMETRES_LISTE)
    return render(
        request,
        "territoires/laureat_list.html",
        {
            "fragment": rendu["html"],
            "breadcrumb": [("Territoires lauréats", None)],
            "canonical": _canonique(request, PARAMETRES_LISTE),
        },
        status=rendu["status"],
    )


@require_safe
@page_publique(parametres=PARAMETRES)
def carte(request: HttpRequest) -> HttpResponse:
    def calcul() -> dict:
        filtre = filtre_laureats(request)
        valide = filtre.is_valid()
        contexte = {"filtre": filtre, "requete": _requete_filtres(request), "valide": valide}
        if valide:
            contexte["total"] = filtre.qs.count()
        return {
            "html": render_to_string(
                "territoires/includes/carte_filtres.html", contexte, request=request
            ),
            "requete": contexte["requete"],
            "status": 200 if valide else 400,
        }

    rendu = _rendu_en_cache(request, "carte", calcul, PARAMETRES)
    return render(
        request,
        "territoires/laureat_carte.html",
        {
            "fragment": rendu["html"],
            "requete": rendu["requete"],
            "breadcrumb": [("Territoires lauréats", "/laureats/"), ("Carte", None)],
            "canonical": _canonique(request, PARAMETRES),
        },
        status=rendu["status"],
    )


@require_safe
@page_publique
def territoire_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def calcul() -> dict:
        territoire = selectors.territoire_public(slug=slug)
        sites = [
            {"type": "Feature", "geometry": s.geometrie, "properties": {"nom": s.nom}}
            for a in territoire.publies
            for s in a.sites
        ]
        contexte = {"territoire": territoire, "sites": sites}
        return {
            "html": render_to_string(
                "territoires/includes/territoire_contenu.html", contexte, request=request
            ),
            "meta": render_to_string(
                "territoires/includes/territoire_meta.html", contexte, request=request
            ),
            "nom": territoire.nom,
            "carte": {
                "point": territoire.point,
                "perimetre": territoire.perimetre,
                "sites": sites,
                "communes": referentiel.communes_du_territoire(territoire),
            },
        }

    rendu = en_cache(nom="territoire", parts=(slug,), calcul=calcul)
    return render(
        request,
        "territoires/territoire_detail.html",
        {
            **rendu,
            "breadcrumb": [("Territoires lauréats", "/laureats/"), (rendu["nom"], None)],
        },
    )


@require_safe
@page_publique
def sessions(request: HttpRequest) -> HttpResponse:
    def calcul() -> dict:
        contexte = {"sessions": list(selectors.sessions_publiques())}
        return {
            "html": render_to_string(
                "territoires/includes/session_list_contenu.html", contexte, request=request
            )
        }

    rendu = en_cache(nom="sessions", parts=(), calcul=calcul)
    return render(
        request,
        "territoires/session_list.html",
        {
            **rendu,
            "breadcrumb": [("Sessions nationales", None)],
            "canonical": _canonique(request),
        },
    )


@require_safe
@page_publique
def session_detail(request: HttpRequest, slug: str) -> HttpResponse:
    def calcul() -> dict:
        session = selectors.session_publique(slug=slug)
        laureats = list(
            selectors.laureats_publics().filter(session=session).order_by("territoire__nom", "pk")
        )
        contexte = {"session": session, "laureats": laureats}
        return {
            "html": render_to_string(
                "territoires/includes/session_contenu.html", contexte, request=request
            ),
            "titre": session.titre,
        }

    rendu = en_cache(nom="session", parts=(slug,), calcul=calcul)
    return render(
        request,
        "territoires/session_detail.html",
        {
            **rendu,
            "breadcrumb": [("Sessions nationales", "/sessions/"), (rendu["titre"], None)],
            "canonical": _canonique(request),
        },
    )


@require_safe
@page_publique
def donnees(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "territoires/donnees.html",
        {
            "colonnes": exports.COLONNES,
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
            "breadcrumb": [("Données ouvertes", None)],
            "canonical": _canonique(request),
        },
    )


def _export_gzip(request: HttpRequest, *, nom: str, produire) -> bytes | dict:
    """The gzip bytes of an export (or ``{"erreurs": ...}``), computed once per generation."""
    parts = (cle_requete(request, PARAMETRES),)
    valeur, generation = lire(nom=nom, parts=parts, local=True)
    if valeur is None:
        filtre = filtre_laureats(request)
        if filtre.is_valid():
            # Stored compressed once: large exports are not gzipped again on every request.
            valeur = {"gzip": gzip.compress(produire(filtre.qs), compresslevel=5, mtime=0)}
        else:
            valeur = {"erreurs": filtre.erreurs()}
        ecrire(nom=nom, parts=parts, generation=generation, valeur=valeur, local=True)
    return valeur.get("gzip", valeur)


def _export(request: HttpRequest, *, nom: str, content_type: str, fichier: str, produire):
    resultat = _export_gzip(request, nom=nom, produire=produire)
    if isinstance(resultat, dict):
        return JsonResponse(
            {"erreur": "Paramètres invalides.", "details": resultat["erreurs"]}, status=400
        )
    if _ACCEPTE_GZIP.search(request.headers.get("Accept-Encoding", "")):
        # Already compressed: GZipMiddleware leaves a response with Content-Encoding alone.
        response = HttpResponse(resultat, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(resultat), content_type=content_type)
    response["Vary"] = "Accept-Encoding"
    response["Content-Disposition"] = f'inline; filename="{fichier}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Link"] = f'<{exports.LICENCE_URL}>; rel="license"'
    return response


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        nom="csv",
        content_type="text/csv; charset=utf-8",
        fichier="laureats.csv",
        produire=exports.en_csv,
    )


@require_safe
def export_geojson(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        nom="geojson",
        content_type="application/geo+json",
        fichier="laureats.geojson",
        produire=exports.en_geojson,
    )


@require_safe
def carte_donnees(request: HttpRequest) -> HttpResponse:
    """The lauréat map's data layer (same filters as the list), lighter than the export."""
    return _export(
        request,
        nom="carte",
        content_type="application/json",
        fichier="carte.json",
        produire=exports.en_carte,
    )


PERIMETRES_MAX = 200


@require_safe
def carte_perimetres(request: HttpRequest) -> JsonResponse:
    """The perimeters of the filtered lauréats whose point lies in ``?bbox=W,S,E,N``, for the
    map zoomed in (at most ``PERIMETRES_MAX``, the largest first)."""
    try:
        ouest, sud, est, nord = (float(v) for v in request.GET.get("bbox", "").split(","))
        if not all(math.isfinite(v) for v in (ouest, sud, est, nord)):
            raise ValueError
    except ValueError:
        return JsonResponse({"erreur": "bbox attendu : ouest,sud,est,nord (degrés)."}, status=400)
    filtre = filtre_laureats(request)
    if not filtre.is_valid():
        return JsonResponse({"erreur": "Paramètres invalides.", "details": filtre.erreurs()},
                            status=400)  # fmt: skip
    lignes = (
        filtre.qs.filter(
            territoire__perimetre__isnull=False,
            territoire__longitude__range=(ouest, est),
            territoire__latitude__range=(sud, nord),
        )
        .order_by("-territoire__population", "pk")
        .values_list("territoire__slug", "territoire__nom", "territoire__perimetre")
        .distinct()[:PERIMETRES_MAX]
    )
    return JsonResponse({"perimetres": [list(ligne) for ligne in lignes]})


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    """Crawlers keep out of the private areas and the JSON endpoints; the API documentation
    page (``/api/`` exactly, listed in the sitemap) stays open: ``Allow: /api/$`` is the
    longer match, so it wins over ``Disallow: /api/`` (RFC 9309). The sitemap is announced
    at the public address (``SITE_URL``), not at whatever host the request named."""
    base = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
    lignes = [
        "User-agent: *",
        "Disallow: /espace/",
        "Disallow: /gestion/",
        "Disallow: /comptes/",
        "Disallow: /admin/",
        "Allow: /api/$",
        "Disallow: /api/",
        f"Sitemap: {base}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lignes) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def lieux(request: HttpRequest) -> JsonResponse:
    """The autocomplete over the reference: ``?q=`` a name, postcode, INSEE code or SIREN;
    ``?type=commune`` or ``?type=epci`` to keep one kind. Public reference data."""
    types = tuple(t for t in request.GET.getlist("type") if t in ("commune", "epci"))
    resultats = referentiel.lieux_search(
        request.GET.get("q", ""), types=types or ("commune", "epci")
    )
    response = JsonResponse({"resultats": resultats})
    response["Cache-Control"] = "public, max-age=3600"
    return response
