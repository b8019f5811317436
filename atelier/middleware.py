"""Requests the application cannot answer meaningfully, refused before any view runs."""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.shortcuts import render

from .errors import BusinessError

logger = logging.getLogger("atelier.securite")


class RefusCaractereNulMiddleware:
    """A NUL character in the address or the query string is a 400 (the French error page).

    No address or parameter of the site contains one, and PostgreSQL refuses it in a query:
    a view reading it (a token in the path, an id in the query string) would answer 500.
    Form fields already refuse it with a message (Django's ProhibitNullCharactersValidator).
    The JSON API answers in its own error format.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in cle or any("\x00" in v for v in valeurs)
            for cle, valeurs in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "erreur": "Paramètres invalides.",
                        "details": {"adresse": ["Caractère nul interdit dans l'adresse."]},
                    },
                    status=400,
                )
            raise SuspiciousOperation("caractère nul dans l'adresse")
        return self.get_response(request)


class PagesErreurMiddleware:
    """Users always get the DSFR error pages, under ``make run`` (DEBUG) as in production.

    Django answers an ``Http404`` raised in a view with its technical page (every URL of the
    site) when DEBUG is on, and logs a refused access (``PermissionDenied``) with a whole
    traceback. A refusal is expected behaviour, not a fault: it gets the French page and one
    line in the security log. Other exceptions keep Django's own handling (the 500 page in
    production, the traceback page for developers), so nothing is hidden from the logs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from . import views

        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            user = getattr(request, "user", None)
            logger.info(
                "acces_refuse_403 user=%s methode=%s chemin=%s",
                getattr(user, "pk", None),
                request.method,
                request.path,
            )
            return views.permission_denied(request, exception)
        if isinstance(exception, SuspiciousOperation | BadRequest):
            logger.info("requete_refusee_400 chemin=%s motif=%s", request.path, exception)
            return views.bad_request(request, exception)
        return None


class PermissionsPolicyMiddleware:
    """Every response says which browser features the site does not use (camera,
    microphone, geolocation…): an injected frame or script cannot ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class CacheIndisponibleMiddleware:
    """With the cache unreachable, a refusal that only says "too many attempts" is a 503
    in French that says what happened (allauth's rate limits fail closed: see atelier.cache).

    Placed before every middleware and view that uses the cache (allauth's, the views), so
    that the flag it resets covers their cache calls, and inside the CSP middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.template.response import TemplateResponse

        from atelier import cache

        cache.start_request()
        response = self.get_response(request)
        if response.status_code == 429 and cache.cache_unavailable_during_request():
            response = TemplateResponse(request, "erreurs/cache_indisponible.html", status=503)
            response["Retry-After"] = "120"
            response.render()
        return response


class BusinessErrorMiddleware:
    """A :class:`~atelier.errors.BusinessError` no view caught is a 4xx showing its message.

    Views catch business errors where they can answer better (a form error, a flash message);
    this is the floor, so that a refused request is never a 500. The JSON API answers in its
    own error format.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BusinessError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"erreur": exception.message}, status=exception.status)
        return render(
            request,
            "erreurs/refus.html",
            {"message": exception.message, "status": exception.status},
            status=exception.status,
        )
