"""The fiche de capitalisation: the pilote writes it at restitution, DGALN reviews it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from atelier.workflow import TransitionError
from ateliers import fiches
from ateliers.models import Atelier, FicheCapitalisation
from journal.models import EvenementAudit

pytestmark = pytest.mark.django_db

LECONS = {
    "reussites": "Les ateliers en marchant sur le terrain.",
    "obstacles": "Le foncier morcelé.",
    "conditions_reussite": "Un élu référent présent à chaque séance.",
    "pratiques_transferables": "La carte sensible co-dessinée.",
    "themes": "revitalisation, mobilités",
    "echelle": "intercommunale",
}


@pytest.fixture
def restitue(atelier):
    Atelier.objects.filter(pk=atelier.pk).update(statut=Atelier.Statut.RESTITUE)
    atelier.refresh_from_db()
    return atelier


def test_fiche_only_at_restitution(atelier, pilote):
    with pytest.raises(TransitionError, match="restitution"):
        fiches.fiche_save(atelier=atelier, by=pilote, **LECONS)


def test_pilote_writes_submits_dgaln_sends_back_then_validates(client, restitue, pilote, dgaln):
    client.force_login(pilote)
    url = reverse("ateliers:fiche_capitalisation", kwargs={"pk": restitue.pk})
    r = client.post(url, {**LECONS, "obstacles": "", "soumettre": "1"})
    # Submitting without every lesson is refused, the draft is kept.
    assert r.status_code == 400 and "Obstacles rencontrés" in r.content.decode()
    fiche = FicheCapitalisation.objects.get(atelier=restitue)
    assert fiche.statut == "brouillon" and fiche.reussites == LECONS["reussites"]
    r = client.post(url, {**LECONS, "soumettre": "1"})
    assert r.status_code == 302
    fiche.refresh_from_db()
    assert fiche.statut == "soumise"
    # Once submitted, the pilote no longer edits it.
    with pytest.raises(TransitionError):
        fiches.fiche_save(atelier=restitue, by=pilote, **LECONS)

    client.force_login(dgaln)
    revue = reverse("capitalisation:fiche_revue", kwargs={"fiche_id": fiche.pk})
    r = client.post(revue, {"decision": "revoir", "motif": ""})
    assert r.status_code == 400
    r = client.post(revue, {"decision": "revoir", "motif": "Précisez les obstacles."})
    assert r.status_code == 302
    fiche.refresh_from_db()
    assert fiche.statut == "a_revoir"
    client.force_login(pilote)
    assert "Précisez les obstacles." in client.get(url).content.decode()
    client.post(url, {**LECONS, "soumettre": "1"})
    fiches.fiche_review(fiche=FicheCapitalisation.objects.get(pk=fiche.pk), by=dgaln, valider=True)
    fiche.refresh_from_db()
    assert fiche.statut == "validee" and fiche.validee_le is not None
    assert EvenementAudit.objects.filter(action="fiche_capitalisation_validee").count() == 1


def test_who_writes_and_who_reviews(restitue, pilote, equipe, habitant):
    for user in (equipe, habitant):
        with pytest.raises(PermissionDenied):
            fiches.fiche_save(atelier=restitue, by=user, **LECONS)
    fiche = fiches.fiche_save(atelier=restitue, by=pilote, **LECONS)
    fiches.fiche_submit(fiche=fiche, by=pilote)
    with pytest.raises(PermissionDenied):
        fiches.fiche_review(fiche=fiche, by=pilote, valider=True)


def test_participant_reads_but_cannot_post(client, restitue, pilote, habitant):
    fiches.fiche_save(atelier=restitue, by=pilote, **LECONS)
    client.force_login(habitant)
    url = reverse("ateliers:fiche_capitalisation", kwargs={"pk": restitue.pk})
    page = client.get(url).content.decode()
    assert "La carte sensible co-dessinée." in page and "<textarea" not in page
    assert client.post(url, LECONS).status_code == 403
