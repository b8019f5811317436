"""Public pages: only published content, filters, search, sorting, pagination."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ateliers.models import Atelier
from feuilles_de_route.models import Action
from tests import factories
from tests.factories.public import feuille_publiee, laureat, rapport_publie

pytestmark = pytest.mark.django_db


def noms(response) -> list[str]:
    import html
    import re

    found = re.findall(r'<a href="/territoires/[^"]+/">([^<]+)</a>', response.content.decode())
    return [html.unescape(n) for n in found]


def test_unpublished_atelier_is_a_404_and_absent_from_lists(client):
    laureat(nom="Brouillon du Trégor", publie=False)
    laureat(nom="Pays de Guingamp")
    assert client.get("/territoires/brouillon-du-tregor/").status_code == 404
    response = client.get("/laureats/")
    assert response.status_code == 200
    assert noms(response) == ["Pays de Guingamp"]
    assert "Brouillon" not in client.get("/donnees/laureats.csv").content.decode("utf-8-sig")
    assert client.get("/api/territoires/brouillon-du-tregor/").status_code == 404


def test_urls_match_the_design():
    assert reverse("public:laureats") == "/laureats/"
    assert reverse("public:carte") == "/laureats/carte/"
    assert reverse("public:sessions") == "/sessions/"
    assert reverse("public:detail", kwargs={"slug": "x"}) == "/territoires/x/"
    assert reverse("public:session", kwargs={"slug": "x"}) == "/sessions/x/"


@pytest.fixture
def jeu():
    session = factories.SessionFactory(titre="Littoral en transition", theme="Littoral")
    return {
        "a": laureat(nom="Baie de Saint-Brieuc", format="multisite", session=session,
                     annee=2022, region="53", departements=("22",), statut=Atelier.Statut.CLOS,
                     description="Un projet de transition écologique du littoral."),
        "b": laureat(nom="Vallée de la Drôme", format="local", annee=2024, region="84",
                     departements=("26",), theme="Eau et agriculture",
                     description="Ressources en eau et agricultures écologiques."),
        "c": laureat(nom="Pays d'Auge", format="flash", annee=2024, region="28",
                     departements=("14", "61"), theme="Revitalisation des bourgs",
                     description="Réseaux territoriaux de bourgs."),
        "session": session,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("query", "attendus"),
    [
        ("", ["Baie de Saint-Brieuc", "Pays d'Auge", "Vallée de la Drôme"]),
        ("format=flash", ["Pays d'Auge"]),
        ("annee=2024", ["Pays d'Auge", "Vallée de la Drôme"]),
        ("region=84", ["Vallée de la Drôme"]),
        ("departement=61", ["Pays d'Auge"]),
        ("departement=14", ["Pays d'Auge"]),
        ("statut=clos", ["Baie de Saint-Brieuc"]),
        ("theme=Littoral", ["Baie de Saint-Brieuc"]),
        ("theme=eau+et+agriculture", ["Vallée de la Drôme"]),
        ("annee=2024&format=local", ["Vallée de la Drôme"]),
        ("annee=2024&region=28&format=flash", ["Pays d'Auge"]),
        ("annee=2022&region=84", []),
        ("q=ecologique", ["Baie de Saint-Brieuc", "Vallée de la Drôme"]),
        ("q=ECOLOGIQUES", ["Baie de Saint-Brieuc", "Vallée de la Drôme"]),
        ("q=écologique&region=84", ["Vallée de la Drôme"]),
        ("q=drome", ["Vallée de la Drôme"]),
        ("q=bourg", ["Pays d'Auge"]),
        ("q=littoral", ["Baie de Saint-Brieuc"]),
        ("q=inexistant", []),
        ("q=territorial", ["Pays d'Auge"]),  # territoriaux
        ("q=reseau", ["Pays d'Auge"]),  # réseaux
        ("q=ressource", ["Vallée de la Drôme"]),
        # Only stop words: nothing to search for, nothing filtered out (on both databases).
        ("q=nous", ["Baie de Saint-Brieuc", "Pays d'Auge", "Vallée de la Drôme"]),
    ],
)
def test_filters_and_search(client, jeu, query, attendus):
    response = client.get(f"/laureats/?{query}&tri=nom")
    assert response.status_code == 200
    assert noms(response) == attendus
    # Same filters on the exports and the API
    csv = client.get(f"/donnees/laureats.csv?{query}").content.decode("utf-8-sig")
    assert sorted(line.split(";")[1] for line in csv.splitlines()[1:]) == attendus
    api = client.get(f"/api/laureats/?{query}").json()
    assert sorted(r["territoire"] for r in api["resultats"]) == attendus
    assert api["total"] == len(attendus)


def test_session_filter(client, jeu):
    response = client.get(f"/laureats/?session={jeu['session'].slug}")
    assert noms(response) == ["Baie de Saint-Brieuc"]


def test_sorting(client, jeu):
    assert noms(client.get("/laureats/?tri=-nom")) == [
        "Vallée de la Drôme", "Pays d'Auge", "Baie de Saint-Brieuc"
    ]  # fmt: skip
    assert noms(client.get("/laureats/?tri=annee"))[0] == "Baie de Saint-Brieuc"
    assert noms(client.get("/laureats/"))[-1] == "Baie de Saint-Brieuc"  # most recent first


@pytest.mark.parametrize(
    "query", ["annee=abc", "annee=1850", "annee=2024.5", "annee=1e400000", "region=999", "format=geant", "session=inconnue",
              "departement=ZZ", "statut=x", "tri=hasard", "q=" + "x" * 300]
)  # fmt: skip
def test_invalid_filters_are_a_400_with_a_french_message(client, jeu, query):
    response = client.get(f"/laureats/?{query}")
    assert response.status_code == 400
    assert "Certains filtres ne sont pas valides" in response.content.decode()
    assert client.get(f"/donnees/laureats.csv?{query}").status_code == 400
    assert client.get(f"/laureats/carte/?{query}").status_code == 400
    api = client.get(f"/api/laureats/?{query}")
    assert api.status_code == 400
    assert api.json()["erreur"]


@pytest.mark.parametrize("valeur", ["1e3", "2e3", "1e400000", "9" * 5000])
def test_a_year_is_a_whole_number_not_a_scientific_notation(client, valeur):
    """A decimal parser read ``1e400000`` as a number and took seconds to convert it."""
    html = client.get(f"/laureats/?annee={valeur}").content.decode()
    assert "Saisissez un nombre entier." in html


def test_pagination_and_count_keep_filters(client):
    for i in range(25):
        laureat(nom=f"Commune {i:02d}", region="53")
    laureat(nom="Ailleurs", region="84", departements=("26",))
    response = client.get("/laureats/?region=53&tri=nom")
    html = response.content.decode()
    assert "25 territoires lauréats" in html
    assert len(noms(response)) == 20
    assert "region=53" in html and "page=2" in html
    page2 = client.get("/laureats/?region=53&tri=nom&page=2")
    assert noms(page2) == [f"Commune {i:02d}" for i in range(20, 25)]
    assert client.get("/laureats/?page=zzz").status_code == 200


def test_territory_page_shows_atelier_roadmap_report_and_meta(client):
    atelier = laureat(nom="Communauté du Kreiz Breizh", theme="Centralités rurales")
    factories.EtapeFactory(atelier=atelier, nature="lancement", titre="Séminaire de lancement",
                           statut="realisee")  # fmt: skip
    factories.EtapeFactory(atelier=atelier, nature="atelier_1", titre="Étape future")
    feuille = feuille_publiee(atelier)
    rapport = rapport_publie(atelier, version=feuille.version_adoptee)
    html = client.get("/territoires/communaute-du-kreiz-breizh/").content.decode()
    assert html.count("<h1") == 1
    assert "Séminaire de lancement" in html and "Étape future" not in html
    assert "Axe stratégique 1" in html and "Action 2.2" in html
    assert f"/rapports/{rapport.pk}/telecharger/" in html
    assert (
        '<link rel="canonical" href="http://127.0.0.1:8000/territoires/communaute-du-kreiz-breizh/">'
        in html
    )
    assert 'property="og:title"' in html


@pytest.mark.parametrize(
    "url, attendu",
    [
        ("/laureats/?tri=nom&utm_source=x&region=53", "/laureats/?region=53&amp;tri=nom"),
        ("/laureats/carte/?format=local&page=2", "/laureats/carte/?format=local"),
        ("/sessions/?x=1", "/sessions/"),
        ("/donnees/", "/donnees/"),
    ],
)
def test_public_pages_name_their_canonical_address(client, url, attendu):
    laureat(nom="Pays canonique", format="local")
    html = client.get(url).content.decode()
    assert html.count('rel="canonical"') == 1
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{attendu}">' in html


def test_territory_page_shows_the_adopted_frozen_version_and_its_signatures(client):
    atelier = laureat(nom="Pays de Ploërmel")
    feuille = feuille_publiee(atelier, axes=1, actions=1)
    version = feuille.version_adoptee
    # Edits after adoption belong to the next draft: the public reads what was signed.
    Action.objects.filter(axe__feuille=feuille).update(titre="Brouillon non signé")
    html = client.get("/territoires/pays-de-ploermel/").content.decode()
    assert "Action 1.1" in html and "Brouillon non signé" not in html
    assert "Axe 1. Axe stratégique 1" in html
    assert f'href="/verifier/{version.empreinte}/"' in html
    for signature in version.signatures.all():
        assert (
            signature.nom_signataire in html and signature.capacite.replace("'", "&#x27;") in html
        )
        assert f'href="/verifier/{signature.sceau}/"' in html
    assert client.get(f"/verifier/{version.empreinte}/").status_code == 200


def test_territory_page_queries_do_not_grow_with_ateliers(client, django_assert_num_queries):
    def territoire(nom: str, n: int) -> str:
        premier = laureat(nom=nom)
        ateliers = [premier] + [
            factories.AtelierFactory(
                territoire=premier.territoire,
                publie=True,
                publie_le=premier.publie_le,
                annee=2020 + i,
            )
            for i in range(n - 1)
        ]
        for a in ateliers:
            factories.EtapeFactory(atelier=a, statut="realisee")
            rapport_publie(a, version=feuille_publiee(a).version_adoptee)
        return premier.territoire.get_absolute_url()

    petit, grand = territoire("Petit pays", 1), territoire("Grand pays", 4)
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(petit).status_code == 200
    with django_assert_num_queries(len(requetes.captured_queries)):
        html = client.get(grand).content.decode()
    assert html.count("Feuille de route adoptée") == 4
    assert html.count("Télécharger le rapport de restitution") == 4


def test_unpublished_roadmap_and_report_are_hidden(client):
    atelier = laureat(nom="Pays de Redon")
    feuille = feuille_publiee(atelier)
    feuille.__class__.objects.filter(pk=feuille.pk).update(publiee=False)
    rapport = rapport_publie(atelier)
    rapport.__class__.objects.filter(pk=rapport.pk).update(publie=False)
    html = client.get("/territoires/pays-de-redon/").content.decode()
    assert "Axe stratégique" not in html
    assert "/rapports/" not in html


def test_sessions_pages(client, jeu):
    html = client.get("/sessions/").content.decode()
    assert "Littoral en transition" in html
    html = client.get(f"/sessions/{jeu['session'].slug}/").content.decode()
    assert "Baie de Saint-Brieuc" in html and "Pays d'Auge" not in html
    assert client.get("/sessions/inconnue/").status_code == 404


def test_historical_sessions_are_listed(client):
    html = client.get("/sessions/").content.decode()
    assert "2006" in html


def test_map_page_uses_its_data_layer_with_the_same_filters(client, jeu):
    html = client.get("/laureats/carte/?format=local&region=84").content.decode()
    assert 'data-source="/laureats/carte/donnees.json?format=local&amp;region=84"' in html
    assert 'href="/laureats/?format=local&amp;region=84"' in html
    assert "1</strong> territoire lauréat" in html


def test_open_data_page_documents_every_column(client):
    from public.exports import COLONNES

    html = client.get("/donnees/").content.decode()
    for c in COLONNES:
        assert f"<code>{c.nom}</code>" in html
    assert 'id="licence"' in html and "Licence Ouverte" in html


def test_sitemap_and_robots(client, jeu):
    laureat(nom="Caché", publie=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/territoires/baie-de-saint-brieuc/" in xml
    assert "/territoires/cache/" not in xml
    assert "/sessions/" in xml
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots  # settings.SITE_URL
    assert "Disallow: /gestion/" in robots


SITE = "https://atelier.example.gouv.fr"


def _locs(client) -> list[str]:
    import re

    return re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())


def test_sitemap_addresses_are_on_the_public_site_url(client, jeu, settings):
    """Not ``http://example.com/`` (the Site record nobody set) nor the request's host."""
    settings.SITE_URL = SITE
    locs = _locs(client)
    assert f"{SITE}/territoires/baie-de-saint-brieuc/" in locs
    assert f"{SITE}/laureats/" in locs
    assert locs and all(loc.startswith(f"{SITE}/") for loc in locs), locs


def _robots_allows(robots: str, path: str) -> bool:
    """RFC 9309 matching, as the major crawlers do it: the longest matching rule wins, an
    ``Allow`` wins a tie; ``*`` matches anything and a final ``$`` anchors the end."""
    import re

    best = (-1, True)
    for ligne in robots.splitlines():
        champ, _, valeur = ligne.partition(":")
        champ, valeur = champ.strip().lower(), valeur.strip()
        if champ not in ("allow", "disallow") or not valeur:
            continue
        motif = re.escape(valeur.rstrip("$")).replace(r"\*", ".*")
        if re.match(motif + ("$" if valeur.endswith("$") else ""), path):
            rang = (len(valeur), champ == "allow")
            best = max(best, rang)
    return best[1]


def test_robots_lets_crawlers_reach_every_sitemap_address(client, jeu, settings):
    settings.SITE_URL = SITE
    robots = client.get("/robots.txt").content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()
    for loc in _locs(client):
        assert _robots_allows(robots, loc.removeprefix(SITE)), loc
    assert _robots_allows(robots, "/api/")  # the API documentation page
    for prive in ("/api/laureats/", "/api/openapi.json", "/espace/", "/gestion/", "/admin/"):
        assert not _robots_allows(robots, prive), prive


def test_home_shows_the_map_of_laureats(client):
    html = client.get("/").content.decode()
    assert 'data-carte="laureats"' in html
    assert 'data-source="/laureats/carte/donnees.json"' in html


def test_filter_form_keeps_the_chosen_values(client, jeu):
    html = client.get(
        f"/laureats/?region=84&departement=26&session={jeu['session'].slug}"
    ).content.decode()
    assert '<option value="84" selected>Auvergne-Rhône-Alpes</option>' in html
    assert '<option value="26" selected>Drôme (26)</option>' in html
    assert f'<option value="{jeu["session"].slug}" selected>' in html
    assert '<option value="Eau et agriculture">Eau et agriculture</option>' in html


def test_head_requests_are_answered(client, jeu):
    assert client.head("/laureats/").status_code == 200
    assert client.head("/donnees/laureats.csv").status_code == 200
    assert client.head("/api/laureats/").status_code == 200
    assert client.post("/laureats/").status_code == 405


def test_territory_map_data_has_point_perimeter_and_demonstrator_sites(client):
    import json
    import re

    from ateliers.models import SiteDemonstrateur

    carre = {"type": "Polygon", "coordinates": [[[-3, 48], [-2, 48], [-2, 49], [-3, 48]]]}
    atelier = laureat(nom="Pays des sites", lat=48.5, lon=-2.5, perimetre=carre)
    SiteDemonstrateur.objects.create(
        atelier=atelier,
        nom="Friche du port",
        geometrie={"type": "Point", "coordinates": [-2.6, 48.4]},
    )
    html = client.get("/territoires/pays-des-sites/").content.decode()
    brut = re.search(
        r'<script id="donnees-carte-territoire" type="application/json">(.*?)</script>', html
    )
    donnees = json.loads(brut.group(1))
    assert donnees["point"] == {"type": "Point", "coordinates": [-2.5, 48.5]}
    assert donnees["perimetre"] == carre
    assert donnees["sites"][0]["properties"]["nom"] == "Friche du port"
    assert "Friche du port" in html
