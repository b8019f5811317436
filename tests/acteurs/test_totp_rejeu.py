"""A TOTP code works once: it cannot be replayed while it is still accepted (90 s), at login
nor at signature."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from feuilles_de_route.services import check_credentials
from tests import factories

pytestmark = pytest.mark.django_db

# The start of a 30-second step: "+45 s" is the next step, "+95 s" is beyond tolerance.
DEBUT_PAS = dt.datetime(2026, 5, 4, 9, 0, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, user, code):
    client.post(reverse("account_login"), {"login": user.email, "password": factories.PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": code})


@pytest.mark.parametrize("plus_tard", [10, 45])
def test_code_used_at_login_cannot_be_replayed_at_login(client, pilote, plus_tard):
    with time_machine.travel(DEBUT_PAS, tick=False) as horloge:
        code = factories.totp_code()
        assert _login(client, pilote, code).status_code == 302
        assert "_auth_user_id" in client.session
        client.logout()
        horloge.shift(dt.timedelta(seconds=plus_tard))
        response = _login(client, pilote, code)
        assert "_auth_user_id" not in client.session
        assert response.status_code == 200  # the form again, with its error


@pytest.mark.parametrize("plus_tard", [10, 45])
def test_code_used_at_login_cannot_sign(client, pilote, plus_tard):
    with time_machine.travel(DEBUT_PAS, tick=False) as horloge:
        code = factories.totp_code()
        assert _login(client, pilote, code).status_code == 302
        horloge.shift(dt.timedelta(seconds=plus_tard))
        assert not check_credentials(user=pilote, code=code)


def test_next_step_code_cannot_be_replayed_for_90_seconds(pilote):
    """A code of the next step (a phone clock a little ahead) is accepted at once and stays
    valid until the end of the step after it: 90 s in all."""
    with time_machine.travel(DEBUT_PAS, tick=False) as horloge:
        horloge.shift(dt.timedelta(seconds=30))
        code = factories.totp_code()
        horloge.shift(dt.timedelta(seconds=-30))
        assert check_credentials(user=pilote, code=code)
        horloge.shift(dt.timedelta(seconds=85))
        assert not check_credentials(user=pilote, code=code)


def test_a_fresh_code_still_works_after_one_was_used(pilote):
    with time_machine.travel(DEBUT_PAS, tick=False) as horloge:
        assert check_credentials(user=pilote, code=factories.totp_code())
        horloge.shift(dt.timedelta(seconds=95))
        assert check_credentials(user=pilote, code=factories.totp_code())
