"""Open data of actions and indicators: published roadmaps only, schema followed, filters."""

import json
from decimal import Decimal

import pytest

from feuilles_de_route.models import Action, FeuilleDeRoute, Indicateur, IndicateurAction
from public.donnees_actions import CHAMPS_ACTIONS, CHAMPS_INDICATEURS
from tests.factories.public import feuille_publiee, laureat

pytestmark = pytest.mark.django_db


@pytest.fixture
def donnees():
    bretagne = laureat(nom="Pays de Guingamp", region="53", departements=("22",))
    idf = laureat(nom="Plaine Commune", region="11", departements=("93",))
    cache = laureat(nom="Atelier privé", region="53")
    for atelier in (bretagne, idf, cache):
        feuille_publiee(atelier, axes=1, actions=2)
    FeuilleDeRoute.objects.filter(atelier=cache).update(publiee=False)
    indicateur = Indicateur.objects.create(nom="Logements", definition="x", unite="logements")
    action = Action.objects.filter(axe__feuille__atelier=bretagne).first()
    IndicateurAction.objects.create(
        action=action,
        indicateur=indicateur,
        derniere_valeur=Decimal(12),
        derniere_date="2026-06-01",
    )
    return bretagne


def test_actions_json_follows_its_schema(client, donnees):
    r = client.get("/donnees/actions.json")
    assert r.status_code == 200 and r["Link"].endswith('rel="license"')
    document = json.loads(r.content)
    assert document["schema"] == "atelier-des-territoires/actions/2"
    assert document["champs"] == [c.nom for c in CHAMPS_ACTIONS]
    rows = document["donnees"]
    assert {r["territoire"] for r in rows} == {"Pays de Guingamp", "Plaine Commune"}
    assert all(set(r) == set(document["champs"]) for r in rows)
    suivie = next(r for r in rows if r["indicateurs"])
    assert suivie["indicateurs"] == "Logements : 12 logements (2026-06-01)"


def test_actions_csv_filtered_like_the_laureats(client, donnees):
    text = client.get("/donnees/actions.csv?region=53").content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ";".join(c.nom for c in CHAMPS_ACTIONS)
    assert len(lines) == 3 and "Plaine Commune" not in text and "Atelier privé" not in text
    assert client.get("/donnees/actions.csv?annee=abc").status_code == 400


def test_indicators_dataset(client, donnees):
    document = json.loads(client.get("/donnees/indicateurs.json").content)
    assert document["champs"] == [c.nom for c in CHAMPS_INDICATEURS]
    (row,) = document["donnees"]
    assert row["nom"] == "Logements" and row["derniere_valeur"] == 12.0
    assert client.get("/donnees/actions/").status_code == 200


def test_a_check_in_refreshes_the_cached_dataset(client, donnees, dgaln):
    from django.utils import timezone

    from feuilles_de_route.services import point_suivi_add

    assert "Réalisée" not in client.get("/donnees/actions.csv").content.decode("utf-8-sig")
    action = Action.objects.filter(axe__feuille__atelier=donnees).first()
    point_suivi_add(
        action=action, by=dgaln, etat="realisee", date=timezone.localdate(), commentaire="Fait"
    )
    assert "Réalisée" in client.get("/donnees/actions.csv").content.decode("utf-8-sig")
