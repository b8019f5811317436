"""Who must use a second factor, and whether they have one."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection


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


@lru_cache(maxsize=4)
def _sql_gate(_vendor: str) -> str:
    """The three questions of the gate (DGALN staff? pilote anywhere? a second factor?) as one
    statement, built once per process from the models' tables."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    from .models import Acteur, Participation, Utilisateur

    q = connection.ops.quote_name
    groupes = Utilisateur.groups.through._meta
    ug, g = q(groupes.db_table), q(Group._meta.db_table)
    ug_user = q(groupes.get_field("utilisateur").column)
    ug_group = q(groupes.get_field("group").column)
    p, a = q(Participation._meta.db_table), q(Acteur._meta.db_table)
    p_acteur = q(Participation._meta.get_field("acteur").column)
    a_user = q(Acteur._meta.get_field("utilisateur").column)
    m = q(Authenticator._meta.db_table)
    m_user = q(Authenticator._meta.get_field("user").column)
    # Only table and column names from the models go into the text; values are parameters.
    return (
        f"SELECT EXISTS(SELECT 1 FROM {ug} INNER JOIN {g} ON {g}.{q('id')} = {ug}.{ug_group}"  # noqa: S608
        f" WHERE {ug}.{ug_user} = %s AND {g}.{q('name')} = %s),"
        f" EXISTS(SELECT 1 FROM {p} INNER JOIN {a} ON {a}.{q('id')} = {p}.{p_acteur}"
        f" WHERE {a}.{a_user} = %s AND {p}.{q('role')} = %s),"
        f" EXISTS(SELECT 1 FROM {m} WHERE {m}.{m_user} = %s AND {m}.{q('type')} IN (%s, %s))"
    )


def _ask_gate(user: Any) -> None:
    """Put the gate's three answers in the user's memo with one query instead of three: the
    gate runs on every workspace and back-office page."""
    from allauth.mfa.models import Authenticator

    from .models import DGALN_GROUP, Role
    from .permissions import memo

    cache = memo(user)
    if "_a_mfa" in cache and "_est_pilote_quelque_part" in cache:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _sql_gate(connection.vendor),
            [
                user.pk,
                DGALN_GROUP,
                user.pk,
                Role.PILOTE.value,
                user.pk,
                Authenticator.Type.TOTP.value,
                Authenticator.Type.WEBAUTHN.value,
            ],
        )
        dgaln, pilote, a_mfa = cursor.fetchone()
    cache.setdefault("_est_dgaln", bool(dgaln))
    cache.setdefault("_est_pilote_quelque_part", bool(pilote))
    cache.setdefault("_a_mfa", bool(a_mfa))


def lacks_required_mfa(user: Any) -> bool:
    if getattr(user, "is_authenticated", False) and getattr(
        settings, "ATELIER_MFA_OBLIGATOIRE", True
    ):
        _ask_gate(user)
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
