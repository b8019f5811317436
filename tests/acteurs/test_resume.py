"""The e-mail digest of « Ce qui m'attend »: daily or weekly as each person chose, once per
period, nothing when the list is empty, an unsubscribe link that works without signing in."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from acteurs import services, tasks
from acteurs.models import ResumeEnvoye, Utilisateur
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# A Monday at 8:00 in Paris (after the default ATELIER_RESUME_HEURE, 7).
LUNDI = dt.datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)


@pytest.fixture
def etat(atelier):
    return f.etat_signataire(atelier)


@pytest.fixture
def a_signer(atelier, pilote, elu, etat):
    """A version for the élu and the State representative to sign."""
    return f.send(f.feuille_with_actions(atelier), pilote, elu, etat)


def _send(now):
    return sum(services.resume_send(user_id=u, periode=p) for u, p in services.resumes_due(now))


def test_weekly_by_default_once_per_week_with_the_same_list(a_signer, elu, etat, habitant):
    mail.outbox.clear()
    assert elu.resume_frequence == Utilisateur.FrequenceResume.HEBDOMADAIRE
    assert _send(LUNDI) == 2  # the élu and the State representative; the habitant has nothing
    assert sorted(m.to[0] for m in mail.outbox) == sorted([elu.email, etat.email])
    message = next(m for m in mail.outbox if m.to == [elu.email])
    assert "Feuille de route à signer" in message.body and "version 1" in message.body
    assert "/versions/1/signer/" in message.body or "signer" in message.body
    assert "cette semaine" in message.subject
    # Later the same week, and the beat running again: nothing more.
    assert _send(LUNDI + dt.timedelta(hours=1)) == 0
    assert _send(LUNDI + dt.timedelta(days=3)) == 0
    assert len(mail.outbox) == 2
    # The next week: again.
    assert _send(LUNDI + dt.timedelta(days=7)) == 2


def test_not_before_the_hour(a_signer, settings):
    settings.ATELIER_RESUME_HEURE = 9
    assert _send(LUNDI) == 0
    assert _send(LUNDI + dt.timedelta(hours=1)) == 2


def test_daily_digest_each_day_and_switched_off(a_signer, elu, client):
    client.force_login(elu)
    r = client.post(reverse("acteurs:resume_preference"), {"resume_frequence": "quotidien"})
    assert r.status_code == 302
    elu.refresh_from_db()
    assert elu.resume_frequence == "quotidien"
    html = client.get(reverse("acteurs:espace")).content.decode()
    assert 'id="resume-quotidien" name="resume_frequence" value="quotidien" checked' in html
    _send(LUNDI)
    _send(LUNDI + dt.timedelta(days=1))
    assert [m.to for m in mail.outbox].count([elu.email]) == 2
    assert "aujourd'hui" in mail.outbox[-1].subject
    client.post(reverse("acteurs:resume_preference"), {"resume_frequence": "aucun"})
    assert services.resume_send(user_id=elu.pk, periode="2026-12-03") is False
    assert (
        client.post(reverse("acteurs:resume_preference"), {"resume_frequence": "x"}).status_code
        == 302
    )
    elu.refresh_from_db()
    assert elu.resume_frequence == "aucun"


def test_the_task_is_idempotent_and_in_the_beat_schedule(a_signer, settings, monkeypatch):
    assert "acteurs.tasks.envoyer_resumes" in {
        e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()
    }
    monkeypatch.setattr("django.utils.timezone.now", lambda: LUNDI.astimezone(dt.UTC))
    assert tasks.envoyer_resumes() == 2
    assert tasks.envoyer_resumes() == 0
    assert ResumeEnvoye.objects.count() == 2


def test_nothing_sent_when_the_list_is_empty(elu):
    assert _send(LUNDI) == 0
    assert mail.outbox == []


def test_unsubscribe_link_works_without_signing_in(a_signer, elu, client):
    _send(LUNDI)
    message = next(m for m in mail.outbox if m.to == [elu.email])
    lien = re.search(r"https?://[^\s]+/resume/desabonnement/[^\s/]+/", message.body).group(0)
    chemin = "/" + lien.split("/", 3)[3]
    page = client.get(chemin)
    assert page.status_code == 200 and "Ne plus recevoir le résumé" in page.content.decode()
    elu.refresh_from_db()
    assert elu.resume_frequence == "hebdomadaire"  # a GET (a mail scanner) changes nothing
    r = client.post(chemin)
    assert r.status_code == 200 and "ne recevra plus" in r.content.decode()
    elu.refresh_from_db()
    assert elu.resume_frequence == "aucun"
    assert client.get(chemin.replace("/desabonnement/", "/desabonnement/x")).status_code == 404


def test_the_mail_client_unsubscribes_in_one_click(a_signer, elu, etat, settings):
    """List-Unsubscribe (RFC 2369) names the signed link; the one-click POST (RFC 8058) comes
    from the mail client, with no cookie nor CSRF token, and switches off only that digest."""
    settings.SITE_URL = "https://atelier.example.gouv.fr"
    _send(LUNDI)
    message = next(m for m in mail.outbox if m.to == [elu.email])
    entete = message.extra_headers["List-Unsubscribe"]
    assert re.fullmatch(r"<https://atelier\.example\.gouv\.fr/resume/desabonnement/\S+/>", entete)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert entete[1:-1] in message.body  # the same link as the one the text gives
    assert "List-Unsubscribe" in message.message().as_string()

    client = Client(enforce_csrf_checks=True)
    chemin = entete[1:-1].removeprefix(settings.SITE_URL)
    r = client.post(
        chemin,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 200
    elu.refresh_from_db()
    etat.refresh_from_db()
    assert elu.resume_frequence == "aucun"
    assert etat.resume_frequence == "hebdomadaire"  # nobody else's digest
    assert _send(LUNDI + dt.timedelta(days=7)) == 1  # only the State representative's
    # A link that is not ours changes nothing, and says so.
    assert client.post(chemin[:-2] + "x/").status_code == 404


def test_one_click_is_promised_only_on_an_https_address(a_signer, elu, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    _send(LUNDI)
    message = next(m for m in mail.outbox if m.to == [elu.email])
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/")
    assert "List-Unsubscribe-Post" not in message.extra_headers
