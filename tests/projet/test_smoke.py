import pytest


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
