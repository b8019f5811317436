"""Security middleware: the MFA gate on the back-office, and the log of refused accesses."""

import logging

from .decorators import redirect_to_mfa_setup
from .mfa import lacks_required_mfa
from .permissions import is_dgaln
from .securite import client_ip

logger = logging.getLogger("atelier.securite")


class MfaObligatoireMiddleware:
    """No DGALN agent reaches ``/gestion/`` without a second factor.

    Non-DGALN users are left to the views, which refuse them (403/404) as the matrix says.
    Pilot actions elsewhere use :func:`acteurs.decorators.staff_mfa_required`.
    """

    PREFIXES = ("/gestion/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and request.path.startswith(self.PREFIXES)
            and user.is_authenticated
            and is_dgaln(user)
            and lacks_required_mfa(user)
        ):
            return redirect_to_mfa_setup(request)
        return self.get_response(request)


class JournalSecuriteMiddleware:
    """Log every refused access (403) with the user and IP, never the request body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            logger.warning(
                "acces_refuse user=%s ip=%s methode=%s chemin=%s",
                user.pk if user is not None and user.is_authenticated else "anonyme",
                client_ip(request),
                request.method,
                request.path,
            )
        return response
