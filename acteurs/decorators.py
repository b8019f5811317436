"""View decorators shared by every app."""

import logging
from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .mfa import lacks_required_mfa
from .securite import client_ip

logger = logging.getLogger("atelier.securite")

MESSAGE_MFA = (
    "Par sécurité, les agents de la DGALN et les pilotes d'atelier doivent activer la "
    "double authentification avant de continuer."
)


def redirect_to_mfa_setup(request):
    logger.info(
        "mfa_exigee user=%s ip=%s chemin=%s",
        getattr(request.user, "pk", None),
        client_ip(request),
        request.path,
    )
    messages.warning(request, MESSAGE_MFA)
    return redirect(reverse("mfa_activate_totp"))


def staff_mfa_required(view):
    """Send DGALN staff and pilotes without a second factor to the TOTP setup page.

    Put it on every view that performs a pilot or DGALN action (after the login check).
    Users who need no second factor (other roles) pass through, and the view's own
    permission check answers them.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if lacks_required_mfa(request.user):
            return redirect_to_mfa_setup(request)
        return view(request, *args, **kwargs)

    return wrapper
