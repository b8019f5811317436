"""Every page of an atelier's workspace shows the same header and tabs, the current one marked."""

import re

import pytest

pytestmark = pytest.mark.django_db

ONGLETS = [
    ("", "Vue d'ensemble"),
    ("etapes/", "Étapes"),
    ("participants/", "Participants"),
    ("documents/", "Documents"),
    ("journal/", "Cahier de suivi"),
    ("sites/", "Sites démonstrateurs"),
    ("feuille-de-route/", "Feuille de route"),
    ("calendrier/", "Étapes"),
]


@pytest.mark.parametrize(("chemin", "courant"), ONGLETS)
def test_every_tab_page_shows_the_tabs_with_the_current_one(
    client, atelier, pilote, chemin, courant
):
    client.force_login(pilote)
    response = client.get(f"/espace/ateliers/{atelier.pk}/{chemin}")
    assert response.status_code == 200
    html = response.content.decode()
    onglets = re.findall(r'<a class="fr-tabs__tab" href="([^"]+)" ([^>]*)>([^<]+)</a>', html)
    assert [label for _h, _a, label in onglets] == [label for _c, label in ONGLETS[:7]]
    for href, _attrs, _label in onglets:
        assert client.get(href).status_code == 200
    assert [label for _h, attrs, label in onglets if 'aria-current="page"' in attrs] == [courant]
