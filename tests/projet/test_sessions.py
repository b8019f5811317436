"""The session store (atelier/sessions.py): the row read by one statement keeps Django's rules.

A signed-in person stays signed in; an expired, unknown or deleted session signs nobody in and
is replaced by a new key; what a session holds survives the round trip.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from atelier.sessions import SessionStore
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _connecte(client) -> str:
    user = UtilisateurFactory(email="session@example.fr")
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _utilisateur(client):
    return client.get("/").wsgi_request.user


def test_the_project_reads_sessions_through_its_store():
    assert settings.SESSION_ENGINE == "atelier.sessions"


def test_a_live_session_signs_its_owner_in(client):
    _connecte(client)
    user = _utilisateur(client)
    assert user.is_authenticated and user.email == "session@example.fr"


def test_an_expired_session_signs_nobody_in_and_gets_a_new_key(client):
    cle = _connecte(client)
    Session.objects.filter(session_key=cle).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not _utilisateur(client).is_authenticated
    store = SessionStore(cle)
    assert store.load() == {}
    assert store.session_key is None  # forgotten, as Django's store does


def test_a_deleted_or_unknown_session_signs_nobody_in(client):
    cle = _connecte(client)
    Session.objects.filter(session_key=cle).delete()
    assert not _utilisateur(client).is_authenticated
    assert SessionStore("x" * 32).load() == {}


def test_what_a_session_holds_survives_the_round_trip():
    store = SessionStore()
    store["panier"] = {"étape": 3, "texte": "« é »"}
    store.set_expiry(600)
    store.save()
    relu = SessionStore(store.session_key)
    assert relu["panier"] == {"étape": 3, "texte": "« é »"}
    assert relu.session_key == store.session_key
    assert 590 <= relu.get_expiry_age() <= 600
