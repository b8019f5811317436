"""Every transition a person may ask for on roadmap versions and restitution reports, for
every role and every state (the harness of tests/transitions.py)."""

import pytest
from django.utils import timezone

from atelier.workflow import available_actions
from feuilles_de_route import services
from feuilles_de_route.models import Rapport, Version
from tests.conftest import ROLES
from tests.factories.feuilles_de_route import etat_signataire, feuille_with_actions, send
from tests.transitions import check_transition, user_for

pytestmark = pytest.mark.django_db

V = Version.Statut
R = Rapport.Statut
GESTION = {"pilote", "dgaln"}


@pytest.mark.parametrize("statut", [V.FIGEE, V.EN_SIGNATURE, V.ADOPTEE])
@pytest.mark.parametrize("role", ROLES)
def test_version_send_for_signature_matrix(request, atelier, pilote, elu, role, statut):
    """The last version, its draft unchanged, is sent for signature only while figée."""
    user = user_for(request, role)
    etat = etat_signataire(atelier)
    feuille = feuille_with_actions(atelier)
    version = services.version_create(feuille=feuille, by=pilote)
    Version.objects.filter(pk=version.pk).update(
        statut=statut, adoptee_le=timezone.now() if statut == V.ADOPTEE else None
    )
    version.refresh_from_db()
    check_transition(
        obj=version,
        user=user,
        run=lambda: send(feuille, user, elu, etat),
        to=V.EN_SIGNATURE,
        expected=role in GESTION and statut == V.FIGEE,
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_replaced_version_offers_nothing(request, atelier, pilote, role):
    version = services.version_create(feuille=feuille_with_actions(atelier), by=pilote)
    Version.objects.filter(pk=version.pk).update(statut=V.REMPLACEE)
    version.refresh_from_db()
    assert available_actions(version, user_for(request, role)) == []


@pytest.mark.parametrize("statut", list(R.values))
@pytest.mark.parametrize("role", ROLES)
def test_rapport_retry_matrix(request, atelier, role, statut):
    """Only a failed report is put back in the queue, by the pilote or the DGALN; the
    other moves are the rendering task's."""
    user = user_for(request, role)
    rapport = Rapport.objects.create(
        atelier=atelier, statut=statut, empreinte="a" * 64 if statut == R.PRET else ""
    )
    check_transition(
        obj=rapport,
        user=user,
        run=lambda: services.rapport_retry(rapport=rapport, by=user),
        to=R.EN_ATTENTE,
        expected=role in GESTION and statut == R.ECHEC,
    )
