"""Follow-up: « Réalisée » means 100 %, and a percentage needs a state that fits."""

import pytest
from django.utils import timezone

from atelier.workflow import TransitionError
from feuilles_de_route import services
from feuilles_de_route.models import Action, PointSuivi, StatutSuivi

pytestmark = pytest.mark.django_db


def _add(action, pilote, etat, pourcentage):
    return services.point_suivi_add(
        action=action,
        by=pilote,
        etat=etat,
        date=timezone.localdate(),
        commentaire="Point",
        pourcentage=pourcentage,
    )


@pytest.mark.parametrize(
    ("statut", "pourcentage", "message"),
    [
        (StatutSuivi.REALISEE, 40, "100 %"),
        (StatutSuivi.A_VENIR, 30, "En cours"),
        (StatutSuivi.EN_COURS, 100, "Réalisée"),
    ],
)
def test_a_percentage_that_contradicts_the_state_is_refused(
    adoptee, pilote, statut, pourcentage, message
):
    action = Action.objects.filter(axe__feuille__version_adoptee=adoptee).first()
    with pytest.raises(TransitionError, match=message):
        _add(action, pilote, statut, pourcentage)
    assert not PointSuivi.objects.exists()


def test_realisee_is_recorded_at_100(adoptee, pilote):
    action = Action.objects.filter(axe__feuille__version_adoptee=adoptee).first()
    point = _add(action, pilote, StatutSuivi.REALISEE, None)
    action.refresh_from_db()
    assert point.pourcentage == 100 and action.avancement == 100
