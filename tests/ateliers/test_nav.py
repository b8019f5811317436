"""Every page of an atelier's workspace shows the same header and side menu of its sections,
the current one marked."""

import re
from html import unescape

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
    onglets = re.findall(r'<a class="fr-sidemenu__link" href="([^"]+)"([^>]*)>([^<]+)</a>', html)
    assert [unescape(label) for _h, _a, label in onglets] == [label for _c, label in ONGLETS[:7]]
    for href, _attrs, _label in onglets:
        assert client.get(href).status_code == 200
    courants = [unescape(label) for _h, attrs, label in onglets if 'aria-current="page"' in attrs]
    assert courants == [courant]


SOUS_PAGES = [
    *[chemin for chemin, _courant in ONGLETS],
    "equipe/",
    "etapes/ajouter/",
    "feuille-de-route/modifier/",
    "feuille-de-route/versions/",
    "feuille-de-route/suivi/",
    "feuille-de-route/signature/",
]


@pytest.mark.parametrize("chemin", SOUS_PAGES)
def test_every_workspace_page_has_the_one_shell(client, atelier, pilote, chemin):
    """Whichever app serves it: the atelier's header (territory, format, its title as the
    page's only h1) above the side menu of its sections."""
    client.force_login(pilote)
    html = client.get(f"/espace/ateliers/{atelier.pk}/{chemin}").content.decode()
    assert f"{atelier.territoire} · Atelier {atelier.get_format_display()}" in html
    assert re.findall(r"<h1[^>]*>([^<]*)</h1>", html) == [atelier.titre]
    assert html.count('class="fr-sidemenu atelier-onglets"') == 1
