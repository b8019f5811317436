"""The frame of every page (atelier/templatetags/cadre.py): the header written in Python and the
footer rendered once per process must say what the templates said, to each visitor."""

import re

import pytest
from django.urls import reverse

from tests import factories


def _entete(page: str) -> str:
    return page[page.index('<header role="banner"') : page.index("</header>")]


def _courant(page: str) -> list[str]:
    return re.findall(r'class="fr-nav__link" href="([^"]+)" aria-current="page"', _entete(page))


@pytest.mark.django_db
def test_an_anonymous_visitor_is_offered_to_sign_in_and_sees_the_public_menu(client):
    entete = _entete(client.get("/laureats/").content.decode())
    assert entete.count(f'href="{reverse("account_login")}">Se connecter</a>') == 2
    assert "Se déconnecter" not in entete and "Mon espace" not in entete
    assert "Gestion</a>" not in entete
    assert _courant(client.get("/laureats/").content.decode()) == ["/laureats/"]


@pytest.mark.django_db
def test_a_signed_in_user_name_is_text_and_sign_out_posts_with_its_csrf_field(client):
    user = factories.UtilisateurFactory(first_name="<script>alert(1)</script>", last_name="Durand")
    client.force_login(user)
    page = client.get("/espace/").content.decode()
    entete = _entete(page)
    assert "<script>alert(1)</script>" not in entete
    assert entete.count("&lt;script&gt;alert(1)&lt;/script&gt; Durand") == 2
    formulaires = re.findall(
        r'<form method="post" action="([^"]+)"><input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)">',
        entete,
    )
    assert len(formulaires) == 2 and all(v for _, v in formulaires)
    assert (
        client.post(formulaires[0][0], {"csrfmiddlewaretoken": formulaires[0][1]}).status_code
        == 302
    )
    assert "_auth_user_id" not in client.session
    assert _courant(page) == ["/espace/"]
    assert "Gestion</a>" not in entete


@pytest.mark.django_db
def test_dgaln_staff_see_the_back_office_entry_marked_current_there(client):
    agent = factories.DgalnFactory()
    factories.with_totp(agent)
    client.force_login(agent)
    page = client.get("/gestion/sessions/").content.decode()
    assert _courant(page) == ["/gestion/"]
    assert _courant(client.get("/").content.decode()) == ["/"]


@pytest.mark.django_db
def test_the_footer_follows_the_publisher_settings(client, settings):
    settings.DEBUG = False
    settings.ATELIER_EDITEUR = "Direction de test"
    assert "pilotée par la Direction de test." in client.get("/accessibilite/").content.decode()
    settings.ATELIER_EDITEUR = "Autre direction"
    settings.ATELIER_MINISTERE = "Ministère de l'Essai"
    page = client.get("/mentions-legales/").content.decode()
    pied = page[page.index("<footer") :]
    assert "pilotée par la Autre direction." in pied
    assert "Ministère<br>de l&#x27;Essai" in pied or "Ministère<br>de l'Essai" in pied


@pytest.mark.django_db
def test_the_back_office_menu_marks_its_area_and_the_breadcrumb_is_text(client):
    agent = factories.DgalnFactory()
    factories.with_totp(agent)
    client.force_login(agent)
    page = client.get("/gestion/sessions/").content.decode()
    menu = page[page.index('<nav class="fr-sidemenu"') :]
    menu = menu[: menu.index("</nav>")]
    assert re.findall(r'href="([^"]+)" aria-current="page"', menu) == ["/gestion/sessions/"]
    assert menu.count("fr-sidemenu__item--active") == 1

    atelier = factories.AtelierFactory(titre="<b>Vallée</b> & co")
    pilote = factories.participant(atelier, factories.Role.PILOTE)
    factories.with_totp(pilote)
    client.force_login(pilote)
    page = client.get(reverse("ateliers:documents", kwargs={"pk": atelier.pk})).content.decode()
    fil = page[page.index('<ol class="fr-breadcrumb__list">') :]
    fil = fil[: fil.index("</ol>")]
    assert "<b>Vallée</b>" not in fil and "&lt;b&gt;Vallée&lt;/b&gt; &amp; co" in fil
    assert '<a class="fr-breadcrumb__link" aria-current="page">Documents</a>' in fil


@pytest.mark.django_db
@pytest.mark.parametrize("connecte", [False, True])
def test_the_mobile_menu_holds_the_header_tools_as_written(client, connecte):
    # DSFR's header script rewrites the mobile menu's links (innerHTML) when they differ from
    # the header's tools: they are written identical, so that it leaves them alone.
    if connecte:
        client.force_login(factories.UtilisateurFactory(first_name="Zoé", last_name="Durand"))
    entete = _entete(client.get("/laureats/").content.decode())
    outils = re.search(r'<div class="fr-header__tools-links">(.*?)</div>', entete, re.S)[1]
    menu = re.search(r'<div class="fr-header__menu-links">(.*?)</div>', entete, re.S)[1]
    assert outils == menu and ("Se déconnecter" in menu) == connecte
