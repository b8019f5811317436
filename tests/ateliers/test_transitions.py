"""Every transition of ateliers and stages, for every role and every state (the harness of
tests/transitions.py): the service and the actions the workspace offers agree."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from atelier.workflow import TransitionError, available_actions
from ateliers import services
from ateliers.formats import NatureEtape
from ateliers.models import Atelier, Etape
from tests import factories
from tests.conftest import ROLES
from tests.transitions import check_transition, user_for

pytestmark = pytest.mark.django_db

A = Atelier.Statut
E = Etape.Statut
GESTION = {"pilote", "dgaln"}

# Atelier: target state -> the states it may be reached from (the roles: GESTION).
ATELIER_ACTIONS = {
    A.EN_COURS: {A.EN_PREPARATION},
    A.RESTITUE: {A.EN_COURS},
    A.EN_MISE_EN_OEUVRE: {A.RESTITUE},
    A.CLOS: {A.RESTITUE, A.EN_MISE_EN_OEUVRE},
}


@pytest.mark.parametrize("to", list(ATELIER_ACTIONS))
@pytest.mark.parametrize("statut", list(A.values))
@pytest.mark.parametrize("role", ROLES)
def test_atelier_transition_matrix(request, atelier, role, statut, to):
    user = user_for(request, role)
    Atelier.objects.filter(pk=atelier.pk).update(statut=statut)
    atelier.refresh_from_db()
    # The restitution seminar is held: "restitué" depends on role and state only.
    factories.EtapeFactory(
        atelier=atelier, nature=NatureEtape.RESTITUTION, ordre=9, statut=E.REALISEE
    )
    check_transition(
        obj=atelier,
        user=user,
        run=lambda: services.atelier_changer_statut(atelier=atelier, by=user, to=to),
        to=to,
        expected=role in GESTION and statut in ATELIER_ACTIONS[to],
    )


ETAPE_ACTIONS = {
    E.REALISEE: {E.PREVUE},
    E.ANNULEE: {E.PREVUE},
    E.PREVUE: {E.ANNULEE},
}


def _run_etape(etape, user, to):
    if to == E.REALISEE:
        return lambda: services.etape_marquer_realisee(etape=etape, by=user, resume="Fait.")
    if to == E.ANNULEE:
        return lambda: services.etape_annuler(etape=etape, by=user, motif="Salle indisponible")
    return lambda: services.etape_replanifier(
        etape=etape, by=user, debut=timezone.now() + dt.timedelta(days=20), lieu="Mairie"
    )


@pytest.mark.parametrize("to", list(ETAPE_ACTIONS))
@pytest.mark.parametrize("statut", list(E.values))
@pytest.mark.parametrize("role", ROLES)
def test_etape_transition_matrix(request, atelier, role, statut, to):
    user = user_for(request, role)
    Atelier.objects.filter(pk=atelier.pk).update(statut=A.EN_COURS)
    atelier.refresh_from_db()
    # Held yesterday, no required deliverable: done-ness depends on role and state only.
    etape = factories.EtapeFactory(
        atelier=atelier,
        nature=NatureEtape.INTER_ATELIER,
        statut=statut,
        motif_annulation="Grève" if statut == E.ANNULEE else "",
        debut=timezone.now() - dt.timedelta(days=1),
    )
    check_transition(
        obj=etape,
        user=user,
        run=_run_etape(etape, user, to),
        to=to,
        expected=role in GESTION and statut in ETAPE_ACTIONS[to],
    )


def test_restitue_is_refused_with_the_same_reason_on_the_page_and_in_the_service(
    client, atelier, pilote
):
    Atelier.objects.filter(pk=atelier.pk).update(statut=A.EN_COURS)
    atelier.refresh_from_db()
    [action] = available_actions(atelier, pilote)
    assert (action.to, action.allowed) == (A.RESTITUE, False)
    assert "séminaire de restitution" in action.reason
    with pytest.raises(TransitionError) as refused:
        services.atelier_changer_statut(atelier=atelier, by=pilote, to=A.RESTITUE)
    assert refused.value.message == action.reason
    # The overview shows the button disabled, with the reason next to it.
    client.force_login(pilote)
    html = client.get(reverse("ateliers:atelier", args=[atelier.pk])).content.decode()
    assert 'disabled aria-describedby="raison-restitue"' in html
    assert html.count("n&#x27;est pas encore marqué comme réalisé") == 1
