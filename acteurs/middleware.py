"""Security middleware: the second-factor gate, and the log of refused accesses."""

import logging

from .decorators import redirect_to_mfa_setup
from .mfa import lacks_required_mfa
from .securite import client_ip

logger = logging.getLogger("atelier.securite")


class MfaObligatoireMiddleware:
    """The one second-factor rule of the project, for reading as well as writing.

    A user who must use a second factor (:func:`acteurs.mfa.mfa_required_for`: DGALN staff,
    superusers, pilotes) reaches no page of an atelier's workspace, of the back-office or of
    the Django admin before setting one up; once it is set up, allauth asks for it at every
    login. Views add no check of their own.
    """

    PREFIXES = ("/espace/ateliers/", "/gestion/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(self.PREFIXES) and lacks_required_mfa(
            getattr(request, "user", None)
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
