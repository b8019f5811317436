"""Requests the application cannot answer meaningfully, refused before any view runs."""

from django.conf import settings
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


class PermissionsPolicyMiddleware:
    """Every response says which browser features the site does not use (camera,
    microphone, geolocation…): an injected frame or script cannot ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
