"""The workspace pages and the back-office lists make as many queries with many rows as with
few: no query per participant, stage, document, action or candidature (bench/espace.py
measures their time on a large atelier)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from appels.models import Candidature
from ateliers.models import Etape
from tests import factories
from tests.factories.ateliers import document

pytestmark = pytest.mark.django_db


def _grow(atelier, pilote, feuille, appel, n: int) -> None:
    start = Etape.objects.filter(atelier=atelier).count()
    for i in range(n):
        factories.participant(atelier, (Role.HABITANT, Role.ELU, Role.EQUIPE)[i % 3])
        etape = factories.EtapeFactory(atelier=atelier, ordre=start + i + 1)
        document(atelier, by=pilote, titre=f"Document {start + i}", etape=etape)
        axe = factories.AxeFactory(feuille=feuille, ordre=start + i + 1)
        factories.ActionFactory(axe=axe, ordre=1)
        factories.ActionFactory(axe=axe, ordre=2)
        factories.CandidatureFactory(
            appel=appel, statut=Candidature.Statut.DEPOSEE, deposee_le=timezone.now()
        )


def _queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches (content types, site, sessions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_query_count_does_not_grow_with_the_rows(client, atelier, pilote, dgaln):
    factories.with_totp(dgaln)
    feuille = factories.FeuilleDeRouteFactory(atelier=atelier)
    appel = factories.AppelFactory()
    pk = {"pk": atelier.pk}
    pages = {
        "atelier": (pilote, reverse("ateliers:atelier", kwargs=pk)),
        "etapes": (pilote, reverse("ateliers:etapes", kwargs=pk)),
        "documents": (pilote, reverse("ateliers:documents", kwargs=pk)),
        "participants": (
            pilote,
            reverse("ateliers:participants", kwargs={"atelier_id": atelier.pk}),
        ),
        "feuille": (pilote, reverse("feuilles_de_route:feuille", kwargs=pk)),
        "suivi": (pilote, reverse("feuilles_de_route:suivi", kwargs=pk)),
        "gestion_ateliers": (dgaln, reverse("ateliers:gestion_ateliers")),
        "gestion_candidatures": (dgaln, reverse("appels:gestion_candidatures")),
    }

    def counts() -> dict[str, int]:
        result = {}
        for name, (user, url) in pages.items():
            client.force_login(user)
            result[name] = _queries(client, url)
        return result

    _grow(atelier, pilote, feuille, appel, 2)
    few = counts()
    assert all(few.values())
    _grow(atelier, pilote, feuille, appel, 8)
    many = counts()
    assert many == few
