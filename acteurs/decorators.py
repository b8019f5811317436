"""The answer to a user who must set up a second factor first (see
``acteurs.middleware.MfaObligatoireMiddleware``, the one place the rule is applied)."""

import logging

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .securite import client_ip

logger = logging.getLogger("atelier.securite")

MESSAGE_MFA = (
    "Par sécurité, les agents de la DGALN et les pilotes d'atelier doivent activer la "
    "double authentification avant de continuer."
)


# Where the person was going when the second factor was asked: the recovery codes page,
# the last step of setting it up, offers to continue there (``acteurs.views.mfa_suite``).
MFA_SUITE_KEY = "atelier_mfa_suite"


def redirect_to_mfa_setup(request):
    logger.info(
        "mfa_exigee user=%s ip=%s chemin=%s",
        getattr(request.user, "pk", None),
        client_ip(request),
        request.path,
    )
    messages.warning(request, MESSAGE_MFA)
    if request.method == "GET":
        request.session[MFA_SUITE_KEY] = request.get_full_path()
    return redirect(reverse("mfa_activate_totp"))
