"""A state change that would be refused is shown disabled, with the reason the service gives."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from atelier.workflow import TransitionError
from ateliers.models import Atelier, Etape
from feuilles_de_route import services
from feuilles_de_route.models import CarnetDeSuivi, Rapport
from tests import factories
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def _disabled(html: str, libelle: str) -> str:
    """The reason shown beside the disabled button ``libelle`` (fails if it is not there)."""
    match = re.search(
        r'<button[^>]*disabled aria-describedby="([^"]+)">' + re.escape(libelle) + "</button>",
        html,
    )
    assert match, f"« {libelle} » is not shown disabled"
    reason = re.search(r'id="' + match.group(1) + r'"[^>]*>([^<]*)<', html)
    assert reason, "no reason beside the disabled button"
    return reason.group(1)


def _page(client, user, atelier):
    client.force_login(user)
    response = client.get(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_send_for_signature_disabled_while_the_same_version_is_being_signed(
    client, atelier, feuille, pilote, elu, etat
):
    assert "envoyer-signature" not in _page(client, pilote, atelier)
    f.send(feuille, pilote, elu, etat)
    html = _page(client, pilote, atelier)
    reason = _disabled(html, "Envoyer pour signature")
    assert "est déjà « En signature »" in reason.replace("&#x27;", "'")
    assert reverse("feuilles_de_route:envoyer_signature", kwargs={"pk": atelier.pk}) not in html
    # The service refuses it with the same words.
    with pytest.raises(TransitionError, match="déjà « En signature »"):
        f.send(feuille, pilote, elu, etat)


def test_send_for_signature_disabled_without_action_or_signatory(client, atelier):
    # A pilote not (yet) vetted as a State agent: no one may sign for the State.
    pilote = factories.participant(atelier, Role.PILOTE, agent=False)
    services.feuille_get_or_create(atelier=atelier)
    assert "aucune action" in _disabled(_page(client, pilote, atelier), "Envoyer pour signature")
    f.feuille_with_actions(atelier)
    reason = _disabled(_page(client, pilote, atelier), "Envoyer pour signature")
    assert "Aucun·e élu·e" in reason
    factories.participant(atelier, Role.ELU, email="maire@commune.fr")
    reason = _disabled(_page(client, pilote, atelier), "Envoyer pour signature")
    assert "agent de l" in reason.replace("&#x27;", "'")
    # The form page says it too and its button is disabled.
    r = client.get(reverse("feuilles_de_route:envoyer_signature", kwargs={"pk": atelier.pk}))
    assert _disabled(r.content.decode(), "Figer et envoyer pour signature").startswith("Aucun")


def test_publishing_before_adoption_is_disabled_with_its_reason(client, atelier, feuille, pilote):
    reason = _disabled(_page(client, pilote, atelier), "Publier la feuille de route")
    assert "adoptée" in reason
    with pytest.raises(TransitionError, match="adoptée"):
        services.feuille_publish(feuille=feuille, by=pilote)


def test_report_disabled_before_adoption_and_while_rendering(
    client, atelier, feuille, pilote, elu, etat
):
    reason = _disabled(_page(client, pilote, atelier), "Générer le rapport de restitution")
    assert "faites-la d" in reason
    version = f.adopt(feuille, pilote, elu, etat)
    Rapport.objects.create(
        atelier=atelier,
        version=version,
        demande_par=pilote,
        statut=Rapport.Statut.EN_COURS,
        echeance=timezone.now() + dt.timedelta(minutes=5),
    )
    reason = _disabled(_page(client, pilote, atelier), "Relancer la génération")
    assert "en cours de génération" in reason


def test_carnet_disabled_while_an_edition_is_rendering(client, atelier, feuille, pilote):
    CarnetDeSuivi.objects.create(atelier=atelier, numero=1, demande_par=pilote)
    reason = _disabled(_page(client, pilote, atelier), "Régénérer le carnet de suivi")
    assert "L'édition 1 est en cours" in reason.replace("&#x27;", "'")


def test_observers_see_no_disabled_buttons(client, atelier, feuille, elu):
    assert "disabled" not in _page(client, elu, atelier)


def test_stage_marked_done_disabled_before_it_is_held(client, atelier, pilote):
    Atelier.objects.filter(pk=atelier.pk).update(statut=Atelier.Statut.EN_COURS)
    etape = factories.EtapeFactory(atelier=atelier)
    client.force_login(pilote)
    url = reverse("ateliers:etape", kwargs={"pk": atelier.pk, "etape_id": etape.pk})
    html = client.get(url).content.decode()
    assert "ne peut pas encore être réalisée" in _disabled(html, "Marquer l'étape réalisée")
    assert 'id="form-realiser"' not in html
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() - dt.timedelta(days=1))
    html = client.get(url).content.decode()
    assert 'id="form-realiser"' in html


def test_publishing_an_atelier_in_preparation_is_disabled(client, atelier, pilote):
    client.force_login(pilote)
    html = client.get(reverse("ateliers:atelier", kwargs={"pk": atelier.pk})).content.decode()
    assert "démarrez-le d" in _disabled(html, "Publier sur le site public")


def test_concertation_disabled_on_a_version_in_signature(
    client, atelier, feuille, pilote, elu, etat
):
    f.send(feuille, pilote, elu, etat)
    client.force_login(pilote)
    url = reverse("feuilles_de_route:version", kwargs={"pk": atelier.pk, "numero": 1})
    html = client.get(url).content.decode()
    assert "pas encore en signature" in _disabled(html, "Ouvrir une concertation sur cette version")


def test_freezing_an_unchanged_draft_is_disabled_with_its_reason(client, atelier, feuille, pilote):
    figer = reverse("feuilles_de_route:version_figer", kwargs={"pk": atelier.pk})
    assert figer in _page(client, pilote, atelier)
    services.version_create(feuille=feuille, by=pilote)
    html = _page(client, pilote, atelier)
    reason = _disabled(html, "Figer une version")
    assert "n'a pas changé depuis la version 1" in reason.replace("&#x27;", "'")
    assert figer not in html
    # Posting anyway freezes nothing and says why.
    response = client.post(figer, follow=True)
    assert feuille.versions.count() == 1
    assert "n'a pas changé depuis la version 1" in response.content.decode().replace("&#x27;", "'")
    # A changed draft can be frozen again.
    feuille.axes.first().actions.first().delete()
    assert figer in _page(client, pilote, atelier)
