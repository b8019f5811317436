"""Demo data of the national capitalisation: created once, only what is missing."""

import pytest

from ateliers.models import Atelier, FicheCapitalisation
from demo.capitalisation import seed_capitalisation
from feuilles_de_route.models import Indicateur, IndicateurAction, MesureIndicateur
from tests.factories.public import feuille_publiee, laureat

pytestmark = pytest.mark.django_db


def test_catalogue_values_and_fiches_once():
    atelier = laureat(nom="Démo restituée", statut=Atelier.Statut.RESTITUE)
    Atelier.objects.filter(pk=atelier.pk).update(est_demo=True)
    feuille_publiee(atelier, axes=1, actions=2)
    first = seed_capitalisation()
    assert first["indicateurs"] == Indicateur.objects.count() > 0
    assert IndicateurAction.objects.count() == 2 and MesureIndicateur.objects.count() == 4
    assert FicheCapitalisation.objects.get(atelier=atelier).statut == "validee"
    assert seed_capitalisation() == {"indicateurs": 0, "suivis": 0, "mesures": 0, "fiches": 0}
