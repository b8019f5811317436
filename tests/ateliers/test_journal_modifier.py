"""The logbook: an entry edited by its author keeps its earlier text, visible as history; an
entry removed with a reason shows « retirée le … : <raison> », its content hidden; audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from atelier.workflow import TransitionError
from ateliers import services as s
from ateliers.models import EntreeJournal
from journal.models import Action, EvenementAudit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def entree(atelier, equipe):
    return s.journal_ecrire(
        atelier=atelier, by=equipe, texte="Visite du **marché** couvert", date=timezone.localdate()
    )


def _journal(client, user, atelier):
    client.force_login(user)
    return client.get(reverse("ateliers:journal", kwargs={"pk": atelier.pk})).content.decode()


def test_author_edits_and_earlier_text_stays_visible(client, atelier, equipe, entree):
    client.force_login(equipe)
    url = reverse("ateliers:journal_modifier", kwargs={"pk": atelier.pk, "entree_id": entree.pk})
    page = client.get(url)
    assert page.status_code == 200 and "Visite du **marché** couvert" in page.content.decode()
    r = client.post(
        url, {"date": timezone.localdate().isoformat(), "texte": "Visite de la halle couverte"}
    )
    assert r.status_code == 302
    entree.refresh_from_db()
    assert entree.texte == "Visite de la halle couverte" and entree.modifiee_le is not None
    html = _journal(client, equipe, atelier)
    assert "Visite de la halle couverte" in html
    assert "Versions précédentes (1)" in html and "<strong>marché</strong>" in html
    assert EvenementAudit.objects.filter(action=Action.JOURNAL_ENTREE_MODIFIEE).count() == 1


def test_only_the_author_edits(client, atelier, pilote, entree):
    with pytest.raises(PermissionDenied):
        s.journal_entree_modifier(
            entree=entree, by=pilote, texte="Réécrit", date=timezone.localdate()
        )
    client.force_login(pilote)
    url = reverse("ateliers:journal_modifier", kwargs={"pk": atelier.pk, "entree_id": entree.pk})
    assert (
        client.post(url, {"date": timezone.localdate().isoformat(), "texte": "x"}).status_code
        == 403
    )
    assert "journal_modifier" not in _journal(client, pilote, atelier)
    assert f"/journal/{entree.pk}/modifier/" not in _journal(client, pilote, atelier)
    entree.refresh_from_db()
    assert entree.texte == "Visite du **marché** couvert"


def test_bad_edit_explained_and_text_kept(client, atelier, equipe, entree):
    client.force_login(equipe)
    url = reverse("ateliers:journal_modifier", kwargs={"pk": atelier.pk, "entree_id": entree.pk})
    futur = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    r = client.post(url, {"date": futur, "texte": "Nouveau texte"})
    assert r.status_code == 400 and "datée du futur" in r.content.decode()
    assert "Nouveau texte" in r.content.decode()  # what was typed is not lost
    entree.refresh_from_db()
    assert entree.texte == "Visite du **marché** couvert" and not entree.revisions.exists()


def test_author_removes_with_a_reason_content_hidden(client, atelier, equipe, entree):
    client.force_login(equipe)
    url = reverse("ateliers:journal_retirer", kwargs={"pk": atelier.pk, "entree_id": entree.pk})
    assert client.post(url, {"motif": ""}).status_code == 400
    r = client.post(url, {"motif": "Doublon de l'entrée précédente"})
    assert r.status_code == 302
    html = _journal(client, equipe, atelier)
    assert "Retirée le" in html and "Doublon de l&#x27;entrée précédente" in html
    assert "marché" not in html
    assert EvenementAudit.objects.filter(action=Action.JOURNAL_ENTREE_RETIREE).count() == 1
    # Removed once: not again, not edited.
    with pytest.raises(TransitionError):
        s.journal_entree_retirer(entree=entree, by=equipe, motif="Encore")
    assert client.get(url).status_code == 404


def test_pilote_moderates_but_another_writer_does_not(client, atelier, pilote, elu, entree):
    with pytest.raises(PermissionDenied):
        s.journal_entree_retirer(entree=entree, by=elu, motif="Je n'aime pas")
    s.journal_entree_retirer(entree=entree, by=pilote, motif="Propos hors sujet")
    entree.refresh_from_db()
    assert entree.retiree_par == pilote and entree.motif_retrait == "Propos hors sujet"


def test_a_removed_entry_is_not_in_the_carnet(atelier, pilote, entree):
    from feuilles_de_route.models import CarnetDeSuivi
    from feuilles_de_route.rendering import carnet_context

    s.journal_entree_retirer(entree=entree, by=pilote, motif="Hors sujet")
    carnet = CarnetDeSuivi(atelier=atelier, numero=1)
    assert entree.pk not in [e.pk for e in carnet_context(carnet)["journal"]]


def test_motif_required(atelier, equipe, entree):
    with pytest.raises(ValidationError):
        s.journal_entree_retirer(entree=entree, by=equipe, motif="  ")
    assert EntreeJournal.objects.get(pk=entree.pk).retiree_le is None


def test_observateur_cannot_edit_an_entry_written_before_losing_the_right(atelier):
    user = factories.participant(atelier, Role.OBSERVATEUR)
    e = EntreeJournal.objects.create(
        atelier=atelier, auteur=user, date=timezone.localdate(), texte="t"
    )
    with pytest.raises(PermissionDenied):
        s.journal_entree_modifier(entree=e, by=user, texte="u", date=timezone.localdate())


def test_history_costs_one_query_whatever_the_number_of_edited_entries(client, atelier, equipe):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        client.force_login(equipe)
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("ateliers:journal", kwargs={"pk": atelier.pk}))
        return len(ctx.captured_queries)

    def write_and_edit(n):
        for i in range(n):
            e = s.journal_ecrire(
                atelier=atelier, by=equipe, texte=f"Note {i}", date=timezone.localdate()
            )
            s.journal_entree_modifier(entree=e, by=equipe, texte=f"Note {i} revue", date=e.date)

    write_and_edit(1)
    une = count()
    write_and_edit(9)
    assert count() == une
