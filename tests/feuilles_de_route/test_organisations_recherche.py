"""The action form's porteur and partenaires are searched among the organisations (as one
types, and without JavaScript through « Rechercher »), and a missing one can be added."""

import json
import re

import pytest
from django.urls import reverse

from acteurs.models import Organisation
from feuilles_de_route.models import Action, Axe
from journal.models import Action as AuditAction
from journal.models import EvenementAudit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def axe(atelier):
    from feuilles_de_route import services

    feuille = services.feuille_get_or_create(atelier=atelier)
    return Axe.objects.create(feuille=feuille, titre="Habiter le centre-bourg", ordre=0)


@pytest.fixture
def organisations(db):
    for i in range(200):
        factories.OrganisationFactory(nom=f"Commune numéro {i:03d}")
    return [
        factories.OrganisationFactory(nom="Agence de l'eau Loire-Bretagne"),
        factories.OrganisationFactory(nom="Banque des Territoires"),
    ]


def _url(atelier):
    return reverse("feuilles_de_route:action_ajouter", kwargs={"pk": atelier.pk})


def test_the_form_offers_search_fields_not_a_long_select(
    client, atelier, pilote, axe, organisations
):
    client.force_login(pilote)
    html = client.get(_url(atelier)).content.decode()
    assert 'name="porteur_q"' in html and 'name="partenaires_q"' in html
    assert "<select" not in html.split('id="porteur"')[1].split("</fieldset>")[0]
    assert "Commune numéro 150" not in html  # 200 organisations are not all listed
    assert "data-lieux-recherche" in html and "js/lieux.js" in html
    assert "Ctrl" not in html
    assert ">Aucun porteur</label>" in html and ">None</label>" not in html


def test_the_autocomplete_answers_text_matches(client, pilote, organisations):
    client.force_login(pilote)
    r = client.get(reverse("acteurs:organisations"), {"q": "eau loire"})
    resultats = json.loads(r.content)["resultats"]
    assert [o["valeur"] for o in resultats] == [str(organisations[0].pk)]
    assert resultats[0]["libelle"].startswith("Agence de l'eau Loire-Bretagne (")
    assert client.get(reverse("acteurs:organisations"), {"q": "e"}).json() == {"resultats": []}


def test_search_without_javascript_keeps_what_was_typed(
    client, atelier, pilote, axe, organisations
):
    client.force_login(pilote)
    r = client.post(
        _url(atelier),
        {
            "action": "chercher_organisations",
            "axe": axe.pk,
            "titre": "Réhabiliter la halle",
            "partenaires_q": "banque",
            "priorite": "moyenne",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Réhabiliter la halle" in html
    assert f'value="{organisations[1].pk}"' in html and "Banque des Territoires" in html
    assert not Action.objects.exists()
    # Ticked, then saved.
    r = client.post(
        _url(atelier),
        {
            "action": "enregistrer",
            "axe": axe.pk,
            "titre": "Réhabiliter la halle",
            "porteur": organisations[0].pk,
            "partenaires": [organisations[1].pk],
            "priorite": "moyenne",
        },
    )
    assert r.status_code == 302
    action = Action.objects.get()
    assert action.porteur == organisations[0]
    assert list(action.partenaires.all()) == [organisations[1]]


def test_a_missing_organisation_is_added_chosen_and_audited(client, atelier, pilote, axe):
    client.force_login(pilote)
    r = client.post(
        _url(atelier),
        {
            "action": "ajouter_porteur",
            "axe": axe.pk,
            "titre": "Ouvrir un tiers-lieu",
            "organisation_nom": "  Association  Les Amis de la Halle ",
            "organisation_nature": "association",
            "priorite": "moyenne",
        },
    )
    assert r.status_code == 200
    organisation = Organisation.objects.get(nom="Association Les Amis de la Halle")
    html = r.content.decode()
    assert re.search(rf'value="{organisation.pk}" id="[^"]+" checked', html)
    assert "Ouvrir un tiers-lieu" in html
    assert EvenementAudit.objects.filter(
        action=AuditAction.ORGANISATION_AJOUTEE, atelier=atelier
    ).exists()
    assert not Action.objects.exists()


def test_adding_a_double_or_a_state_service_is_refused_at_the_field(
    client, atelier, pilote, axe, organisations
):
    client.force_login(pilote)
    data = {"axe": axe.pk, "titre": "x", "priorite": "moyenne", "action": "ajouter_partenaire"}
    r = client.post(
        _url(atelier),
        {**data, "organisation_nom": "banque des territoires", "organisation_nature": "operateur"},
    )
    assert r.status_code == 400
    assert "Choisissez la nature" in r.content.decode()
    r = client.post(
        _url(atelier),
        {**data, "organisation_nom": "banque des territoires", "organisation_nature": "entreprise"},
    )
    assert r.status_code == 400 and "est déjà dans la liste" in r.content.decode()
    assert Organisation.objects.filter(nom__iexact="banque des territoires").count() == 1


def test_only_roadmap_writers_add_organisations(client, atelier, elu, axe):
    client.force_login(elu)
    r = client.post(
        _url(atelier),
        {
            "action": "ajouter_porteur",
            "organisation_nom": "Nouvelle",
            "organisation_nature": "association",
        },
    )
    assert r.status_code == 403
    assert not Organisation.objects.filter(nom="Nouvelle").exists()
