"""The public API: adopted roadmaps only, trailing-slash redirects, session filters, errors."""

from decimal import Decimal

import pytest
from django.utils import timezone

from atelier.cache import invalidate_public_cache
from ateliers.models import Atelier
from feuilles_de_route import canonical
from feuilles_de_route.models import Action, Axe, FeuilleDeRoute, Financement, Version
from tests import factories
from tests.factories.public import feuille_publiee, laureat

pytestmark = pytest.mark.django_db


# --- Roadmaps: the adopted frozen version, never the live draft ----------------------------


def _adoptee_avec_partenaire():
    """A published roadmap whose adopted version has a partner and a funding on action 1.1."""
    feuille = factories.FeuilleDeRouteFactory(atelier=laureat(nom="Pays de Lannion"))
    axe = factories.AxeFactory(feuille=feuille, titre="Axe stratégique 1", ordre=0)
    action = factories.ActionFactory(axe=axe, titre="Action 1.1", ordre=0)
    factories.ActionFactory(axe=axe, titre="Action 1.2", ordre=1)
    action.partenaires.add(factories.OrganisationFactory(nom="Région Bretagne"))
    Financement.objects.create(
        action=action, financeur="autre", libelle="Fonds vert", montant=Decimal("5000")
    )
    contenu = canonical.snapshot(feuille)
    version = Version.objects.create(
        feuille=feuille,
        numero=1,
        contenu=contenu,
        empreinte=canonical.empreinte(contenu),
        statut=Version.Statut.ADOPTEE,
        adoptee_le=timezone.now(),
    )
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        version_adoptee=version, publiee=True, publiee_le=timezone.now()
    )
    feuille.refresh_from_db()
    return feuille, action


def test_api_serves_the_adopted_roadmap_not_unsigned_draft_edits(client):
    feuille, action = _adoptee_avec_partenaire()
    # After adoption, the pilote keeps editing the live roadmap (a draft nobody signed).
    Action.objects.filter(pk=action.pk).update(titre="Brouillon : projet de rocade")
    Axe.objects.filter(feuille=feuille).update(titre="Axe brouillon renommé")
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        titre="Titre brouillon", preambule="Préambule brouillon"
    )
    factories.ActionFactory(axe=action.axe, titre="Action brouillon ajoutée", ordre=9)
    invalidate_public_cache()

    liste = client.get("/api/feuilles-de-route/")
    detail = client.get(f"/api/feuilles-de-route/{feuille.pk}/")
    assert liste.status_code == detail.status_code == 200
    for response in (liste, detail):
        assert "brouillon" not in response.content.decode().lower()
    resultat = detail.json()
    assert liste.json()["resultats"] == [resultat]
    assert resultat["titre"] == feuille.version_adoptee.contenu["feuille"]["titre"]
    assert [a["titre"] for a in resultat["axes"]] == ["Axe stratégique 1"]
    actions = resultat["axes"][0]["actions"]
    assert [a["titre"] for a in actions] == ["Action 1.1", "Action 1.2"]
    assert actions[0]["partenaires"] == ["Région Bretagne"]
    assert actions[0]["financements"] == [{"source": "Fonds vert", "montant": "5000.00"}]
    # The territory page shows the same adopted text.
    page = client.get(feuille.atelier.territoire.get_absolute_url()).content.decode()
    assert "Action 1.1" in page and "Brouillon" not in page


def test_api_follow_up_of_adopted_actions_is_live(client):
    feuille = feuille_publiee(laureat(nom="Pays de Morlaix"), axes=1, actions=2)
    Action.objects.filter(axe__feuille=feuille, titre="Action 1.2").update(
        statut_suivi="en_cours", avancement=40
    )
    actions = client.get(f"/api/feuilles-de-route/{feuille.pk}/").json()["axes"][0]["actions"]
    assert [(a["titre"], a["statut_suivi"], a["avancement"]) for a in actions] == [
        ("Action 1.1", "a_venir", None),
        ("Action 1.2", "en_cours", 40),
    ]


def test_api_roadmaps_only_of_published_ateliers(client):
    visible = feuille_publiee(laureat(nom="Atelier visible"))
    masquee = feuille_publiee(laureat(nom="Atelier dépublié"))
    Atelier.objects.filter(pk=masquee.atelier_id).update(publie=False, publie_le=None)
    invalidate_public_cache()
    data = client.get("/api/feuilles-de-route/").json()
    assert [r["id"] for r in data["resultats"]] == [visible.pk]
    response = client.get(f"/api/feuilles-de-route/{masquee.pk}/")
    assert response.status_code == 404
    assert response.json()["erreur"] == "Feuille de route introuvable."


def test_api_roadmaps_constant_queries_with_follow_up(client, django_assert_max_num_queries):
    for i in range(3):
        feuille_publiee(laureat(nom=f"Petit {i}"), axes=2, actions=3)
    with django_assert_max_num_queries(6) as petit:
        assert client.get("/api/feuilles-de-route/?taille=100").status_code == 200
    invalidate_public_cache()
    for i in range(15):
        feuille_publiee(laureat(nom=f"Grand {i}"), axes=3, actions=4)
    with django_assert_max_num_queries(len(petit.captured_queries)):
        data = client.get("/api/feuilles-de-route/?taille=100").json()
    assert data["total"] == 18


# --- Trailing slash ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("adresse", "destination"),
    [
        ("/api/laureats", "/api/laureats/"),
        ("/api/laureats?format=flash&region=53", "/api/laureats/?format=flash&region=53"),
        ("/api/sessions?annee=2021", "/api/sessions/?annee=2021"),
        ("/api/territoires/pays-de-lannion", "/api/territoires/pays-de-lannion/"),
        ("/api/feuilles-de-route/12", "/api/feuilles-de-route/12/"),
    ],
)
def test_api_address_without_final_slash_redirects(client, adresse, destination):
    response = client.get(adresse)
    assert response.status_code == 301
    assert response["Location"] == destination


@pytest.mark.parametrize(
    "adresse",
    ["/api/inconnue", "/api/inconnue/", "/api/laureats/csv", "/api/feuilles-de-route/abc"],
)
def test_unknown_api_address_stays_a_json_404(client, adresse):
    response = client.get(adresse)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "Adresse inconnue" in response.json()["erreur"]


# --- Session filters -----------------------------------------------------------------------


@pytest.fixture
def sessions_futures():
    return {
        "zephyr": factories.SessionFactory(
            titre="Zéphyrs littoraux", theme="Côtes", annee_debut=2031, annee_fin=2033
        ),
        "borée": factories.SessionFactory(
            titre="Borée", theme="Vents écologiques", annee_debut=2032
        ),
        "autan": factories.SessionFactory(titre="Autan", theme="Plaine", annee_debut=2035),
    }


def _slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {s["slug"] for s in response.json()["resultats"]}


def test_sessions_filtered_by_year_they_cover(client, sessions_futures):
    zephyr, boree = sessions_futures["zephyr"].slug, sessions_futures["borée"].slug
    assert _slugs(client.get("/api/sessions/?annee=2031")) == {zephyr}
    assert _slugs(client.get("/api/sessions/?annee=2032")) == {zephyr, boree}
    assert _slugs(client.get("/api/sessions/?annee=2033")) == {zephyr}
    assert _slugs(client.get("/api/sessions/?annee=2034")) == set()
    assert client.get("/api/sessions/").json()["total"] > 3  # unfiltered: every session


def test_sessions_text_search_on_title_and_theme(client, sessions_futures):
    zephyr, boree = sessions_futures["zephyr"].slug, sessions_futures["borée"].slug
    assert _slugs(client.get("/api/sessions/?q=zephyr+cote&annee=2031")) == {zephyr}
    assert boree in _slugs(client.get("/api/sessions/?q=ECOLOGIQUE&annee=2032"))
    assert _slugs(client.get("/api/sessions/?q=boree")) == {boree}
    assert _slugs(client.get("/api/sessions/?q=introuvablissime")) == set()


@pytest.mark.parametrize("query", ["annee=abc", "annee=1850", "annee=2101", "q=" + "x" * 201])
def test_invalid_session_filters_are_a_400_in_french(client, query):
    response = client.get(f"/api/sessions/?{query}")
    assert response.status_code == 400
    corps = response.json()
    assert corps["erreur"] == "Paramètres invalides."
    champ = query.split("=")[0]
    assert list(corps["details"]) == [champ]
    assert all(isinstance(m, str) and m for m in corps["details"][champ])


def test_session_filters_are_documented(client):
    schema = client.get("/api/openapi.json").json()
    parametres = schema["paths"]["/api/sessions/"]["get"]["parameters"]
    assert {p["name"] for p in parametres} == {"annee", "q", "page", "taille"}


# --- One error format for the API and the exports ------------------------------------------


@pytest.mark.parametrize("query", ["session=inconnue", "annee=abc", "departement=ZZ"])
def test_exports_and_api_report_invalid_filters_alike(client, query):
    laureat(nom="Baie de Morlaix")
    reponses = [
        client.get(f"{url}?{query}")
        for url in ("/donnees/laureats.csv", "/donnees/laureats.geojson", "/api/laureats/")
    ]
    champ = query.split("=")[0]
    for response in reponses:
        assert response.status_code == 400
        corps = response.json()
        assert corps["erreur"] == "Paramètres invalides."
        assert list(corps["details"]) == [champ]
        assert all(isinstance(m, str) and m for m in corps["details"][champ])
    csv, geojson, _ = (r.json()["details"] for r in reponses)
    assert csv == geojson
    if champ == "session":  # checked by the same filter form everywhere: the same message
        assert reponses[2].json()["details"] == csv


# --- One object: a JSON 404 in French for what is unknown or not public, never cached ------


def test_api_detail_of_an_unpublished_object_is_a_french_404_until_it_is_published(client):
    atelier = laureat(nom="Pays de Guingamp", publie=False)
    adresses = {
        f"/api/territoires/{atelier.territoire.slug}/": "Territoire introuvable.",
        "/api/sessions/session-inconnue/": "Session introuvable.",
        "/api/feuilles-de-route/999999/": "Feuille de route introuvable.",
    }
    for adresse, message in adresses.items():
        response = client.get(adresse)
        assert response.status_code == 404, adresse
        assert response.json() == {"erreur": message, "details": {}}
        assert response["Access-Control-Allow-Origin"] == "*"
    # The 404 was not cached: published (even without the cache being invalidated), the
    # territory is served at once.
    Atelier.objects.filter(pk=atelier.pk).update(publie=True, publie_le=timezone.now())
    response = client.get(f"/api/territoires/{atelier.territoire.slug}/")
    assert response.status_code == 200
    assert response.json()["nom"] == atelier.territoire.nom
