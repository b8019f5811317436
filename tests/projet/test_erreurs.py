"""One business error class: whatever a service refuses reaches the user as a 4xx with its
French message, never a 500."""

import pytest

from acteurs.invitations import InvitationLinkError
from acteurs.services import ParticipationError
from atelier.errors import BusinessError
from atelier.workflow import TransitionError


@pytest.mark.parametrize("erreur", [TransitionError, ParticipationError, InvitationLinkError])
def test_every_refusal_is_a_business_error(erreur):
    assert issubclass(erreur, BusinessError)


@pytest.mark.urls("tests.projet.urls_refus")
@pytest.mark.parametrize(
    ("nature", "status", "message"),
    [
        ("etat", 409, "Action impossible : l&#x27;atelier est clos."),
        ("participation", 400, "Cette personne participe déjà à l&#x27;atelier."),
    ],
)
def test_an_uncaught_business_error_is_a_4xx_page_with_its_message(
    client, db, nature, status, message
):
    response = client.get(f"/refus/{nature}/")
    assert response.status_code == status
    assert message in response.content.decode()
    assert "Action impossible" in response.content.decode()


@pytest.mark.urls("tests.projet.urls_refus")
def test_the_api_answers_a_business_error_in_json(client, db):
    response = client.get("/api/refus/etat/")
    assert response.status_code == 409
    assert response.json() == {"erreur": "Action impossible : l'atelier est clos."}
