"""Ateliers side by side: for DGALN in /gestion/comparaison/, and on the public session page
(published data only)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Atelier, FicheCapitalisation
from feuilles_de_route.models import Action, FeuilleDeRoute, Indicateur, IndicateurAction
from tests import factories
from tests.factories.public import feuille_publiee, laureat

pytestmark = pytest.mark.django_db


def _session_de(n: int, session=None, start: int = 0):
    session = session or factories.SessionFactory(titre="Territoires en transition")
    indicateur = Indicateur.objects.create(
        nom=f"Logements {start}", definition="x", unite="logements"
    )
    for i in range(start, start + n):
        atelier = laureat(
            nom=f"Lauréat {i}", format="multisite", session=session, statut=Atelier.Statut.RESTITUE
        )
        feuille_publiee(atelier, axes=2, actions=2)
        action = Action.objects.filter(axe__feuille__atelier=atelier).first()
        IndicateurAction.objects.create(
            action=action,
            indicateur=indicateur,
            valeur_initiale=Decimal(0),
            valeur_cible=Decimal(20),
            derniere_valeur=Decimal(5),
        )
        FicheCapitalisation.objects.create(
            atelier=atelier,
            echelle="communale",
            reussites=f"Réussite validée {i}",
            pratiques_transferables="Carte sensible",
            statut="validee" if i % 2 == 0 else "soumise",
            validee_le=timezone.now() if i % 2 == 0 else None,
        )
    return session


def test_dgaln_compares_the_last_session_by_default(client, dgaln):
    _session_de(3)
    client.force_login(dgaln)
    page = client.get(reverse("capitalisation:comparaison"))
    assert page.status_code == 200
    colonnes = page.context["colonnes"]
    assert [c.atelier.territoire.nom for c in colonnes] == ["Lauréat 0", "Lauréat 1", "Lauréat 2"]
    first = colonnes[0]
    assert first.axes == 2 and first.actions == 4
    assert first.indicateurs[0].progression == 25
    html = page.content.decode()
    assert "Réussite validée 1" in html  # DGALN sees submitted fiches too, with their state
    assert "Soumise à la DGALN" in html


def test_comparison_query_count_does_not_grow(client, dgaln, django_assert_max_num_queries):
    session = _session_de(2)
    client.force_login(dgaln)
    url = reverse("capitalisation:comparaison")
    with django_assert_max_num_queries(30) as small:
        client.get(url, {"session": session.pk})
    _session_de(8, session=session, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url, {"session": session.pk})
    assert len(page.context["colonnes"]) == 10


def test_public_session_page_shows_only_published_data(client):
    session = _session_de(2)
    # An unpublished roadmap's actions and a submitted fiche stay private.
    FeuilleDeRoute.objects.filter(atelier__territoire__nom="Lauréat 1").update(publiee=False)
    page = client.get(f"/sessions/{session.slug}/").content.decode()
    assert "côte à côte" in page
    assert "Réussite validée 0" in page and "Réussite validée 1" not in page
    assert "Participants" not in page
