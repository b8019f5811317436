"""Public pages: lauréats (list, map), territories, national sessions, open data.

Anyone may read these pages; only published content is shown (see selectors). Each page's
data-dependent part is rendered once per cache generation and query string, then embedded
in the layout — the layout itself carries the signed-in menu.
"""

import gzip
import math
import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from appels import selectors as appels_selectors
from atelier.pagination import paginer
from ateliers.formats import FORMATS, Format
from ateliers.models import Atelier
from feuilles_de_route.comparaison import comparer
from feuilles_de_route.models import Synthese
from territoires import referentiel
from territoires.geo import simplify_for_display

from . import exports, selectors
from .cache import ecrire, en_cache, lire
from .filters import PARAMETRES, TRI_DEFAUT, LaureatFilterSet

PAR_PAGE = 20
PARAMETRES_LISTE = (*PARAMETRES, "page")
_ACCEPTE_GZIP = re.compile(r"\bgzip\b")


def home(request):
    formats = [(Format(code).label, spec) for code, spec in FORMATS.items()]
    context = {
        "formats": formats,
        "appels_ouverts": appels_selectors.appels_ouverts()[:3],
        "appels_a_venir": appels_selectors.appels_a_venir()[:3],
        "chiffres": selectors.chiffres_programme(),
    }
    return render(request, "public/home.html", context)


def page(name: str):
    """A static page of the site (legal notices), rendered from ``templates/public/pages/``."""

    def view(request):
        from django.conf import settings

        # The retention periods the données personnelles page states (from the settings).
        conservation = {
            "candidatures": settings.ATELIER_CONSERVATION_CANDIDATURES_JOURS,
            "invitations": settings.ATELIER_CONSERVATION_INVITATIONS_JOURS,
            "securite": settings.ATELIER_CONSERVATION_SECURITE_JOURS,
        }
        return render(request, f"public/pages/{name}.html", {"conservation": conservation})

    view.__name__ = f"page_{name}"
    return view


def cle_requete(request: HttpRequest, parametres: tuple[str, ...] = ()) -> str:
    """The path and the query parameters that shape the response, in a stable order: an
    unknown, empty or reordered parameter does not make a new cache entry (nor lets anyone
    fill the cache with junk addresses). Repeated values keep their order (the last wins)."""
    valeurs = [(cle, v) for cle in sorted(parametres) for v in request.GET.getlist(cle) if v]
    return f"{request.path}?{urlencode(valeurs)}" if valeurs else request.path


def _servir(request: HttpRequest, page: tuple) -> HttpResponse:
    status, content_type, brute, compressee = page
    if _ACCEPTE_GZIP.search(request.headers.get("Accept-Encoding", "")):
        response = HttpResponse(compressee, status=status, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(brute, status=status, content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def recherche_libre(request: HttpRequest) -> bool:
    """A request whose answer is computed, never cached: a free-text search (``q``), a theme
    that is not one of the known themes, a page number beyond any list. Every distinct value
    anyone types would otherwise be a new cache entry (pages, fragments, exports) in the
    Redis that is also the broker; the other parameters take values from closed lists."""
    if request.GET.get("q", "").strip():
        return True
    page = request.GET.get("page", "")
    if page and not (page.isascii() and page.isdigit() and 1 <= int(page) <= 1000):
        return True
    theme = request.GET.get("theme", "")
    if theme:
        facettes = en_cache(nom="facettes", parts=(), calcul=selectors.facettes)
        return theme not in facettes["themes"]
    return False


def page_publique(vue=None, *, parametres: tuple[str, ...] = ()):
    """Cache the whole page for visitors without a session (the public at large).

    Public pages read no CSP nonce (their scripts are static files, allowed by
    ``script-src 'self'``), so a page is the same for every visitor: it is stored once per
    generation and query string, as is and gzipped, and a cached page costs one cache round
    trip (or, for a page this process already served, a read of the generation number) and
    no compression. Django's ``cache_page`` measured slower (README, "Mesures de
    performance"): three round trips per page and no copy kept by the process.
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
            or recherche_libre(request)
        ):
            return vue(request, *args, **kwargs)
        parts = (cle_requete(request, parametres),)
        stockee, generation = lire(nom="page", parts=parts, local=True)
        if stockee is not None:
            return _servir(request, stockee)
        response = vue(request, *args, **kwargs)
        # Only successful pages: an address made of junk (a bad filter value, an unknown
        # slug) would otherwise get its own entry, and anyone can make up addresses.
        partageable = (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and not getattr(response, "streaming", False)
            # A page that read the nonce is this response's alone (never the case of the
            # public templates; a safeguard against one that would).
            and getattr(request, "_csp_nonce", None) is None
        )
        if partageable:
            corps = response.content
            page = (
                response.status_code,
                response["Content-Type"],
                corps,
                gzip.compress(corps, compresslevel=6, mtime=0),
            )
            ecrire(nom="page", parts=parts, generation=generation, valeur=page, local=True)
        return response

    return enveloppe


# The home page is cached like the other public pages (defined above, before the decorator):
# publishing an atelier, a call or a session bumps the public generation. A call whose closing
# date passes leaves the list within the page's lifetime (it refuses submissions at once).
home = require_safe(page_publique(home))


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
    """The page's data-dependent part, cached when the request is not free text and the
    filters are valid (a junk value must not get its own entry)."""
    if recherche_libre(request):
        return calcul()
    parts = (cle_requete(request, parametres),)
    rendu, generation = lire(nom=nom, parts=parts)
    if rendu is None:
        rendu = calcul()
        if rendu["status"] == 200:
            ecrire(nom=nom, parts=parts, generation=generation, valeur=rendu)
    return rendu


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
            # The historical lauréats that the same filters select are interleaved in the
            # same order; the page's rows of each kind are then read by primary key.
            historiques = filtre.historiques(selectors.laureats_historiques())
            tri = filtre.form.cleaned_data.get("tri") or TRI_DEFAUT
            identifiants = selectors.fusion_laureats(filtre.qs, historiques, tri)
            page = paginer(request, identifiants, PAR_PAGE)
            lignes = {
                "atelier": selectors.laureats_publics().in_bulk(
                    [pk for genre, pk in page.object_list if genre == "atelier"]
                ),
                "historique": selectors.laureats_historiques().in_bulk(
                    [pk for genre, pk in page.object_list if genre == "historique"]
                ),
            }
            page.object_list = [
                lignes[genre][pk] for genre, pk in page.object_list if pk in lignes[genre]
            ]
            contexte.update(
                page_obj=page,
                total=page.paginator.count,
                total_historiques=sum(genre == "historique" for genre, _pk in identifiants),
            )
        return {
            "html": render_to_string(
                "public/includes/laureats_resultats.html", contexte, request=request
            ),
            "status": 200 if valide else 400,
        }

    rendu = _rendu_en_cache(request, "laureats", calcul, PARAMETRES_LISTE)
    return render(
        request,
        "public/laureat_list.html",
        {
            "fragment": rendu["html"],
            "breadcrumb": [(_("Territoires lauréats"), None)],
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
            contexte["total_historiques"] = filtre.historiques(
                selectors.laureats_historiques()
            ).count()
            contexte["total"] = filtre.qs.count() + contexte["total_historiques"]
        return {
            "html": render_to_string(
                "public/includes/carte_filtres.html", contexte, request=request
            ),
            "requete": contexte["requete"],
            "status": 200 if valide else 400,
        }

    rendu = _rendu_en_cache(request, "carte", calcul, PARAMETRES)
    return render(
        request,
        "public/laureat_carte.html",
        {
            "fragment": rendu["html"],
            "requete": rendu["requete"],
            "breadcrumb": [(_("Territoires lauréats"), "/laureats/"), (_("Carte"), None)],
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
            {
                "type": "Feature",
                "geometry": simplify_for_display(s.geometrie),
                "properties": {"nom": s.nom},
            }
            for a in territoire.publies
            for s in a.sites
        ]
        contexte = {"territoire": territoire, "sites": sites}
        return {
            "html": render_to_string(
                "public/includes/territoire_contenu.html", contexte, request=request
            ),
            "meta": render_to_string(
                "public/includes/territoire_meta.html", contexte, request=request
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
        "public/territoire_detail.html",
        {
            **rendu,
            "breadcrumb": [(_("Territoires lauréats"), "/laureats/"), (rendu["nom"], None)],
        },
    )


@require_safe
@page_publique
def sessions(request: HttpRequest) -> HttpResponse:
    def calcul() -> dict:
        contexte = {"sessions": list(selectors.sessions_publiques())}
        return {
            "html": render_to_string(
                "public/includes/session_list_contenu.html", contexte, request=request
            )
        }

    rendu = en_cache(nom="sessions", parts=(), calcul=calcul)
    return render(
        request,
        "public/session_list.html",
        {
            **rendu,
            "breadcrumb": [(_("Sessions nationales"), None)],
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
        contexte = {
            "session": session,
            "laureats": laureats,
            "historiques": list(
                selectors.laureats_historiques().filter(session=session).order_by("nom", "pk")
            ),
            "comparaison": comparer(
                Atelier.objects.filter(pk__in=[a.pk for a in laureats]).order_by(
                    "territoire__nom", "pk"
                ),
                publiees_seulement=True,
            ),
            "syntheses": list(
                Synthese.objects.filter(session=session, publie=True).order_by("-numero")[:1]
            ),
        }
        return {
            "html": render_to_string(
                "public/includes/session_contenu.html", contexte, request=request
            ),
            "titre": session.titre,
        }

    rendu = en_cache(nom="session", parts=(slug,), calcul=calcul)
    return render(
        request,
        "public/session_detail.html",
        {
            **rendu,
            "breadcrumb": [(_("Sessions nationales"), "/sessions/"), (rendu["titre"], None)],
            "canonical": _canonique(request),
        },
    )


@require_safe
@page_publique
def donnees(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/donnees.html",
        {
            "colonnes": exports.COLONNES,
            "colonnes_historiques": exports.COLONNES_HISTORIQUES,
            "licence": exports.LICENCE,
            "licence_url": exports.LICENCE_URL,
            "breadcrumb": [(_("Données ouvertes"), None)],
            "canonical": _canonique(request),
        },
    )


def _export_gzip(request: HttpRequest, *, nom: str, produire) -> bytes | dict:
    """The gzip bytes of an export (or ``{"erreurs": ...}``), computed once per generation.
    ``produire`` gets the validated lauréat FilterSet (``.qs``: the ateliers)."""
    parts = (cle_requete(request, PARAMETRES),)
    libre = recherche_libre(request)
    valeur, generation = (None, 0) if libre else lire(nom=nom, parts=parts, local=True)
    if valeur is None:
        filtre = filtre_laureats(request)
        if not filtre.is_valid():
            return {"erreurs": filtre.erreurs()}
        # Stored compressed once: large exports are not gzipped again on every request.
        valeur = {"gzip": gzip.compress(produire(filtre), compresslevel=5, mtime=0)}
        if not libre:
            ecrire(nom=nom, parts=parts, generation=generation, valeur=valeur, local=True)
    return valeur["gzip"]


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
    # A download, not raw JSON opened in the tab; the API serves the same data inline.
    response["Content-Disposition"] = f'attachment; filename="{fichier}"'
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
        produire=lambda filtre: exports.en_csv(filtre.qs),
    )


@require_safe
def export_geojson(request: HttpRequest) -> HttpResponse:
    return _export(
        request,
        nom="geojson",
        content_type="application/geo+json",
        fichier="laureats.geojson",
        produire=lambda filtre: exports.en_geojson(filtre.qs),
    )


@require_safe
def export_historiques(request: HttpRequest) -> HttpResponse:
    """The historical lauréats with their sources, as their own open-data file (they are
    not ateliers: see ``exports.COLONNES_HISTORIQUES``). Same filters as the list."""
    return _export(
        request,
        nom="csv_historiques",
        content_type="text/csv; charset=utf-8",
        fichier="laureats-historiques.csv",
        produire=lambda filtre: exports.en_csv_historiques(
            filtre.historiques(selectors.laureats_historiques())
        ),
    )


@require_safe
def carte_donnees(request: HttpRequest) -> HttpResponse:
    """The lauréat map's data layer (same filters as the list), lighter than the export,
    with the historical lauréats the filters select."""
    return _export(
        request,
        nom="carte",
        content_type="application/json",
        fichier="carte.json",
        produire=lambda filtre: exports.en_carte(
            filtre.qs, filtre.historiques(selectors.laureats_historiques())
        ),
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
