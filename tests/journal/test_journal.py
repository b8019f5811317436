"""Audit trail: written by services, append-only (model and PostgreSQL), DGALN log, history."""

import datetime as dt
import html as html_lib
import re

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from atelier.workflow import TransitionError, transition
from ateliers.models import Atelier
from journal import selectors
from journal.models import Action, EvenementAudit
from journal.services import audit
from tests import factories

pytestmark = pytest.mark.django_db


def test_transition_writes_one_audit_row(atelier, pilote):
    transition(obj=atelier, to=Atelier.Statut.EN_COURS, by=pilote, action="atelier_lance")
    event = EvenementAudit.objects.get()
    assert (event.etat_avant, event.etat_apres) == ("en_preparation", "en_cours")
    assert event.auteur == pilote and event.atelier_id == atelier.pk
    with pytest.raises(TransitionError):
        transition(obj=atelier, to=Atelier.Statut.CLOS, by=pilote, action="x")
    assert EvenementAudit.objects.count() == 1


def test_audit_rows_cannot_be_changed_through_the_orm(atelier):
    event = audit(by=None, obj=atelier, action="test")
    event.resume = "réécrit"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        EvenementAudit.objects.filter(pk=event.pk).update(resume="x")
    with pytest.raises(PermissionError):
        EvenementAudit.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigger PostgreSQL uniquement")
def test_postgresql_trigger_refuses_update_and_delete(atelier):
    event = audit(by=None, obj=atelier, action="test")
    table = EvenementAudit._meta.db_table
    for sql in (
        f"UPDATE {table} SET resume = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert EvenementAudit.objects.filter(pk=event.pk, resume="").exists()


def test_journal_filters_and_paginates(
    client, dgaln, atelier, pilote, django_assert_max_num_queries
):
    for i in range(60):
        audit(by=pilote, obj=atelier, action="etape_modifiee", summary=f"n°{i}")
    autre = factories.AtelierFactory(titre="Atelier de Lodève")
    audit(by=dgaln, obj=autre, action="atelier_publie", summary="publication")
    client.force_login(dgaln)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("journal:journal"))
    html = response.content.decode()
    assert "61 événements" in html and _lien_suivant(html) == "?page=2"
    assert 'aria-current="page"' in html and "Journal d" in html  # side menu active
    response = client.get(reverse("journal:journal"), {"action": "atelier_publie"})
    assert "1 événement" in response.content.decode()
    response = client.get(reverse("journal:journal"), {"atelier": autre.pk})
    assert "1 événement" in response.content.decode()
    response = client.get(reverse("journal:journal"), {"auteur": pilote.pk, "page": 2})
    assert "60 événements" in response.content.decode()
    today = timezone.localdate()
    response = client.get(
        reverse("journal:journal"), {"du": (today + dt.timedelta(days=1)).isoformat()}
    )
    assert "0 événement" in response.content.decode()
    response = client.get(reverse("journal:journal"), {"du": "pas-une-date"})
    assert response.status_code == 200


def _lien_suivant(html: str) -> str:
    """The query string of the pagination's "Page suivante" link, as the browser reads it."""
    lien = re.search(r'fr-pagination__link--next[^"]*"\s+href="(\?[^"]*)"', html)
    assert lien, "no link to the next page"
    return html_lib.unescape(lien.group(1))


def test_journal_page_links_keep_the_filters(client, dgaln, atelier, pilote):
    for i in range(55):
        audit(by=pilote, obj=atelier, action="etape_modifiee", summary=f"n°{i}")
    audit(by=pilote, obj=factories.AtelierFactory(), action="etape_modifiee")  # filtered out
    client.force_login(dgaln)
    url = reverse("journal:journal")
    html = client.get(url, {"atelier": atelier.pk, "action": "etape_modifiee"}).content.decode()
    assert "55 événements" in html
    suivant = _lien_suivant(html)
    assert suivant == f"?atelier={atelier.pk}&action=etape_modifiee&page=2"
    assert "?&" not in html and "?&amp;" not in html
    page2 = client.get(url + suivant).content.decode()
    assert "55 événements" in page2  # still filtered on page 2
    assert re.search(r'aria-current="page"\s+title="Page 2"', page2)


@pytest.mark.parametrize("role", ["applicant", "habitant", "pilote"])
def test_journal_is_dgaln_only(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("journal:journal")).status_code == 403


def test_historique_partial(atelier, pilote):
    audit(
        by=pilote,
        obj=atelier,
        action="atelier_lance",
        from_state="en_preparation",
        to_state="en_cours",
        summary="Lancement",
    )
    html = render_to_string(
        "journal/includes/historique.html",
        {"evenements": selectors.historique_atelier(atelier)},
    )
    assert "Lancement" in html
    # State codes are shown with the French labels of the audited model's status.
    assert (
        "(de « En préparation » à « En cours »)" in html_lib.unescape(html)
        and "en_preparation" not in html
    )


def test_journal_names_actions_and_states_in_french(client, atelier, pilote, dgaln):
    audit(
        by=pilote,
        obj=atelier,
        action="rapport_demande",
        from_state="en_preparation",
        to_state="en_cours",
    )
    client.force_login(dgaln)
    html = client.get(reverse("journal:journal")).content.decode()
    assert (
        "Rapport de restitution demandé" in html
        and "rapport_demande" not in html.split("<tbody>")[1].split("</tbody>")[0]
    )
    assert "de « En préparation » à « En cours »" in html_lib.unescape(html)
    assert '<option value="rapport_demande">Rapport de restitution demandé</option>' in html
    # The filter keeps the chosen action selected (its options are written by SelectRapide).
    html = client.get(reverse("journal:journal"), {"action": "rapport_demande"}).content.decode()
    assert (
        '<option value="rapport_demande" selected>Rapport de restitution demandé</option>' in html
    )
    assert '<select name="action" class="fr-select" id="id_action">' in html


def test_every_action_written_by_the_services_is_an_action_of_the_enum():
    """Services pass ``journal.models.Action`` members, never a code typed by hand."""
    import pathlib
    import re

    racine = pathlib.Path(__file__).resolve().parents[2]
    ecrites = set()
    for app in [
        "acteurs",
        "ateliers",
        "appels",
        "feuilles_de_route",
        "territoires",
        "demo",
        "capitalisation",
    ]:
        for path in (racine / app).rglob("*.py"):
            texte = path.read_text()
            # A keyword argument action="…" (not a form's action="{url}" written by a tag).
            assert not re.findall(r'\baction=f?"(?!store_true|\{)', texte), path
            ecrites |= set(re.findall(r"\b(?:Action|AuditAction)\.([A-Z_]+)\b", texte))
    assert ecrites and ecrites <= set(Action.names)


def test_action_codes_follow_one_scheme_and_have_a_french_name():
    import re

    for action in Action:
        assert re.fullmatch(r"[a-z]+(_[a-z]+)+", action.value), action.value
        assert selectors.libelle_action(action.value) == action.label != action.value


def test_invitations_and_participations_read_well_in_the_history(atelier, pilote, habitant):
    from acteurs.models import Invitation, Participation

    invitation = Invitation(atelier=atelier, email="anne@exemple.fr", role="habitant")
    assert str(invitation) == "Invitation de anne@exemple.fr (Habitant·e)"
    participation = Participation.objects.get(atelier=atelier, acteur__utilisateur=habitant)
    assert str(participation) == f"{participation.acteur} — Habitant·e"


def test_publication_of_an_atelier_is_named_in_french():
    assert selectors.libelle_action("atelier_publie") == "Atelier publié sur le site public"
    assert selectors.libelle_action("atelier_depublie") == "Atelier retiré du site public"


def test_journal_entries_are_in_words_on_every_journal_page(client, atelier, pilote, dgaln):
    """Issue 18: role labels, the previous state, object types named in French, on the DGALN
    log, the atelier's history and the personal data export."""
    from acteurs.models import Participation, Role
    from acteurs.services import participation_change_role

    transition(obj=atelier, to=Atelier.Statut.EN_COURS, by=pilote, action="atelier_demarre")
    technicien = factories.participant(atelier, Role.TECHNICIEN)
    participation = Participation.objects.get(acteur__utilisateur=technicien, atelier=atelier)
    participation_change_role(participation=participation, by=pilote, role=Role.HABITANT)
    nbsp = "\u00a0"
    attendus = [
        f"de «{nbsp}En préparation{nbsp}» à «{nbsp}En cours{nbsp}»",
        f"de «{nbsp}Technicien·ne{nbsp}» à «{nbsp}Habitant·e{nbsp}»",
        f"Atelier{nbsp}:",
        f"Participation{nbsp}:",
    ]
    client.force_login(dgaln)
    log = html_lib.unescape(client.get(reverse("journal:journal")).content.decode())
    client.force_login(pilote)
    history = html_lib.unescape(
        client.get(reverse("ateliers:atelier", kwargs={"pk": atelier.pk})).content.decode()
    )
    for page in (log, history):
        assert all(a in page for a in attendus), [a for a in attendus if a not in page]
        assert "technicien →" not in page and "en_preparation" not in page
    # The type filter names types in French, not "ateliers | atelier".
    assert ">Atelier</option>" in log and "ateliers | atelier" not in log.lower()
    data = client.get(reverse("acteurs:mes_donnees") + "?format=json").json()
    rows = data["Journal d'audit (vos actions)"]
    role = next(r for r in rows if r["action"] == "Rôle d'un participant modifié")
    assert role["changement"] == attendus[1] and role["type d'objet"] == "Participation"


def test_journal_says_paris_time_once_not_on_every_row(client, atelier, pilote, dgaln, monkeypatch):
    """« (heure de Paris) » stands in the date column's header (and above the history list),
    not after each of the many dates; each date is still the Paris hour."""
    moment = dt.datetime(2027, 7, 1, 12, 30, tzinfo=dt.UTC)  # 14h30 in Paris (summer time)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    for i in range(5):
        audit(by=pilote, obj=atelier, action="etape_modifiee", summary=f"n°{i}")
    monkeypatch.undo()
    client.force_login(dgaln)
    html = html_lib.unescape(client.get(reverse("journal:journal")).content.decode())
    entete, corps = re.search(r"<thead>.*?</thead>(.*?)</tbody>", html, re.S).group(0, 1)
    assert "Date (heure de Paris)" in entete
    assert "heure de Paris" not in corps
    dates = re.findall(r'<th scope="row" class="fr-cell--fixed"><time[^>]*>([^<]*)</time>', html)
    assert dates == ["1er juillet 2027 à 14h30"] * 5

    client.force_login(pilote)
    page = client.get(reverse("ateliers:atelier", kwargs={"pk": atelier.pk})).content.decode()
    historique = re.search(r'<section class="historique.*?</section>', page, re.S).group(0)
    assert "Les heures sont celles de Paris." in historique
    assert "(heure de Paris)" not in historique
    assert historique.count("1er juillet 2027 à 14h30") == 5
