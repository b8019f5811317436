"""The whole-page cache for visitors: Django's cache framework, no per-request nonce."""

import gzip
import re

import pytest

from tests.factories.public import laureat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("gzip_ok", [True, False])
def test_public_page_is_cached_whole_and_reads_no_nonce(client, gzip_ok, django_assert_num_queries):
    laureat(nom="Pays du cache")
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    premiere = client.get("/laureats/", headers=headers)
    with django_assert_num_queries(0):  # from the cache, junk parameters ignored
        suivantes = [
            client.get("/laureats/", headers=headers),
            client.get("/laureats/?utm_source=lettre", headers=headers),
        ]
    for response in (premiere, *suivantes):
        assert response.status_code == 200
        corps = response.content
        if gzip_ok:
            assert response["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in response["Vary"]
            corps = gzip.decompress(corps)
        html = corps.decode()
        assert "Pays du cache" in html and '<script type="module"' in html
        # Static scripts only, allowed by 'self': no nonce in the page nor in the header.
        assert "nonce" not in html
        politique = response["Content-Security-Policy"]
        assert "script-src 'self'" in politique and "nonce-" not in politique


def test_user_text_cannot_become_a_nonce_in_a_cached_page(client):
    """The former cache stored pages with a nonce placeholder replaced on every request:
    a territory named after the placeholder turned into the live nonce."""
    laureat(nom="__ATELIER_CSP_NONCE__ <script>alert(1)</script>")
    for _ in range(2):
        response = client.get("/laureats/")
        html = response.content.decode()
        assert "__ATELIER_CSP_NONCE__ &lt;script&gt;" in html
        assert "nonce-" not in response["Content-Security-Policy"]


def test_signed_in_users_get_their_own_menu(client, dgaln):
    laureat(nom="Vu par la DGALN")
    client.get("/laureats/")  # fills the visitors' cache
    client.force_login(dgaln)
    html = client.get("/laureats/").content.decode()
    assert 'href="/gestion/"' in html
    assert "Vu par la DGALN" in html


def test_roadmap_and_report_published_by_their_services_appear_at_once(client, atelier, pilote):
    """The publish services update rows without signals: they invalidate the cache themselves."""
    from django.utils import timezone

    from feuilles_de_route import services
    from feuilles_de_route.models import FeuilleDeRoute, Rapport
    from tests.factories.public import feuille_publiee, rapport_publie

    type(atelier).objects.filter(pk=atelier.pk).update(publie=True, publie_le=timezone.now())
    feuille = feuille_publiee(atelier)
    rapport = rapport_publie(atelier, version=feuille.version_adoptee)
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(publiee=False, publiee_le=None)
    Rapport.objects.filter(pk=rapport.pk).update(publie=False)
    feuille.refresh_from_db()
    rapport.refresh_from_db()
    url = atelier.territoire.get_absolute_url()
    for headers in ({}, {"Accept-Encoding": "gzip"}):  # both cached variants
        html = client.get(url, headers=headers).content
        html = gzip.decompress(html) if headers else html
        assert b"Feuille de route adopt" not in html and b"/rapports/" not in html
    assert b"Feuille de route adopt" not in client.get(url).content  # served from the cache

    services.feuille_publish(feuille=feuille, by=pilote)
    html = client.get(url).content.decode()
    assert "Feuille de route adoptée" in html and "Axe stratégique 1" in html

    services.rapport_publish(rapport=rapport, by=pilote)
    assert f"/rapports/{rapport.pk}/telecharger/" in client.get(url).content.decode()

    services.feuille_publish(feuille=feuille, by=pilote, publier=False)
    assert "Feuille de route adoptée" not in client.get(url).content.decode()


def test_geojson_export_served_precompressed_and_fresh_after_publication_or_flush(client):
    from django.core.cache import cache

    laureat(nom="Premier export")
    headers = {"Accept-Encoding": "gzip, br"}
    premier = client.get("/donnees/laureats.geojson", headers=headers)
    assert premier["Content-Encoding"] == "gzip" and "Accept-Encoding" in premier["Vary"]
    assert b"Premier export" in gzip.decompress(premier.content)  # gzipped once, not twice
    assert client.get("/donnees/laureats.geojson", headers=headers).content == premier.content
    laureat(nom="Second export")  # saving a published atelier bumps the generation
    assert b"Second export" in gzip.decompress(
        client.get("/donnees/laureats.geojson", headers=headers).content
    )
    cache.clear()  # a flushed cache never revives the process's older copy
    laureat(nom="Après purge")
    corps = client.get("/donnees/laureats.geojson").content
    assert b"Apr\xc3\xa8s purge" in corps or "Après purge".encode("unicode_escape") in corps


def test_a_publication_by_another_process_reaches_this_one_at_once(client):
    """Each process keeps the pages it served; another process publishing (it bumps the
    shared generation) makes this process's copies stale on the next request."""
    from django.core.cache import cache

    from atelier.cache import GENERATION_KEY
    from territoires.models import Territoire

    territoire = laureat(nom="Nom ancien").territoire
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        client.get("/laureats/", headers=headers)
        client.get("/donnees/laureats.csv", headers=headers)
    Territoire.objects.filter(pk=territoire.pk).update(nom="Nom nouveau")  # no signal here
    assert "Nom ancien" in client.get("/laureats/").content.decode()  # the kept copy
    assert "Nom ancien" in client.get("/donnees/laureats.csv").content.decode("utf-8-sig")

    cache.incr(GENERATION_KEY)  # what invalidate_public_cache() does, in another process
    assert "Nom nouveau" in client.get("/laureats/").content.decode()
    page = client.get("/laureats/", headers={"Accept-Encoding": "gzip"}).content
    assert "Nom nouveau" in gzip.decompress(page).decode()
    assert "Nom nouveau" in client.get("/donnees/laureats.csv").content.decode("utf-8-sig")


def test_copies_kept_by_a_process_stay_within_their_memory_budget(monkeypatch):
    from public import cache as services

    monkeypatch.setattr(services, "_LOCAL", type(services._LOCAL)())
    monkeypatch.setattr(services, "_local_octets", 0)
    monkeypatch.setattr(services, "_LOCAL_MAX_OCTETS", 10_000)
    for i in range(30):
        services._garder(f"cle-{i}", 1, b"x" * 1_000)
        if i == 20:
            services.lire(nom="x", parts=())  # reading does not change the budget
    assert services._local_octets == sum(t for _, _, t in services._LOCAL.values()) <= 10_000
    assert list(services._LOCAL) == [f"cle-{i}" for i in range(20, 30)]  # oldest out first
    services._garder("trop-grande", 1, b"x" * 5_000)  # over a quarter of the budget: not kept
    assert "trop-grande" not in services._LOCAL


HOSTILE = (
    'Site <iframe srcdoc="<script nonce=__ATELIER_CSP_NONCE__>parent.pwned=1</script>">'
    "</iframe> __ATELIER_CSP_NONCE__ <__ATELIER_CSP_NONCE__>"
)


@pytest.mark.parametrize("gzip_ok", [True, False])
def test_placeholder_in_user_text_never_becomes_a_live_nonce(client, gzip_ok):
    from ateliers.models import SiteDemonstrateur

    atelier = laureat(nom="Pays hostile")
    SiteDemonstrateur.objects.create(
        atelier=atelier, nom=HOSTILE, geometrie={"type": "Point", "coordinates": [-2.9, 48.4]}
    )
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    for _ in range(2):  # rendered, then served from the cache
        response = client.get("/territoires/pays-hostile/", headers=headers)
        brut = response.content
        if response.get("Content-Encoding") == "gzip":
            brut = gzip.decompress(brut)
        html = brut.decode()
        # Public pages carry no nonce at all: nothing in user text can become one, and no
        # script tag of the page is anything but a static file allowed by 'self'.
        assert "nonce-" not in response["Content-Security-Policy"]
        assert not re.findall(r"<script[^>]*\snonce=", html)


@pytest.mark.parametrize(
    "chemin",
    [
        "/laureats/?q={}",
        "/laureats/carte/?q={}",
        "/donnees/laureats.csv?q={}",
        "/api/laureats/?q={}",
    ],
)
def test_free_text_searches_are_not_cached(client, monkeypatch, chemin):
    """Anonymous visitors typing distinct searches must not fill the cache (Redis is the
    broker too): 50 searches, no new entry; a filter from a closed list is still cached."""
    from public import api, views
    from public import cache as services

    laureat(nom="Pays de Quintin")
    ecrits = []
    vraie = services.ecrire

    def espion(**kwargs):
        ecrits.append(kwargs["nom"])
        return vraie(**kwargs)

    monkeypatch.setattr(services, "ecrire", espion)
    monkeypatch.setattr(views, "ecrire", espion)
    monkeypatch.setattr(api, "ecrire", espion)
    client.get(chemin.format("quintin"))  # fills what is not per-search (facettes…)
    avant = len(ecrits)
    for i in range(50):
        response = client.get(chemin.format(f"recherche-{i}"))
        assert response.status_code == 200
        # A made-up theme is free text too; so is a page number beyond any list.
        client.get(chemin.replace("q=", "theme=").format(f"theme-{i}"))
        client.get(chemin.replace("q=", "page=").format(5000 + i))
        client.get(chemin.replace("q=", "session=").format(f"inconnue-{i}"))  # a 400
    assert len(ecrits) == avant
    client.get(chemin.split("?")[0] + "?format=local")
    assert len(ecrits) > avant


def test_home_page_is_cached_and_a_call_published_or_closed_shows_at_once(
    client, dgaln, django_assert_max_num_queries
):
    from appels.models import AppelACandidatures, Question
    from appels.services import appel_clore, appel_publier
    from tests.factories import AppelFactory

    client.get("/")  # fills the visitors' cache
    with django_assert_max_num_queries(0):
        assert client.get("/").status_code == 200
    appel = AppelFactory(titre="AMI tout neuf", statut=AppelACandidatures.Statut.BROUILLON)
    Question.objects.create(appel=appel, libelle="Pourquoi ?", ordre=1, type=Question.Type.TEXTE)
    assert "AMI tout neuf" not in client.get("/").content.decode()
    appel_publier(appel=appel, by=dgaln)
    assert "AMI tout neuf" in client.get("/").content.decode()
    appel.refresh_from_db()
    appel_clore(appel=appel, by=dgaln)
    assert "AMI tout neuf" not in client.get("/").content.decode()
