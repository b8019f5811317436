"""Security log (logger ``atelier.securite``): logins, failed logins, logouts.

Each line carries the user (id, or the attempted login for a failure), the client IP and
the time (from the log formatter). Never a password, token or code.
"""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("atelier.securite")


def client_ip(request) -> str:
    """The client's IP, as allauth's rate limits see it (ALLAUTH_TRUSTED_PROXY_COUNT)."""
    if request is None:
        return ""
    from django.core.exceptions import ImproperlyConfigured

    from .adapter import get_client_ip

    try:
        return get_client_ip(request) or ""
    except (ImproperlyConfigured, ValueError):
        return request.META.get("REMOTE_ADDR", "")


_ip = client_ip


@receiver(user_logged_in, dispatch_uid="atelier_securite_login")
def log_login(sender, request, user, **kwargs):
    logger.info("connexion user=%s ip=%s", user.pk, _ip(request))


@receiver(user_logged_out, dispatch_uid="atelier_securite_logout")
def log_logout(sender, request, user, **kwargs):
    logger.info("deconnexion user=%s ip=%s", getattr(user, "pk", None), _ip(request))


@receiver(user_login_failed, dispatch_uid="atelier_securite_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks secrets in ``credentials``; we keep only the login attempted.
    tentative = credentials.get("email") or credentials.get("username") or ""
    logger.warning("echec_connexion login=%s ip=%s", str(tentative)[:254], _ip(request))
