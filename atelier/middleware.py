"""Requests the application cannot answer meaningfully, refused before any view runs."""

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.shortcuts import render

from .errors import BusinessError


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
