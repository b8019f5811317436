"""The logbook (cahier de suivi): observateurs read it without writing (README, roles)."""

import pytest
from django.urls import reverse

from acteurs.models import Role
from ateliers.models import EntreeJournal
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "ecrit"),
    [
        (Role.OBSERVATEUR, False),
        (Role.HABITANT, False),
        (Role.SOCIO_PROFESSIONNEL, False),
        (Role.TECHNICIEN, True),
        (Role.ELU, True),
    ],
)
def test_who_writes_in_the_logbook(client, atelier, role, ecrit):
    user = factories.participant(atelier, role, email=f"{role}@exemple.fr")
    client.force_login(user)
    url = reverse("ateliers:journal", args=[atelier.pk])
    page = client.get(url)
    assert page.status_code == 200  # everyone reads it
    assert ('name="texte"' in page.content.decode()) is ecrit
    response = client.post(url, {"date": "2026-03-02", "texte": "Note de terrain."})
    assert response.status_code == (302 if ecrit else 403)
    assert EntreeJournal.objects.filter(texte="Note de terrain.").exists() is ecrit
