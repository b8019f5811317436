"""A URL whose view lets business errors escape, for tests/projet/test_erreurs.py."""

from django.urls import path

from acteurs.services import ParticipationError
from atelier.urls import urlpatterns as site
from atelier.workflow import TransitionError


def refus(request, nature: str):
    if nature == "etat":
        raise TransitionError("Action impossible : l'atelier est clos.")
    raise ParticipationError("Cette personne participe déjà à l'atelier.")


urlpatterns = [
    path("refus/<str:nature>/", refus),
    path("api/refus/<str:nature>/", refus),
    *site,
]
