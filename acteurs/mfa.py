"""Who must use a second factor, and whether they have one."""

from typing import Any

from django.conf import settings


def mfa_required_for(user: Any) -> bool:
    """DGALN staff and every pilote (of any atelier) must have a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not getattr(settings, "ATELIER_MFA_OBLIGATOIRE", True):
        return False
    from .models import Participation, Role
    from .permissions import is_dgaln, memo

    if is_dgaln(user):
        return True
    cache = memo(user)
    if "_est_pilote_quelque_part" not in cache:
        cache["_est_pilote_quelque_part"] = Participation.objects.filter(
            acteur__utilisateur=user, role=Role.PILOTE
        ).exists()
    return cache["_est_pilote_quelque_part"]


def has_mfa(user: Any) -> bool:
    """True when the user has an activated authenticator (TOTP or security key)."""
    if not getattr(user, "is_authenticated", False):
        return False
    from .permissions import memo

    cache = memo(user)
    if "_a_mfa" not in cache:
        from allauth.mfa.models import Authenticator

        cache["_a_mfa"] = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    return cache["_a_mfa"]


def lacks_required_mfa(user: Any) -> bool:
    return mfa_required_for(user) and not has_mfa(user)


def totp_code_lifetime() -> int:
    """Seconds during which a TOTP code is accepted: its own step and ``tolerance`` steps on
    either side (3 × 30 s with a tolerance of 1)."""
    from allauth.mfa import app_settings

    return (2 * app_settings.TOTP_TOLERANCE + 1) * app_settings.TOTP_PERIOD


def install_totp_replay_guard() -> None:
    """Make allauth's "code already used" marker outlive the whole accepted window.

    allauth (65.x) keeps the marker for one period (30 s) while, with a tolerance of one
    step, a code stays valid up to 90 s: a code seen at login or at signature could be
    replayed for another minute. Login (allauth's forms) and signature
    (``feuilles_de_route.services.check_credentials``) both go through ``TOTP.validate_code``,
    so the marker is set here once for both.
    """
    from django.core.cache import cache

    from .adapter import TOTP

    def _mark_code_used(self, code: str) -> bool:
        return cache.add(self._get_used_cache_key(code), "y", timeout=totp_code_lifetime())

    TOTP._mark_code_used = _mark_code_used
