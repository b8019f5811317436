import pytest

from tests.factories import feuilles_de_route as f


@pytest.fixture
def etat(atelier):
    return f.etat_signataire(atelier)


@pytest.fixture
def feuille(atelier):
    return f.feuille_with_actions(atelier)


@pytest.fixture
def adoptee(feuille, pilote, elu, etat):
    return f.adopt(feuille, pilote, elu, etat)
