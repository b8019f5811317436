"""Users get the DSFR error pages whatever DEBUG says; a refusal is one line in the log."""

import logging

import pytest
from django.test import Client

from tests.factories.public import laureat

pytestmark = pytest.mark.django_db


def test_someone_elses_atelier_is_the_french_404_even_under_debug(
    client, settings, habitant, autre_atelier
):
    settings.DEBUG = True  # as under `make run`
    client.force_login(habitant)
    response = client.get(f"/espace/ateliers/{autre_atelier.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page non trouvée" in page or "Erreur 404" in page
    assert "URLconf" not in page and "urlpatterns" not in page  # not Django's technical page


def test_a_refused_access_is_one_line_without_traceback(client, settings, habitant, caplog):
    settings.DEBUG = True
    client.force_login(habitant)
    with caplog.at_level(logging.INFO):
        response = client.get("/gestion/journal/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()
    assert not [r for r in caplog.records if r.exc_info]
    assert any("acces_refuse" in r.getMessage() for r in caplog.records)


def test_a_form_without_its_token_gets_a_french_page(habitant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(habitant)
    response = client.post("/verifier/", {"empreinte": "x"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


@pytest.mark.parametrize("adresse", ["/donnees/laureats.csv", "/donnees/laureats.geojson"])
def test_open_data_files_are_downloads(client, adresse):
    laureat(nom="Quintin")
    response = client.get(adresse)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_public_footer_does_not_open_raw_json(client):
    page = client.get("/").content.decode()
    assert 'href="/sante/"' not in page
