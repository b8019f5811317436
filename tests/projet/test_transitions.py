"""Every workflow table is consistent with its choices, and the one transition mechanism
refuses, audits and detects concurrent changes."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from appels.models import Candidature
from atelier.workflow import TransitionError, allowed, transition
from ateliers.models import Atelier
from journal.models import EvenementAudit
from tests import factories


def _workflow_models():
    models = [m for m in apps.get_models() if hasattr(m, "TRANSITIONS")]
    assert len(models) >= 6  # Invitation, Appel, Candidature, Atelier, Etape, Version, Rapport
    return models


WORKFLOW_MODELS = _workflow_models()


@pytest.mark.parametrize("model", WORKFLOW_MODELS, ids=lambda m: m._meta.label)
def test_transition_table_matches_the_choices(model):
    states = {value for value, _ in model._meta.get_field("statut").choices}
    table = model.TRANSITIONS
    assert set(table) == states, "every state must appear as a key (even a final one)"
    for source, targets in table.items():
        assert source in states
        assert isinstance(targets, set | frozenset)
        assert targets <= states, f"{source} → {targets - states} are not states"
    # The default state of a new row is part of the workflow, and something reaches every
    # other state.
    default = model._meta.get_field("statut").default
    assert default in states
    reachable = {default} | {t for targets in table.values() for t in targets}
    assert reachable == states


def test_atelier_lifecycle_is_the_programme_one():
    S = Atelier.Statut
    assert allowed(Atelier, S.EN_PREPARATION, S.EN_COURS)
    assert allowed(Atelier, S.EN_COURS, S.RESTITUE)
    assert allowed(Atelier, S.RESTITUE, S.EN_MISE_EN_OEUVRE)
    assert allowed(Atelier, S.EN_MISE_EN_OEUVRE, S.CLOS)
    assert not allowed(Atelier, S.EN_PREPARATION, S.CLOS)
    assert not allowed(Atelier, S.CLOS, S.EN_COURS)


def _audit_rows(obj):
    return EvenementAudit.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


@pytest.mark.django_db
def test_transition_refuses_a_disallowed_move(atelier, dgaln):
    with pytest.raises(TransitionError) as excinfo:
        transition(obj=atelier, to=Atelier.Statut.CLOS, by=dgaln, action="atelier_clore")
    assert "En préparation" in excinfo.value.message
    atelier.refresh_from_db()
    assert atelier.statut == Atelier.Statut.EN_PREPARATION
    assert not _audit_rows(atelier).exists()


@pytest.mark.django_db
def test_transition_applies_and_writes_one_audit_row(atelier, dgaln):
    transition(
        obj=atelier,
        to=Atelier.Statut.EN_COURS,
        by=dgaln,
        action="atelier_demarrer",
        summary="Séminaire de lancement tenu",
        updates={"date_debut": atelier.date_debut},
    )
    atelier.refresh_from_db()
    assert atelier.statut == Atelier.Statut.EN_COURS
    (row,) = _audit_rows(atelier)
    assert (row.etat_avant, row.etat_apres) == ("en_preparation", "en_cours")
    assert row.action == "atelier_demarrer"
    assert row.auteur == dgaln
    assert row.atelier_id == atelier.pk
    assert row.resume == "Séminaire de lancement tenu"


@pytest.mark.django_db
def test_transition_detects_a_change_under_its_feet(atelier, dgaln):
    stale = Atelier.objects.get(pk=atelier.pk)
    # Someone else moves the atelier first…
    transition(obj=atelier, to=Atelier.Statut.EN_COURS, by=dgaln, action="atelier_demarrer")
    # …so the stale copy, still "en préparation" in memory, must not apply its move.
    with pytest.raises(TransitionError) as excinfo:
        transition(obj=stale, to=Atelier.Statut.EN_COURS, by=dgaln, action="atelier_demarrer")
    assert "rechargez la page" in excinfo.value.message
    assert _audit_rows(atelier).count() == 1


@pytest.mark.django_db
def test_transition_on_a_candidature_records_the_system_as_author():
    candidature = factories.CandidatureFactory()
    transition(
        obj=candidature,
        to=Candidature.Statut.DEPOSEE,
        by=None,
        action="candidature_deposer",
        updates={"deposee_le": candidature.cree_le},
    )
    (row,) = _audit_rows(candidature)
    assert row.auteur is None and row.auteur_repr == "Système"
    candidature.refresh_from_db()
    assert candidature.statut == Candidature.Statut.DEPOSEE
