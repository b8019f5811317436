"""Publishing an atelier puts its territory on the public site; only pilote and DGALN may."""

import pytest
from django.core.exceptions import PermissionDenied

from atelier.workflow import TransitionError
from ateliers.models import Atelier
from ateliers.services import atelier_publier
from journal.models import EvenementAudit

pytestmark = pytest.mark.django_db


def _en_cours(atelier):
    Atelier.objects.filter(pk=atelier.pk).update(statut=Atelier.Statut.EN_COURS)
    atelier.refresh_from_db()
    return atelier


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("habitant", False),
        ("elu", False),
        ("equipe", False),
        ("autre_pilote", False),
        ("applicant", False),
        ("pilote", True),
        ("dgaln", True),
    ],
)
def test_only_pilote_and_dgaln_publish(request, atelier, role, allowed):
    user = request.getfixturevalue(role)
    _en_cours(atelier)
    if not allowed:
        with pytest.raises(PermissionDenied):
            atelier_publier(atelier=atelier, by=user, publie=True)
        atelier.refresh_from_db()
        assert atelier.publie is False
        return
    atelier_publier(atelier=atelier, by=user, publie=True)
    atelier.refresh_from_db()
    assert atelier.publie is True and atelier.publie_le is not None
    assert EvenementAudit.objects.filter(action="atelier_publie", atelier=atelier).count() == 1


def test_an_atelier_in_preparation_cannot_be_published(atelier, pilote):
    with pytest.raises(TransitionError, match="en préparation"):
        atelier_publier(atelier=atelier, by=pilote, publie=True)
    atelier.refresh_from_db()
    assert atelier.publie is False


def test_published_territory_appears_at_once_then_disappears(client, atelier, pilote):
    _en_cours(atelier)
    url = atelier.territoire.get_absolute_url()
    assert client.get(url).status_code == 404
    client.get("/laureats/")  # fill the cache while it is absent
    atelier_publier(atelier=atelier, by=pilote, publie=True)
    assert client.get(url).status_code == 200
    assert atelier.territoire.nom in client.get("/laureats/").content.decode()
    atelier_publier(atelier=atelier, by=pilote, publie=False)
    assert client.get(url).status_code == 404
    assert EvenementAudit.objects.filter(action="atelier_depublie").count() == 1


def test_publishing_twice_changes_nothing(atelier, pilote):
    _en_cours(atelier)
    atelier_publier(atelier=atelier, by=pilote, publie=True)
    first = Atelier.objects.get(pk=atelier.pk).publie_le
    atelier_publier(atelier=atelier, by=pilote, publie=True)
    assert Atelier.objects.get(pk=atelier.pk).publie_le == first
    assert EvenementAudit.objects.filter(action="atelier_publie").count() == 1


def test_pilote_publishes_from_the_atelier_page(client, atelier, pilote):
    _en_cours(atelier)
    client.force_login(pilote)
    page = client.get(atelier.get_absolute_url()).content.decode()
    assert "Publier sur le site public" in page
    response = client.post(f"/espace/ateliers/{atelier.pk}/publication/", {"publier": "1"})
    assert response.status_code == 302
    atelier.refresh_from_db()
    assert atelier.publie is True
    page = client.get(atelier.get_absolute_url()).content.decode()
    assert "Retirer du site public" in page and atelier.territoire.get_absolute_url() in page


def test_the_publish_button_is_not_shown_to_participants(client, atelier, elu):
    _en_cours(atelier)
    client.force_login(elu)
    assert (
        "Publier sur le site public" not in client.get(atelier.get_absolute_url()).content.decode()
    )
    response = client.post(f"/espace/ateliers/{atelier.pk}/publication/", {"publier": "1"})
    assert response.status_code == 403
    atelier.refresh_from_db()
    assert atelier.publie is False
