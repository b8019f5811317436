import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse


@pytest.mark.django_db
def test_home_renders_dsfr_and_the_three_formats(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr"' in html
    assert "fr-header" in html and "fr-footer" in html
    for label in ("Atelier Multisite", "Atelier Local", "Atelier Flash"):
        assert label in html
    assert "/static/dsfr/dist/dsfr.min.css" in html or "dsfr.min.css" in html


@pytest.mark.django_db
def test_home_has_the_state_site_furniture(client):
    html = client.get("/").content.decode()
    assert "fr-skiplinks" in html
    assert "République" in html and "Française" in html
    assert "Atelier des territoires" in html
    for name in ("accessibilite", "mentions_legales", "donnees_personnelles"):
        assert f'href="{reverse(name)}"' in html
    # Assets come from the packages, never from a CDN.
    external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    # The durations of the formats, from the programme.
    assert "10 à 12 mois" in html or "10–12" in html or "10 – 12" in html


@pytest.mark.django_db
def test_home_with_demo_data_lists_the_open_call(client):
    call_command("seed_demo", production=True, stdout=io.StringIO())
    response = client.get("/")
    assert response.status_code == 200
    assert "Territoires en adaptation" in response.content.decode()
