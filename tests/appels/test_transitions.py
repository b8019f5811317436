"""Every transition of calls and candidatures, for every role and every state."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from appels import services
from appels.models import AppelACandidatures, Candidature
from atelier.workflow import TransitionError
from journal.models import EvenementAudit
from tests import factories
from tests.conftest import ROLES
from tests.factories import AppelFactory
from tests.factories.appels import appel_complet, candidature_en_etat

pytestmark = pytest.mark.django_db

S = Candidature.Statut
SA = AppelACandidatures.Statut
REFUSED = (PermissionDenied, TransitionError)


def _user(request, role):
    user = request.getfixturevalue(role)
    return user or AnonymousUser()


def _try(call) -> bool:
    try:
        call()
    except REFUSED:
        return False
    return True


# --- Candidature transitions ----------------------------------------------------------------

CANDIDATURE_ACTIONS = {
    # action: (allowed roles, allowed states)
    "deposer": ({"applicant"}, {S.BROUILLON}),
    "recevable": ({"dgaln"}, {S.DEPOSEE}),
    "irrecevable": ({"dgaln"}, {S.DEPOSEE}),
    "rapporteurs": ({"dgaln"}, {S.RECEVABLE, S.EN_INSTRUCTION}),
    "avis": ({"dgaln"}, {S.EN_INSTRUCTION}),  # dgaln is the assigned rapporteur here
    "retenue": ({"dgaln"}, {S.EN_INSTRUCTION}),
    "non_retenue": ({"dgaln"}, {S.EN_INSTRUCTION}),
    "retirer": ({"applicant"}, {S.DEPOSEE, S.RECEVABLE, S.EN_INSTRUCTION}),
}


def _run(action, candidature, user, dgaln):
    if action == "deposer":
        return lambda: services.candidature_deposer(candidature=candidature, by=user)
    if action in ("recevable", "irrecevable"):
        return lambda: services.candidature_statuer_recevabilite(
            candidature=candidature,
            by=user,
            recevable=action == "recevable",
            motif="Hors périmètre de l'appel.",
        )
    if action == "rapporteurs":
        return lambda: services.candidature_assigner_rapporteurs(
            candidature=candidature, by=user, rapporteurs=[dgaln]
        )
    if action == "avis":
        notes = {c.pk: 4 for c in candidature.appel.criteres.all()}
        return lambda: services.avis_donner(
            candidature=candidature, by=user, notes=notes, commentaire="Très pertinent."
        )
    if action == "retirer":
        return lambda: services.candidature_retirer(
            candidature=candidature, by=user, motif="Le conseil communautaire a changé d'avis."
        )
    return lambda: services.candidature_decider(
        candidature=candidature,
        by=user,
        retenue=action == "retenue",
        motivation="Projet exemplaire.",
        pilote=factories.agent_etat() if action == "retenue" else None,
        # The assigned reviewer gave no opinion: the decision says why it goes on without.
        sans_tous_les_avis="Le comité siège aujourd'hui.",
    )


@pytest.mark.parametrize("action", sorted(CANDIDATURE_ACTIONS))
@pytest.mark.parametrize("statut", list(S.values))
@pytest.mark.parametrize("role", ROLES)
def test_candidature_transition_matrix(request, role, statut, action, applicant, dgaln):
    user = _user(request, role)
    appel = appel_complet(statut=SA.CLOS if action in ("retenue", "non_retenue") else SA.PUBLIE)
    candidature = candidature_en_etat(statut, appel=appel, auteur=applicant)
    candidature.rapporteurs.add(dgaln)
    roles, states = CANDIDATURE_ACTIONS[action]
    expected = role in roles and statut in states
    before = EvenementAudit.objects.count()

    done = _try(_run(action, candidature, user, dgaln))

    assert done is expected, (role, statut, action)
    candidature.refresh_from_db()
    if not expected:
        assert candidature.statut == statut
        assert EvenementAudit.objects.count() == before
    else:
        assert EvenementAudit.objects.count() > before


def test_a_rapporteur_who_is_not_dgaln_gives_an_opinion_on_their_candidature_only(
    habitant, elu, dgaln
):
    appel = appel_complet()
    mine = candidature_en_etat(S.EN_INSTRUCTION, appel=appel)
    other = candidature_en_etat(S.EN_INSTRUCTION, appel=appel)
    mine.rapporteurs.add(habitant)
    notes = {c.pk: 3 for c in appel.criteres.all()}
    avis = services.avis_donner(candidature=mine, by=habitant, notes=notes, commentaire="Bien.")
    assert avis.notes.count() == 2
    with pytest.raises(PermissionDenied):
        services.avis_donner(candidature=other, by=habitant, notes=notes, commentaire="Bien.")
    # A rapporteur does not instruct: no admissibility, no decision.
    with pytest.raises(PermissionDenied):
        services.candidature_decider(
            candidature=mine, by=habitant, retenue=True, motivation="Je décide."
        )


def test_opinion_needs_a_mark_per_criterion_and_a_comment(dgaln):
    candidature = candidature_en_etat(S.EN_INSTRUCTION)
    candidature.rapporteurs.add(dgaln)
    criteres = list(candidature.appel.criteres.all())
    with pytest.raises(TransitionError, match="note de 1 à 5"):
        services.avis_donner(
            candidature=candidature, by=dgaln, notes={criteres[0].pk: 4}, commentaire="x"
        )
    with pytest.raises(TransitionError, match="note de 1 à 5"):
        services.avis_donner(
            candidature=candidature,
            by=dgaln,
            notes={c.pk: 6 for c in criteres},
            commentaire="x",
        )
    with pytest.raises(TransitionError, match="commentaire"):
        services.avis_donner(
            candidature=candidature, by=dgaln, notes={c.pk: 4 for c in criteres}, commentaire=" "
        )


def test_irrecevable_needs_a_reason_and_decision_a_motivation(dgaln):
    deposee = candidature_en_etat(S.DEPOSEE)
    with pytest.raises(TransitionError, match="motif"):
        services.candidature_statuer_recevabilite(
            candidature=deposee, by=dgaln, recevable=False, motif=""
        )
    appel = appel_complet(statut=SA.CLOS)
    instruite = candidature_en_etat(S.EN_INSTRUCTION, appel=appel)
    with pytest.raises(TransitionError, match="motivation"):
        services.candidature_decider(candidature=instruite, by=dgaln, retenue=True, motivation="")
    instruite.refresh_from_db()
    assert instruite.statut == S.EN_INSTRUCTION


def test_a_session_ami_is_decided_only_once_closed(dgaln):
    candidature = candidature_en_etat(S.EN_INSTRUCTION)  # call still published
    with pytest.raises(TransitionError, match="encore ouvert"):
        services.candidature_decider(
            candidature=candidature, by=dgaln, retenue=False, motivation="Trop tôt."
        )


def test_the_a_la_carte_call_is_decided_as_candidatures_come(dgaln):
    appel = appel_complet(nature=AppelACandidatures.Nature.A_LA_CARTE, session=None, cloture=None)
    candidature = candidature_en_etat(S.EN_INSTRUCTION, appel=appel, format_demande="flash")
    atelier = services.candidature_decider(
        candidature=candidature,
        by=dgaln,
        retenue=True,
        motivation="Bon projet Flash.",
        pilote=factories.agent_etat(),
    )
    assert atelier.format == "flash" and atelier.session is None


def test_two_concurrent_decisions_apply_once(dgaln):
    appel = appel_complet(statut=SA.CLOS)
    candidature = candidature_en_etat(S.EN_INSTRUCTION, appel=appel)
    stale = Candidature.objects.get(pk=candidature.pk)
    services.candidature_decider(
        candidature=candidature, by=dgaln, retenue=False, motivation="Non."
    )
    with pytest.raises(TransitionError):
        services.candidature_decider(candidature=stale, by=dgaln, retenue=True, motivation="Oui.")
    assert Candidature.objects.get(pk=candidature.pk).statut == S.NON_RETENUE


# --- Call transitions -----------------------------------------------------------------------

APPEL_ACTIONS = {
    "publier": (services.appel_publier, {SA.BROUILLON}),
    "clore": (services.appel_clore, {SA.PUBLIE}),
    "rouvrir": (services.appel_rouvrir, {SA.CLOS}),
    "decider": (services.appel_decider, {SA.CLOS}),
}


@pytest.mark.parametrize("action", sorted(APPEL_ACTIONS))
@pytest.mark.parametrize("statut", list(SA.values))
@pytest.mark.parametrize("role", ROLES)
def test_appel_transition_matrix(request, role, statut, action):
    user = _user(request, role)
    appel = appel_complet(statut=statut)
    service, states = APPEL_ACTIONS[action]
    expected = role == "dgaln" and statut in states

    done = _try(lambda: service(appel=appel, by=user))

    assert done is expected, (role, statut, action)
    appel.refresh_from_db()
    if not expected:
        assert appel.statut == statut


def test_publishing_needs_a_question_and_a_deadline_for_a_session_ami(dgaln):
    sans_question = AppelFactory(statut=SA.BROUILLON)
    with pytest.raises(TransitionError, match="question"):
        services.appel_publier(appel=sans_question, by=dgaln)


def test_a_call_is_decided_once_every_candidature_is(dgaln):
    appel = appel_complet(statut=SA.CLOS)
    candidature_en_etat(S.RECEVABLE, appel=appel)
    with pytest.raises(TransitionError, match=r"^1 candidature attend encore une décision"):
        services.appel_decider(appel=appel, by=dgaln)


def test_reopening_needs_a_deadline_in_the_future(dgaln):
    import datetime as dt

    from django.utils import timezone

    appel = appel_complet(
        statut=SA.CLOS,
        ouverture=timezone.now() - dt.timedelta(days=30),
        cloture=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(TransitionError, match="repoussez"):
        services.appel_rouvrir(appel=appel, by=dgaln)


def test_questions_freeze_once_published_but_criteria_until_first_opinion(dgaln):
    appel = appel_complet(statut=SA.PUBLIE)
    with pytest.raises(TransitionError):
        services.appel_ajouter_element(
            by=dgaln, appel=appel, kind="question", data={"libelle": "Nouvelle", "type": "texte"}
        )
    services.appel_ajouter_element(
        by=dgaln, appel=appel, kind="critere", data={"libelle": "Sobriété foncière"}
    )
    assert appel.criteres.count() == 3


def test_a_published_call_keeps_its_nature_but_its_deadline_can_be_extended(dgaln):
    import datetime as dt

    appel = appel_complet()
    later = appel.cloture + dt.timedelta(days=7)
    services.appel_enregistrer(
        by=dgaln,
        appel=appel,
        data={"titre": appel.titre, "session": appel.session, "cloture": later},
    )
    appel.refresh_from_db()
    assert appel.cloture == later
    with pytest.raises(TransitionError, match="nature"):
        services.appel_enregistrer(by=dgaln, appel=appel, data={"nature": "a_la_carte"})
