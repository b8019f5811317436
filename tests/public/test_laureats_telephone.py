"""/laureats/ on a phone: the filters are a DSFR accordion, open in the HTML (without
JavaScript nothing is hidden) and folded by static/js/filtres_pliables.js on a narrow screen;
the results table turns into cards (each cell names its column)."""

import pytest

from tests.factories.public import laureat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("chemin", ["/laureats/", "/laureats/carte/"])
def test_the_filters_are_an_accordion_open_without_javascript(client, chemin):
    laureat(nom="Pays de Morlaix")
    html = client.get(chemin).content.decode()
    assert 'class="fr-accordion atelier-filtres-pliables" data-atelier-filtres-pliables' in html
    assert 'class="fr-accordion__btn" aria-expanded="true"' in html
    assert 'class="fr-collapse fr-collapse--expanded"' in html
    assert "js/filtres_pliables" in html


def test_the_results_become_cards_on_a_phone(client):
    laureat(nom="Pays de Morlaix")
    html = client.get("/laureats/").content.decode()
    assert "atelier-cartes" in html and 'data-label="Format"' in html
