"""Requests the application cannot answer meaningfully, refused before any view runs."""

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse


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
