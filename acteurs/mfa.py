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
    from .permissions import is_dgaln

    if is_dgaln(user):
        return True
    if "_est_pilote_quelque_part" not in user.__dict__:
        user.__dict__["_est_pilote_quelque_part"] = Participation.objects.filter(
            acteur__utilisateur=user, role=Role.PILOTE
        ).exists()
    return user.__dict__["_est_pilote_quelque_part"]


def has_mfa(user: Any) -> bool:
    """True when the user has an activated authenticator (TOTP or security key)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if "_a_mfa" not in user.__dict__:
        from allauth.mfa.models import Authenticator

        user.__dict__["_a_mfa"] = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    return user.__dict__["_a_mfa"]


def lacks_required_mfa(user: Any) -> bool:
    return mfa_required_for(user) and not has_mfa(user)
