"""The back-office list of ateliers counts each one's stages (done / not cancelled) and its
participants (``ateliers.selectors.ateliers_gestion``, ``atelier.requetes.compte``), as the
models say, filtered, sorted and exported."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from ateliers import selectors
from ateliers.models import Etape
from tests import factories

pytestmark = pytest.mark.django_db
E = Etape.Statut


@pytest.fixture
def trois_ateliers(db):
    """Ateliers with (stages by state, participants): (2 done, 1 planned, 2 cancelled; 3),
    (1 planned; 1) and none of either."""
    faits = {}
    for titre, statuts, n in (
        ("Atelier Arve", [E.REALISEE, E.REALISEE, E.PREVUE, E.ANNULEE, E.ANNULEE], 3),
        ("Atelier Blavet", [E.PREVUE], 1),
        ("Atelier Cher", [], 0),
    ):
        atelier = factories.AtelierFactory(titre=titre)
        Etape.objects.bulk_create(
            Etape(
                atelier=atelier,
                nature="atelier_1",
                ordre=i + 1,
                titre=f"Étape {i + 1}",
                debut=timezone.now(),
                statut=statut,
                motif_annulation="Reportée" if statut == E.ANNULEE else "",
            )
            for i, statut in enumerate(statuts)
        )
        for i in range(n):
            factories.participant(atelier, Role.HABITANT, email=f"{titre[-4:]}{i}@exemple.fr")
        faits[titre] = atelier
    return faits


def test_each_atelier_counts_its_own_stages_and_participants(trois_ateliers):
    attendus = {
        "Atelier Arve": (2, 3, 3),
        "Atelier Blavet": (0, 1, 1),
        "Atelier Cher": (0, 0, 0),
    }
    base = selectors.ateliers_gestion()
    for qs in (
        base,
        base.order_by("-nb_participants", "nb_etapes"),
        base.filter(territoire__region__isnull=False),  # a join beside the subqueries
        base.filter(nb_etapes__gt=0),
    ):
        lus = {a.titre: (a.nb_realisees, a.nb_etapes, a.nb_participants) for a in qs}
        assert lus == {t: attendus[t] for t in lus} and lus
        assert qs.count() == len(lus)
    assert [a.titre for a in base.filter(nb_etapes__gt=0).order_by("nb_etapes")] == [
        "Atelier Blavet",
        "Atelier Arve",
    ]


def test_the_list_and_its_export_show_the_counts(client, dgaln, trois_ateliers):
    client.force_login(dgaln)
    url = reverse("ateliers:gestion_ateliers")
    html = client.get(url, {"tri": "-participants"}).content.decode()
    assert ">2 / 3</td>" in html and ">0 / 1</td>" in html and ">0 / 0</td>" in html
    positions = [
        html.index(f">{t}</a>") for t in ("Atelier Arve", "Atelier Blavet", "Atelier Cher")
    ]
    assert positions == sorted(positions)
    export = client.get(reverse("ateliers:gestion_ateliers_csv")).content.decode("utf-8-sig")
    lignes = {r["titre"]: r for r in csv.DictReader(io.StringIO(export), delimiter=";")}
    arve = lignes["Atelier Arve"]
    assert (arve["étapes réalisées"], arve["étapes prévues"], arve["participants"]) == (
        "2",
        "3",
        "3",
    )
    assert lignes["Atelier Cher"]["participants"] == "0"
