import pytest

from tests import factories_fdr as f


@pytest.fixture
def etat(atelier):
    return f.etat_signataire(atelier)


@pytest.fixture
def feuille(atelier):
    return f.feuille_with_actions(atelier)


@pytest.fixture
def adoptee(feuille, pilote, elu, etat):
    return f.adopt(feuille, pilote, elu, etat)
