"""allauth adapters: who may sign up, and how ProConnect agents are matched to accounts.

Signup policy
-------------
* Self-signup is open: the people who create their own account are the applicants
  (territories answering a call, *candidats*) and invited people (who arrive through an
  invitation link, see ``acteurs.views.invitation``). A self-created account has no role at
  all: it may apply to a call and see its own candidatures, nothing else.
* Roles in an atelier come only from an accepted invitation or from a pilote/DGALN adding a
  Participation. Staff roles (the DGALN group, ``is_staff``, ``is_superuser``) are never
  given by signup: :meth:`AccountAdapter.save_user` clears them whatever the form posted.
* An invited person following their link has proved they own the invited address: the
  address is stashed as verified so allauth does not send a second verification e-mail.

ProConnect e-mail policy
------------------------
ProConnect sends no ``email_verified`` claim. The federation only admits identity
providers of public bodies (ministries, their agents' directories), which vouch for their
agents' addresses; we therefore trust the address ProConnect returns **only** for logins
coming through ProConnect, and link the agent to an existing account with the same address
(``SOCIALACCOUNT_EMAIL_AUTHENTICATION``), instead of creating a duplicate. The address is
marked verified. Nothing else (group, role) is taken from ProConnect, except this: when the
``siret`` claim is the SIRET of a State service DGALN listed (``ServiceEtat.siret``), the
account becomes a State agent of that service (``AgentEtat``, source ProConnect), unless
DGALN already vetted or revoked it.

E-mails
-------
allauth's e-mails (verification, password reset, security notifications, MFA) use the
project's templates in ``templates/account/email/``, ``templates/mfa/email/`` and
``templates/socialaccount/email/``: French, a text body plus an HTML alternative in the
layout of the project's own e-mails (``templates/emails/base.html``). allauth attaches the
HTML version whenever ``<prefix>_message.html`` exists beside ``<prefix>_message.txt``.
"""

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

# allauth's private modules (``…internal…``, ``mfa.utils``) are not its public API and may
# change in any minor version: the project reaches them only here, so an upgrade of allauth
# is checked in one file. Re-exported names are listed in ``__all__``.
from allauth.account.internal.decorators import login_not_required
from allauth.core.internal.httpkit import get_client_ip
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt, encrypt
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from django.conf import settings
from django.http import HttpRequest

INVITATION_SESSION_KEY = "atelier_invitation_token"

logger = logging.getLogger("atelier.securite")


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # The e-mail layout needs these; the context processor gives them only when there is
        # a request, and allauth may send without one.
        context = {
            "SERVICE_NAME": "Atelier des territoires",
            "SITE_URL": settings.SITE_URL,
            **context,
        }
        super().send_mail(template_prefix, email, context)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Open to applicants and invited people; see the module docstring.
        return True

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user.is_staff = False
        user.is_superuser = False
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        # An invited person who signed in or up goes back to their invitation.
        token = request.session.get(INVITATION_SESSION_KEY)
        if token:
            from django.urls import reverse

            return reverse("acteurs:invitation", kwargs={"token": token})
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self.get_login_redirect_url(request)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        # The page the person was going to (« candidater ») travels in the link, so that
        # confirming the address leads there, even from another browser than the signup's.
        url = super().get_email_confirmation_url(request, emailconfirmation)
        from allauth.account.utils import get_next_redirect_url
        from django.utils.http import urlencode

        next_url = get_next_redirect_url(request) if request is not None else None
        return f"{url}?{urlencode({'next': next_url})}" if next_url else url

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """After a ProConnect login, log out of ProConnect too (end_session_endpoint).

        Called by allauth before the local session is flushed, so the ID token is still
        there for ``id_token_hint``.
        """
        default = super().get_logout_redirect_url(request)
        from .proconnect.provider import ID_TOKEN_SESSION_KEY

        id_token = request.session.get(ID_TOKEN_SESSION_KEY)
        if not id_token:
            return default
        try:
            from .proconnect.provider import random_token
            from .proconnect.views import ProConnectAdapter

            endpoint = ProConnectAdapter(request).openid_config.get("end_session_endpoint")
        except Exception:  # provider unreachable or unconfigured: log out locally only
            logger.warning("proconnect_deconnexion_impossible", exc_info=True)
            return default
        if not endpoint:
            return default
        from django.utils.http import urlencode

        params = {
            "id_token_hint": id_token,
            "state": random_token(),
            "post_logout_redirect_uri": request.build_absolute_uri(default),
        }
        return f"{endpoint}?{urlencode(params)}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return True

    def is_auto_signup_allowed(self, request: HttpRequest, sociallogin: Any) -> bool:
        return bool(sociallogin.user.email)

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing:
            _recognise_agent(sociallogin)

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        _recognise_agent(sociallogin)
        return user


def _recognise_agent(sociallogin: Any) -> None:
    if sociallogin.account.provider != "proconnect":
        return
    from .services import agent_etat_from_proconnect

    info = (sociallogin.account.extra_data or {}).get("userinfo") or {}
    agent_etat_from_proconnect(user=sociallogin.user, siret=str(info.get("siret") or ""))


__all__ = [
    "TOTP",
    "AccountAdapter",
    "SocialAccountAdapter",
    "decrypt",
    "encrypt",
    "get_client_ip",
    "jwtkit",
    "login_not_required",
    "totp_code_valid",
]


def totp_code_valid(authenticator: Any, code: str) -> bool:
    """Whether ``code`` is a currently valid code of the TOTP ``authenticator`` (allauth.mfa)."""
    return TOTP(authenticator).validate_code(code)
