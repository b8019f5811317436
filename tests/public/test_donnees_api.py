"""Open data exports, the JSON API and its OpenAPI schema, the cache and query counts."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from atelier.cache import invalidate_public_cache
from ateliers.models import Atelier
from public.exports import COLONNES
from tests import factories
from tests.factories.public import feuille_publiee, laureat, rapport_publie

pytestmark = pytest.mark.django_db


def test_csv_opens_in_a_french_spreadsheet(client):
    laureat(nom="Côte d'Émeraude; « Rance »", lat=48.6, lon=-2.0)
    response = client.get("/donnees/laureats.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [c.nom for c in COLONNES]
    ligne = dict(zip(rows[0], rows[1], strict=True))
    assert ligne["territoire"] == "Côte d'Émeraude; « Rance »"
    assert ligne["latitude"] == "48.6" and ligne["longitude"] == "-2.0"
    assert ligne["region_code"] == "53" and ligne["departements"] == "22"


def test_geojson_is_valid_with_lon_lat_order(client):
    carre = {"type": "Polygon", "coordinates": [[[-3, 48], [-2, 48], [-2, 49], [-3, 48]]]}
    laureat(nom="Presqu'île de Crozon", lat=48.25, lon=-4.49, perimetre=carre)
    laureat(nom="Sans coordonnées", lat=None, lon=None)
    response = client.get("/donnees/laureats.geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    par_nom = {f["properties"]["territoire"]: f for f in data["features"]}
    crozon = par_nom["Presqu'île de Crozon"]
    assert crozon["type"] == "Feature"
    assert crozon["geometry"] == {"type": "Point", "coordinates": [-4.49, 48.25]}
    assert crozon["properties"]["perimetre"] == carre
    assert par_nom["Sans coordonnées"]["geometry"] is None
    for f in data["features"]:
        if f["geometry"]:
            lon, lat = f["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_exports_honour_filters(client):
    laureat(nom="Flash breton", format="flash", region="53")
    laureat(nom="Local drômois", format="local", region="84", departements=("26",))
    data = client.get("/donnees/laureats.geojson?region=84").json()
    assert [f["properties"]["territoire"] for f in data["features"]] == ["Local drômois"]
    texte = client.get("/donnees/laureats.csv?format=flash").content.decode("utf-8-sig")
    assert "Flash breton" in texte and "Local drômois" not in texte


def test_newly_published_territory_shows_at_once(client):
    atelier = laureat(nom="Pays de Brocéliande", publie=False)
    laureat(nom="Déjà public")
    for url in ("/laureats/", "/donnees/laureats.csv", "/api/laureats/", "/laureats/carte/"):
        assert "Brocéliande" not in client.get(url).content.decode("utf-8-sig")
    assert client.get("/territoires/pays-de-broceliande/").status_code == 404
    # Published through a plain update (what a service does): the service's call to
    # invalidate_public_cache() is what makes it appear.
    Atelier.objects.filter(pk=atelier.pk).update(publie=True, publie_le=timezone.now())
    assert "Brocéliande" not in client.get("/laureats/").content.decode()  # still cached
    invalidate_public_cache()
    for url in ("/laureats/", "/donnees/laureats.csv", "/api/laureats/"):
        assert "Brocéliande" in client.get(url).content.decode("utf-8-sig")
    assert client.get("/territoires/pays-de-broceliande/").status_code == 200


def test_signals_invalidate_on_save_as_a_safety_net(client):
    atelier = laureat(nom="Pays de Vilaine")
    assert "Pays de Vilaine" in client.get("/laureats/").content.decode()
    atelier.publie = False
    atelier.publie_le = None
    atelier.save()
    assert "Pays de Vilaine" not in client.get("/laureats/").content.decode()
    assert client.get("/territoires/pays-de-vilaine/").status_code == 404


def test_back_office_writes_on_unpublished_ateliers_keep_the_public_cache(client):
    """Only what the public can see bumps the generation: a busy back office working on
    ateliers not (yet) published must not empty the public cache all day long."""
    from atelier.cache import generation_publique

    public = laureat(nom="Pays public")
    public.refresh_from_db()
    prive = laureat(nom="Pays en préparation", publie=False)
    etape = prive.etapes.create(nature="atelier_1", titre="Atelier 1", ordre=1)
    client.get("/laureats/")
    generation = generation_publique()

    prive.resume = "Nouveau résumé"
    prive.save()
    etape.titre = "Atelier 1 — balade"
    etape.save()
    etape.delete()
    assert generation_publique() == generation
    assert client.get("/laureats/").content  # still served (from the cache)

    public.resume = "Résumé public modifié"
    public.save()  # a published atelier: its page changes
    assert generation_publique() > generation
    generation = generation_publique()
    public.publie = False
    public.save()  # unpublished now: it must leave the public pages
    assert generation_publique() > generation
    assert "Pays public" not in client.get("/laureats/").content.decode()


def test_cached_pages_run_almost_no_queries(client, django_assert_max_num_queries):
    laureat(nom="Mis en cache")
    client.get("/laureats/?region=53")
    client.get("/donnees/laureats.geojson?region=53")
    with django_assert_max_num_queries(0):
        client.get("/laureats/?region=53")
        client.get("/donnees/laureats.geojson?region=53")


def test_unknown_or_reordered_parameters_reuse_the_cached_page(
    client, django_assert_max_num_queries
):
    """Junk parameters (trackers, cache busters, an attacker's random strings) do not make
    new cache entries: the page is computed once per meaningful query."""
    laureat(nom="Clé stable", region="53", format="local")
    premiere = client.get("/laureats/?region=53&format=local")
    client.get("/donnees/laureats.csv?region=53")
    with django_assert_max_num_queries(0):
        for url in (
            "/laureats/?format=local&region=53",
            "/laureats/?region=53&format=local&utm_source=lettre&_=12345",
            "/laureats/?region=53&q=&format=local&page=",
            "/donnees/laureats.csv?region=53&x=1",
        ):
            response = client.get(url)
            assert response.status_code == 200
            assert "Clé stable" in response.content.decode("utf-8-sig")
    assert "Clé stable" in premiere.content.decode()
    assert "Clé stable" not in client.get("/laureats/?region=53&format=flash").content.decode()


def _gros_jeu(n: int = 30, prefixe: str = "Territoire"):
    session = factories.SessionFactory()
    for i in range(n):
        atelier = laureat(
            nom=f"{prefixe} {i:03d}",
            format="multisite" if i % 3 == 0 else "local",
            session=session if i % 3 == 0 else None,
            departements=("22", "29") if i % 2 else ("35",),
            theme=f"Thème {i % 4}",
        )
        factories.EtapeFactory(atelier=atelier, statut="realisee")
        feuille_publiee(atelier, axes=2, actions=2)
        rapport_publie(atelier)
    return session


PAGES = [
    "/laureats/",
    "/laureats/?region=53&q=territoire&format=local",
    "/laureats/carte/?annee=2024",
    "/sessions/",
    "/donnees/",
    "/donnees/laureats.csv",
    "/donnees/laureats.geojson",
    "/api/laureats/?taille=100",
    "/api/territoires/?taille=100",
    "/api/sessions/?taille=100",
    "/api/feuilles-de-route/?taille=100",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PAGES)
def test_constant_query_count(client, url, django_assert_max_num_queries):
    _gros_jeu(4)
    with CaptureQueriesContext(connection) as petit:
        assert client.get(url).status_code == 200
    from django.core.cache import cache

    cache.clear()
    _gros_jeu(30, prefixe="Autre territoire")
    with django_assert_max_num_queries(len(petit.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(petit.captured_queries) <= 12


def test_territory_and_session_pages_constant_queries(client, django_assert_max_num_queries):
    session = _gros_jeu(30)
    atelier = Atelier.objects.filter(session=session).first()
    for i in range(3):
        factories.EtapeFactory(atelier=atelier, statut="realisee", ordre=i + 2)
    with django_assert_max_num_queries(12):
        assert client.get(atelier.territoire.get_absolute_url()).status_code == 200
    # The session page also compares its ateliers side by side (issue 17) and links the
    # published synthesis, and lists its historical lauréats (issue 16): a fixed number of
    # queries more, whatever the number of lauréats.
    with django_assert_max_num_queries(10):
        assert client.get(session.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        r = client.get(f"/api/territoires/{atelier.territoire.slug}/")
        assert r.status_code == 200
        assert r.json()["ateliers"][0]["rapport"].endswith("/telecharger/")


def test_api_lists_published_roadmaps_with_actions(client):
    atelier = laureat(nom="Roadmap publique")
    feuille = feuille_publiee(atelier, axes=1, actions=3)
    cachee = feuille_publiee(laureat(nom="Roadmap cachée"))
    cachee.__class__.objects.filter(pk=cachee.pk).update(publiee=False)
    data = client.get("/api/feuilles-de-route/").json()
    assert [r["id"] for r in data["resultats"]] == [feuille.pk]
    assert [a["titre"] for a in data["resultats"][0]["axes"][0]["actions"]] == [
        "Action 1.1", "Action 1.2", "Action 1.3"
    ]  # fmt: skip
    assert client.get(f"/api/feuilles-de-route/{feuille.pk}/").status_code == 200
    assert client.get(f"/api/feuilles-de-route/{cachee.pk}/").status_code == 404
    filtre = client.get("/api/feuilles-de-route/?territoire=roadmap-publique").json()
    assert filtre["total"] == 1


def test_api_pagination(client, django_assert_max_num_queries):
    for i in range(7):
        laureat(nom=f"Paginé {i}")
    data = client.get("/api/laureats/?taille=3&page=2&tri=nom").json()
    assert data["total"] == 7 and data["pages"] == 3 and data["page"] == 2
    assert [r["territoire"] for r in data["resultats"]] == ["Paginé 3", "Paginé 4", "Paginé 5"]
    assert "page=3" in data["suivante"] and "page=1" in data["precedente"]
    assert "taille=3" in data["suivante"] and "tri=nom" in data["suivante"]
    # Unknown parameters neither reach the links nor make another cache entry.
    with django_assert_max_num_queries(0):
        autre = client.get("/api/laureats/?tri=nom&utm=x&page=2&taille=3").json()
    assert autre == data and "utm" not in autre["suivante"]
    assert client.get("/api/laureats/?page=9").status_code == 404
    for bad in ("page=0", "page=x", "taille=1000", "taille=-1"):
        response = client.get(f"/api/laureats/?{bad}")
        assert response.status_code == 400, bad
        assert response["Content-Type"] == "application/json"


def test_openapi_schema_and_documentation_page(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/laureats/",
        "/api/territoires/",
        "/api/sessions/",
        "/api/feuilles-de-route/",
    } <= set(schema["paths"])
    html = client.get("/api/").content.decode()
    assert html.count("<h1") == 1
    assert "/api/feuilles-de-route/" in html and "swagger" not in html.lower()


@pytest.mark.django_db(transaction=True)
def test_invalidation_is_repeated_after_commit(client):
    from django.db import transaction

    from atelier.cache import generation_publique

    depart = generation_publique()
    with transaction.atomic():
        invalidate_public_cache()
        pendant = generation_publique()
    assert pendant > depart
    assert generation_publique() > pendant
