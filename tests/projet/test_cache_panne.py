"""Redis (the cache) unreachable: public pages render uncached, writes go through, sign-in
says so in French — never a 500. The cache points at a closed port."""

import logging

import pytest
from django.core import mail
from django.urls import reverse

from acteurs.models import Invitation, Role
from feuilles_de_route.models import Rapport
from tests.factories import feuilles_de_route as f
from tests.factories.public import laureat

CLOSED_PORT = "redis://127.0.0.1:6399/0"  # nothing listens there


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "atelier.cache.RedisCache",
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    from django.core.cache import cache

    assert cache.get("sonde") is None and cache.add("sonde", 1) is False


@pytest.mark.django_db
def test_public_pages_render_uncached_and_the_outage_is_logged(client, cache_down, caplog):
    atelier = laureat(nom="Pays de Redon")
    slug = atelier.territoire.slug
    caplog.set_level(logging.ERROR, logger="atelier.cache")
    import atelier.cache as atelier_cache

    atelier_cache._last_log = 0.0
    for path in [
        "/",
        "/laureats/",
        "/laureats/carte/",
        f"/territoires/{slug}/",
        "/sessions/",
        "/donnees/laureats.csv",
        "/donnees/laureats.geojson",
        "/api/laureats/",
        "/comptes/login/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Pays de Redon" in client.get("/laureats/").content.decode()
    assert "Cache Redis injoignable" in caplog.text
    # /sante/ tells the truth.
    sante = client.get("/sante/")
    assert sante.status_code == 503
    assert sante.json()["cache"] == {"ok": False, "detail": "cache injoignable"}


@pytest.mark.django_db
def test_sign_in_says_in_french_that_it_is_suspended(client, cache_down, applicant, password):
    response = client.post(
        reverse("account_login"), {"login": applicant.email, "password": password}
    )
    assert response.status_code == 503
    page = response.content.decode()
    assert "Service momentanément indisponible" in page
    assert "Réessayez dans quelques minutes" in page
    assert response["Retry-After"] == "120"


@pytest.mark.django_db
def test_writes_do_not_fail_and_owed_work_is_done(
    cache_down, atelier, pilote, elu, django_capture_on_commit_callbacks
):
    from acteurs.services import invitation_create
    from ateliers.services import atelier_demarrer, atelier_publier

    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            atelier=atelier, by=pilote, email="invitee@example.fr", role=Role.HABITANT
        )
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    assert [m.to for m in mail.outbox] == [["invitee@example.fr"]]

    # Publishing invalidates the public cache: with the cache down, it still publishes.
    atelier_demarrer(atelier=atelier, by=pilote)
    atelier_publier(atelier=atelier, by=pilote, publie=True)
    atelier.refresh_from_db()
    assert atelier.publie


@pytest.mark.django_db
def test_a_wrong_signature_code_is_a_message_not_a_500(cache_down, atelier, pilote, elu):
    from atelier.workflow import TransitionError
    from feuilles_de_route.services import version_sign

    version = f.send(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    with pytest.raises(TransitionError):
        version_sign(version=version, by=elu, password="pas-le-bon")


@pytest.mark.django_db
def test_a_report_is_requested_and_rendered(
    cache_down, atelier, pilote, elu, django_capture_on_commit_callbacks
):
    from feuilles_de_route.services import rapport_request

    f.adopt(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    with django_capture_on_commit_callbacks(execute=True):
        rapport = rapport_request(atelier=atelier, by=pilote)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET
