"""The territory's location: typed by the applicant (checked, French decimal comma), or the
prefecture of its département when the candidature is selected without one."""

import pytest
from django.urls import reverse

from appels import services
from appels.models import Candidature
from tests import factories
from tests.appels.test_candidater import _data, _ids
from tests.factories import UtilisateurFactory
from tests.factories.appels import appel_complet, candidature_en_etat

pytestmark = pytest.mark.django_db


def _save(client, appel, **overrides):
    client.force_login(UtilisateurFactory())
    url = reverse("appels:candidater", args=[appel.slug])
    return client.post(url, _ids(_data(appel, **overrides)) | {"action": "enregistrer"})


def test_a_typed_location_is_kept_with_a_decimal_comma(client):
    appel = appel_complet()
    response = _save(client, appel, latitude="48,40", longitude="-2,93")
    assert response.status_code in (200, 302)
    candidature = Candidature.objects.get()
    assert (candidature.latitude, candidature.longitude) == (48.40, -2.93)


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("48,40", "", "aucune des deux"),
        ("51,50", "-0,12", "hors de France"),
        ("abc", "2", "nombre"),
    ],
)
def test_a_bad_location_is_refused_and_nothing_is_saved(client, latitude, longitude, message):
    appel = appel_complet()
    response = _save(client, appel, latitude=latitude, longitude=longitude)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Candidature.objects.exists()


def test_selected_without_location_the_territory_sits_on_the_prefecture(dgaln):
    appel = appel_complet(statut="clos")
    candidature = candidature_en_etat(Candidature.Statut.EN_INSTRUCTION, appel=appel)
    atelier = services.candidature_decider(
        candidature=candidature,
        by=dgaln,
        retenue=True,
        motivation="Projet exemplaire.",
        pilote=factories.agent_etat(),
    )
    territoire = atelier.territoire
    departement = candidature.departement
    assert (territoire.latitude, territoire.longitude) == (
        departement.latitude,
        departement.longitude,
    )
