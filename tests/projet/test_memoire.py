"""The serving process freezes what it holds for good, once, after its first requests."""

import gc
import itertools

import pytest

from atelier import memoire

pytestmark = pytest.mark.django_db


@pytest.fixture
def compteur(monkeypatch):
    monkeypatch.setattr(memoire, "_requetes", itertools.count(1))
    yield
    gc.unfreeze()


def test_the_wsgi_application_freezes_once_after_its_first_requests(client, compteur):
    import atelier.wsgi  # noqa: F401  (connects the receiver, as gunicorn loads it)

    gc.unfreeze()
    for _ in range(memoire.APRES_REQUETES - 1):
        client.get("/sante/")
    assert gc.get_freeze_count() == 0
    client.get("/sante/")
    figes = gc.get_freeze_count()
    assert figes > 10_000  # Django, the apps, the compiled templates
    # Nothing frozen is left for a full collection to walk; new objects still are collected.
    assert not any(o is memoire for o in gc.get_objects())
    # Once: later requests freeze nothing more (frozen objects that die leave the count).
    for _ in range(5):
        client.get("/sante/")
    assert gc.get_freeze_count() <= figes
