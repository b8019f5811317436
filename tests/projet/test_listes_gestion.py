"""Every back-office list in /gestion/: sortable column headers (links that work without
JavaScript, ``aria-sort`` on the sorted one), the table inside its DSFR scrolling wrapper with
its first column kept in view, a card layout on a phone (each cell names its column),
pagination, and as many queries with many rows as with few (bench/espace.py times them)."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from appels.models import Candidature
from atelier.tri import Colonne, trier
from ateliers.models import Atelier
from journal.models import Action
from journal.services import audit
from tests import factories
from tests.factories.public import feuille_publiee

pytestmark = pytest.mark.django_db

LISTES = [
    "appels:gestion_candidatures",
    "appels:gestion_appels",
    "appels:gestion_sessions",
    "ateliers:gestion_ateliers",
    "feuilles_de_route:gestion_suivi",
    "acteurs:gestion_agents",
    "acteurs:gestion_services_etat",
    "journal:journal",
    "capitalisation:fiches",
    "capitalisation:catalogue",
]

_LIEN_TRI = re.compile(r'<a class="fr-btn fr-btn--sm fr-btn--sort[^"]*" href="([^"]+)"')


def _grow(n: int) -> None:
    appel = factories.AppelFactory()
    for i in range(n):
        atelier = factories.AtelierFactory(titre=f"Atelier {i:02d}")
        factories.participant(atelier, (Role.HABITANT, Role.ELU, Role.EQUIPE)[i % 3])
        factories.EtapeFactory(atelier=atelier)
        feuille_publiee(atelier, axes=1, actions=2)
        factories.CandidatureFactory(
            appel=appel, statut=Candidature.Statut.DEPOSEE, deposee_le=timezone.now()
        )
        factories.SessionFactory()
        factories.vetted_agent(factories.UtilisateurFactory())
        audit(by=None, obj=atelier, action=Action.ATELIER_DEMARRE)


@pytest.fixture
def agent(client, dgaln):
    client.force_login(dgaln)
    return client


@pytest.mark.parametrize("nom", LISTES)
def test_each_list_sorts_by_its_headers_in_its_dsfr_wrapper(agent, nom):
    _grow(2)
    url = reverse(nom)
    html = agent.get(url).content.decode()
    assert 'class="fr-table__container" tabindex="0"' in html, "scrolls inside its wrapper"
    entetes = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert re.search(r'<th scope="col" class="fr-cell--fixed', entetes), "first column kept"
    assert "atelier-cartes" in html, "cards on a phone"
    liens = _LIEN_TRI.findall(entetes)
    assert len(liens) >= 2, "sortable headers"
    for lien in liens:
        lien = lien.replace("&amp;", "&")
        trie = agent.get(url + lien)
        assert trie.status_code == 200, lien
        entetes_triees = re.search(r"<thead>.*?</thead>", trie.content.decode(), re.S).group(0)
        # the column asked for, and only it, says how it is sorted
        assert len(re.findall(r'aria-sort="(?:ascending|descending)"', entetes_triees)) == 1


def test_a_header_sorts_one_way_then_the_other(agent):
    for titre in ["Brest", "Albi", "Caen"]:
        factories.AtelierFactory(titre=titre)
    url = reverse("ateliers:gestion_ateliers")
    html = agent.get(url, {"tri": "titre"}).content.decode()
    assert html.index("Albi") < html.index("Brest") < html.index("Caen")
    entete = re.search(r'<th scope="col"[^>]*aria-sort="ascending">.*?</th>', html, re.S)
    assert "Atelier" in entete.group(0)
    assert "?tri=-titre" in entete.group(0) and "ordre décroissant" in entete.group(0)
    html = agent.get(url, {"tri": "-titre"}).content.decode()
    assert html.index("Caen") < html.index("Brest") < html.index("Albi")
    assert 'aria-sort="descending"' in html


def test_sort_links_keep_the_filters_and_start_again_at_the_first_page(agent):
    factories.AtelierFactory(titre="Albi", format="flash")
    html = agent.get(
        reverse("ateliers:gestion_ateliers"), {"format": "flash", "page": "2"}
    ).content.decode()
    liens = [lien.replace("&amp;", "&") for lien in _LIEN_TRI.findall(html)]
    assert liens and all("format=flash" in lien and "page=" not in lien for lien in liens)
    # and the filter form keeps the order asked for
    html = agent.get(reverse("ateliers:gestion_ateliers"), {"tri": "-titre"}).content.decode()
    assert '<input type="hidden" name="tri" value="-titre">' in html


def test_an_unknown_order_is_the_lists_own():
    colonnes = [Colonne("Titre", "titre", ("titre",)), Colonne("Thèmes")]
    requete = RequestFactory().get("/", {"tri": "-mot_de_passe"})
    qs, entetes = trier(requete, Atelier.objects.order_by("-annee"), colonnes)
    assert list(qs.query.order_by) == ["-annee"]
    assert [e.aria_sort for e in entetes] == ["", ""]
    assert entetes[1].lien == ""  # not sortable


def test_a_rapporteur_cannot_order_by_marks_they_may_not_read(client, dgaln):
    rapporteur = factories.UtilisateurFactory()
    for nom in ["Albi", "Brest"]:
        candidature = factories.CandidatureFactory(
            territoire_nom=nom, statut=Candidature.Statut.EN_INSTRUCTION, deposee_le=timezone.now()
        )
        candidature.rapporteurs.add(rapporteur)
    client.force_login(rapporteur)
    url = reverse("appels:gestion_candidatures")
    html = client.get(url).content.decode()
    assert "tri=moyenne" not in html and "tri=-moyenne" not in html
    assert "tri=territoire" in html
    html = client.get(url, {"tri": "-moyenne"}).content.decode()
    assert 'aria-sort="descending"' in html  # the default order, by deposit date
    assert re.search(r'aria-sort="descending">.*?Déposée le', html, re.S)


def test_back_office_lists_make_as_many_queries_with_many_rows(agent):
    def counts() -> dict[str, int]:
        result = {}
        for nom in LISTES:
            url = reverse(nom)
            agent.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert agent.get(url).status_code == 200
            result[nom] = len(queries)
        return result

    _grow(2)
    few = counts()
    _grow(6)
    assert counts() == few


def test_the_fast_select_writes_what_djangos_select_writes():
    from django import forms

    from atelier.forms import SelectRapide
    from territoires.models import Departement

    class Filtre(forms.Form):
        departement = forms.ModelChoiceField(
            queryset=Departement.objects.order_by("code"), to_field_name="code", required=False
        )

    def options(html: str) -> list[tuple[str, bool, str]]:
        return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)

    form = Filtre({"departement": "22"})
    django_html = str(form["departement"])
    champ = form.fields["departement"]
    rapide = SelectRapide(attrs={"class": "fr-select"})
    rapide.choices = champ.widget.choices
    champ.widget = rapide
    html = str(form["departement"])
    assert html.startswith('<select name="departement" class="fr-select" id="id_departement">')
    assert len(options(html)) > 100
    assert options(html) == options(django_html)
    assert ("22", " selected", "Côtes-d&#x27;Armor (22)") in options(html)


def test_every_table_scrolls_in_a_wrapper_the_keyboard_reaches():
    """A table wider than a phone scrolls inside ``fr-table__container``, which takes the focus
    (axe: scrollable-region-focusable); no template keeps the old markup where the table
    itself scrolls (the participants page did, at 375 px)."""
    from pathlib import Path

    racine = Path(__file__).resolve().parents[2] / "templates"
    ancien = re.compile(r'<div class="fr-table(?: [^"]*)?"[^>]*>\s*<table')
    fautes = []
    for gabarit in sorted(racine.rglob("*.html")):
        texte = gabarit.read_text(encoding="utf-8")
        if ancien.search(texte):
            fautes.append(f"{gabarit.relative_to(racine)} : tableau hors de fr-table__wrapper")
        for conteneur in re.findall(r'<div class="fr-table__container"[^>]*>', texte):
            if 'tabindex="0"' not in conteneur:
                fautes.append(f"{gabarit.relative_to(racine)} : {conteneur} sans tabindex")
    assert not fautes, "\n".join(fautes)
