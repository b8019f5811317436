"""Follow-up after adoption: check-ins, progress, reminders, the DGALN view."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Acteur
from atelier.workflow import TransitionError
from feuilles_de_route import selectors, services
from feuilles_de_route.models import Action, RappelSuivi, StatutSuivi
from feuilles_de_route.tasks import send_rappels_suivi
from tests import factories

pytestmark = pytest.mark.django_db


def test_no_follow_up_before_adoption(feuille, pilote):
    action = Action.objects.filter(axe__feuille=feuille).first()
    with pytest.raises(TransitionError, match="adoptée"):
        services.point_suivi_add(
            action=action, by=pilote, etat="en_cours", date=timezone.localdate(), commentaire="x"
        )


def test_check_in_updates_action_and_progress(atelier, adoptee, pilote):
    actions = list(Action.objects.filter(axe__feuille__atelier=atelier))
    today = timezone.localdate()
    services.point_suivi_add(
        action=actions[0], by=pilote, etat=StatutSuivi.REALISEE, date=today, commentaire="Fait"
    )
    services.point_suivi_add(
        action=actions[1],
        by=pilote,
        etat=StatutSuivi.EN_COURS,
        date=today,
        commentaire="Lancé",
        pourcentage=50,
    )
    # An older check-in does not override the latest state.
    services.point_suivi_add(
        action=actions[1],
        by=pilote,
        etat=StatutSuivi.A_VENIR,
        date=today - dt.timedelta(days=30),
        commentaire="Avant",
    )
    actions[1].refresh_from_db()
    assert actions[1].statut_suivi == StatutSuivi.EN_COURS and actions[1].avancement == 50
    summary = selectors.avancement(atelier)
    assert summary["total"] == 4 and summary["realisees"] == 1
    assert summary["pourcentage"] == round((100 + 50) / 4)
    # The same from the roadmap the editor and the follow-up page have already loaded.
    feuille = services.feuille_get_or_create(atelier=atelier)
    assert selectors.avancement(atelier, feuille=feuille) == summary


def test_who_may_check_in(atelier, adoptee, elu, habitant, equipe):
    action = Action.objects.filter(axe__feuille__atelier=atelier).first()
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.point_suivi_add(
            action=action, by=habitant, etat="en_cours", date=today, commentaire="x"
        )
    services.point_suivi_add(action=action, by=equipe, etat="en_cours", date=today, commentaire="x")
    # A participant whose organisation carries the action may.
    Acteur.objects.filter(utilisateur=elu).update(organisation=action.porteur)
    services.point_suivi_add(
        action=action, by=elu, etat="bloquee", date=today, commentaire="Foncier"
    )


def test_bad_check_in_refused(atelier, adoptee, pilote, client):
    action = Action.objects.filter(axe__feuille__atelier=atelier).first()
    with pytest.raises(TransitionError):
        services.point_suivi_add(
            action=action,
            by=pilote,
            etat="en_cours",
            date=timezone.localdate() + dt.timedelta(days=3),
            commentaire="x",
        )
    client.force_login(pilote)
    url = reverse(
        "feuilles_de_route:point_suivi", kwargs={"pk": atelier.pk, "action_id": action.pk}
    )
    r = client.post(
        url, {"etat": "en_cours", "date": "2020-01-01", "pourcentage": "140", "commentaire": "x"}
    )
    assert r.status_code == 400
    r = client.post(
        url,
        {"etat": "en_cours", "date": "2026-01-01", "pourcentage": "40", "commentaire": "Avance"},
    )
    assert r.status_code == 302


def test_reminders_at_6_12_36_months_once(
    atelier, adoptee, pilote, django_capture_on_commit_callbacks
):
    adopted = adoptee.adoptee_le
    with (
        time_machine.travel(adopted + dt.timedelta(days=100), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_rappels_suivi() == 0
    with (
        time_machine.travel(adopted + dt.timedelta(days=190), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_rappels_suivi() == 1
        assert send_rappels_suivi() == 0
    assert len(mail.outbox) == 1 and pilote.email in mail.outbox[0].to
    assert "6 mois" in mail.outbox[0].subject
    with (
        time_machine.travel(adopted + dt.timedelta(days=1200), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_rappels_suivi() == 1
    assert set(RappelSuivi.objects.values_list("mois", flat=True)) == {6, 12, 36}
    assert "36 mois" in mail.outbox[-1].subject


def test_a_redelivered_reminder_task_sends_nothing_twice(
    atelier, adoptee, pilote, django_capture_on_commit_callbacks
):
    from feuilles_de_route.tasks import send_rappel_suivi

    with (
        time_machine.travel(adoptee.adoptee_le + dt.timedelta(days=190), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_rappels_suivi() == 1
    rappel = RappelSuivi.objects.get(mois=6)
    assert rappel.courriel_envoye_le is not None
    # The broker hands the same task over again (worker lost before the ack).
    assert send_rappel_suivi(rappel.pk) is False
    assert len(mail.outbox) == 1


def test_reminder_goes_to_porteurs(atelier, adoptee, django_capture_on_commit_callbacks):
    action = Action.objects.filter(axe__feuille__atelier=atelier).first()
    porteur_user = factories.participant(atelier, "technicien", email="dgs@quintin.fr")
    Acteur.objects.filter(utilisateur=porteur_user).update(organisation=action.porteur)
    with (
        time_machine.travel(adoptee.adoptee_le + dt.timedelta(days=200), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_rappels_suivi()
    assert "dgs@quintin.fr" in mail.outbox[0].to


def test_gestion_suivi_for_dgaln_only(
    client, dgaln, pilote, adoptee, django_assert_max_num_queries
):
    from tests.factories import feuilles_de_route as f

    for _ in range(4):
        other = factories.AtelierFactory()
        feuille = f.feuille_with_actions(other)
        p = factories.participant(other, "pilote")
        e = factories.participant(other, "elu")
        f.adopt(
            feuille, p, e, f.etat_signataire(other, email=f"prefet{other.pk}@interieur.gouv.fr")
        )
    client.force_login(dgaln)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("feuilles_de_route:gestion_suivi"))
    assert r.status_code == 200 and r.content.decode().count("<progress") == 5
    client.force_login(pilote)
    assert client.get(reverse("feuilles_de_route:gestion_suivi")).status_code == 403


def test_avancement_include_renders(atelier, adoptee):
    from django.template.loader import render_to_string

    html = render_to_string(
        "feuilles_de_route/includes/avancement.html", {"avancement": selectors.avancement(atelier)}
    )
    assert "0 %" in html and "sur 4" in html


def test_the_follow_up_page_says_each_action_state(client, atelier, adoptee, pilote):
    actions = list(Action.objects.filter(axe__feuille__atelier=atelier).order_by("pk"))
    Action.objects.filter(pk=actions[0].pk).update(statut_suivi=StatutSuivi.EN_COURS)
    client.force_login(pilote)
    html = client.get(
        reverse("feuilles_de_route:suivi", kwargs={"pk": atelier.pk})
    ).content.decode()
    ligne = html.split(f'id="action-{actions[0].pk}"')[1].split("</tr>")[0]
    assert '<p class="fr-badge fr-badge--sm">En cours</p>' in ligne
    ligne = html.split(f'id="action-{actions[1].pk}"')[1].split("</tr>")[0]
    assert '<p class="fr-badge fr-badge--sm">À venir</p>' in ligne
