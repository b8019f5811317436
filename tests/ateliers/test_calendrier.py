"""iCalendar feeds (secret, revocable URLs; Europe/Paris across DST) and stage e-mails with
their .ics, sent only after the transaction commits."""

import datetime as dt
import threading
import time
import zoneinfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Participation
from ateliers import services as s
from ateliers.models import Etape, JetonCalendrier, NotificationEtape
from tests import factories

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


@pytest.fixture
def en_cours(atelier, pilote):
    s.atelier_demarrer(atelier=atelier, by=pilote)
    return atelier


def _events(content: bytes) -> list:
    cal = icalendar.Calendar.from_ical(content)
    return list(cal.walk("VEVENT"))


@time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=PARIS), tick=False)
def test_atelier_feed_parses_and_keeps_paris_times_across_dst(client, en_cours, pilote, habitant):
    hiver = dt.datetime(2026, 3, 28, 10, 0, tzinfo=PARIS)  # CET, UTC+1
    ete = dt.datetime(2026, 3, 30, 10, 0, tzinfo=PARIS)  # CEST, UTC+2 (change on 29 March)
    s.etape_planifier(
        etape=en_cours.etapes.get(nature="lancement"), by=pilote, debut=hiver, lieu="Mairie"
    )
    s.etape_planifier(
        etape=en_cours.etapes.get(nature="visite"), by=pilote, debut=ete,
        fin=ete + dt.timedelta(hours=2),
    )  # fmt: skip
    client.force_login(habitant)
    client.post(reverse("ateliers:atelier_calendrier", args=[en_cours.pk]))
    jeton = JetonCalendrier.objects.get(utilisateur=habitant, atelier=en_cours)
    client.logout()  # calendar clients have no session: the URL is the credential

    response = client.get(reverse("ateliers:flux_ical", args=[jeton.jeton]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = {str(e["SUMMARY"]).split(" — ")[0]: e for e in cal.walk("VEVENT")}
    lancement = events["Séminaire de lancement"]["DTSTART"]
    visite = events["Visite de terrain"]["DTSTART"]
    assert lancement.params["TZID"] == "Europe/Paris"
    assert lancement.dt.hour == 10 and visite.dt.hour == 10
    assert lancement.dt.astimezone(dt.UTC).hour == 9
    assert visite.dt.astimezone(dt.UTC).hour == 8
    assert b"DTSTART;TZID=Europe/Paris:20260330T100000" in response.content
    assert events["Visite de terrain"]["DTEND"].dt.hour == 12
    assert str(events["Séminaire de lancement"]["LOCATION"]) == "Mairie"
    # Undated stages are not in the feed.
    assert len(events) == 2


def test_personal_feed_lists_all_my_ateliers(client, en_cours, pilote):
    autre = factories.AtelierFactory()
    Participation.objects.create(acteur=pilote.acteur, atelier=autre, role="observateur")
    factories.EtapeFactory(atelier=autre, nature="atelier_1")
    etranger = factories.AtelierFactory()
    factories.EtapeFactory(atelier=etranger, nature="atelier_2")
    s.etape_planifier(
        etape=en_cours.etapes.get(nature="lancement"), by=pilote,
        debut=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    jeton = s.jeton_calendrier_creer(by=pilote)
    response = client.get(reverse("ateliers:flux_ical", args=[jeton.jeton]))
    ateliers = {str(e["SUMMARY"]).rsplit(" — ", 1)[1] for e in _events(response.content)}
    assert ateliers == {en_cours.titre, autre.titre}


def test_revoked_or_unknown_tokens_get_404(client, en_cours, habitant):
    jeton = s.jeton_calendrier_creer(by=habitant, atelier=en_cours)
    url = reverse("ateliers:flux_ical", args=[jeton.jeton])
    assert client.get(url).status_code == 200
    nouveau = s.jeton_calendrier_creer(by=habitant, atelier=en_cours)  # replaces the old one
    assert client.get(url).status_code == 404
    s.jeton_calendrier_revoquer(jeton=nouveau, by=habitant)
    assert client.get(reverse("ateliers:flux_ical", args=[nouveau.jeton])).status_code == 404
    assert client.get(reverse("ateliers:flux_ical", args=["x" * 43])).status_code == 404


@pytest.mark.parametrize(
    ("jeton", "status"), [("%00", 400), ("a%00b", 400), ("x" * 65, 404), ("a.b", 404)]
)
def test_malformed_token_is_refused_not_a_server_error(client, jeton, status):
    # A NUL byte reached the database query: PostgreSQL refused it, the feed answered 500.
    # NUL characters are refused for every address (400); other malformed tokens name none.
    response = client.get(f"/calendrier/{jeton}.ics")
    assert response.status_code == status


def test_feed_stops_when_the_owner_leaves_the_atelier(client, en_cours, habitant):
    jeton = s.jeton_calendrier_creer(by=habitant, atelier=en_cours)
    Participation.objects.filter(acteur__utilisateur=habitant).delete()
    habitant.__dict__.pop("_roles_par_atelier", None)
    assert client.get(reverse("ateliers:flux_ical", args=[jeton.jeton])).status_code == 404


def test_revoke_from_the_page(client, en_cours, habitant, elu):
    jeton = s.jeton_calendrier_creer(by=habitant, atelier=en_cours)
    client.force_login(elu)  # someone else's token: not found
    url = reverse("ateliers:atelier_calendrier", args=[en_cours.pk])
    assert client.post(url, {"action": "revoquer", "jeton": jeton.pk}).status_code == 404
    client.force_login(habitant)
    assert client.post(url, {"action": "revoquer", "jeton": jeton.pk}).status_code == 302
    jeton.refresh_from_db()
    assert jeton.revoque_le is not None


@pytest.mark.parametrize("valeur", ["", "abc", "1e9", "²", " ", "\x00", "99999999999999999999"])
def test_revoking_with_a_junk_id_is_not_found_and_keeps_the_link(client, habitant, valeur):
    # A non-numeric id reached the primary-key lookup: ValueError, a 500.
    jeton = s.jeton_calendrier_creer(by=habitant)
    client.force_login(habitant)
    url = reverse("ateliers:calendrier_personnel")
    assert client.post(url, {"action": "revoquer", "jeton": valeur}).status_code == 404
    jeton.refresh_from_db()
    assert jeton.revoque_le is None


# --- E-mails ----------------------------------------------------------------------------------


def test_scheduling_moving_and_cancelling_send_emails_with_ics(
    en_cours, pilote, habitant, elu, django_capture_on_commit_callbacks
):
    etape = en_cours.etapes.get(nature="atelier_1")
    debut = timezone.now() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_planifier(etape=etape, by=pilote, debut=debut, lieu="Salle des fêtes")
    destinataires = {m.to[0] for m in mail.outbox}
    assert destinataires == {pilote.email, habitant.email, elu.email}
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees the others' addresses
    message = mail.outbox[0]
    assert "Nouvelle date" in message.subject
    nom, contenu, mime = message.attachments[0]
    assert nom == "etape.ics" and mime.startswith("text/calendar")
    event = _events(contenu)[0]
    assert event["DTSTART"].dt == debut.astimezone(PARIS).replace(microsecond=0)
    assert str(event["LOCATION"]) == "Salle des fêtes"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_planifier(etape=etape, by=pilote, debut=debut + dt.timedelta(days=1))
    assert len(mail.outbox) == 3 and "Date modifiée" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_annuler(etape=etape, by=pilote, motif="Salle indisponible")
    assert len(mail.outbox) == 3
    assert "Annulation" in mail.outbox[0].subject
    assert "Salle indisponible" in mail.outbox[0].body
    cal = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_nothing_is_sent_when_the_transaction_rolls_back(
    en_cours, pilote, habitant, django_capture_on_commit_callbacks
):
    etape = en_cours.etapes.get(nature="atelier_1")

    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=3))
        raise Abandon
    assert callbacks == []
    assert mail.outbox == []
    etape.refresh_from_db()
    assert etape.debut is None


def test_notification_task_is_idempotent(en_cours, pilote, habitant):
    from ateliers.tasks import notifier_etape

    etape = en_cours.etapes.get(nature="atelier_1")
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() + dt.timedelta(days=2))
    notifier_etape.delay(etape.pk, "planifiee", "cle-1")
    n = len(mail.outbox)
    assert n == 2
    notifier_etape.delay(etape.pk, "planifiee", "cle-1")  # redelivered: nothing more
    assert len(mail.outbox) == n
    assert notifier_etape.delay(999999, "planifiee", "x").get() == 0


def test_idempotence_survives_a_cache_flush(en_cours, pilote, habitant):
    from ateliers.tasks import notifier_etape

    etape = en_cours.etapes.get(nature="atelier_1")
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() + dt.timedelta(days=2))
    assert notifier_etape.delay(etape.pk, "planifiee", "cle-1").get() == 2
    cache.clear()  # a flush or an eviction: the record is in the database, not in the cache
    assert notifier_etape.delay(etape.pk, "planifiee", "cle-1").get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([pilote.email, habitant.email])
    assert NotificationEtape.objects.filter(etape=etape, cle="cle-1").count() == 2
    # Another change of the same stage is another e-mail.
    assert notifier_etape.delay(etape.pk, "deplacee", "cle-1").get() == 2
    assert notifier_etape.delay(etape.pk, "planifiee", "cle-2").get() == 2
    assert len(mail.outbox) == 6


def test_each_change_of_a_stage_is_sent_even_back_to_the_same_date(
    en_cours, pilote, habitant, django_capture_on_commit_callbacks
):
    etape = en_cours.etapes.get(nature="atelier_1")
    debut = timezone.now() + dt.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_planifier(etape=etape, by=pilote, debut=debut)
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_annuler(etape=etape, by=pilote, motif="Salle indisponible")
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_replanifier(etape=etape, by=pilote)
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_annuler(etape=etape, by=pilote, motif="Grève")
    sujets = [m.subject for m in mail.outbox if m.to == [habitant.email]]
    assert [sujet.split(" :")[0].split("] ")[-1] for sujet in sujets] == [
        "Nouvelle date",
        "Annulation",
        "Nouvelle date",
        "Annulation",
    ]
    assert "Grève" in mail.outbox[-1].body


def test_a_failed_send_is_retried_for_the_people_who_did_not_get_it(
    en_cours, pilote, habitant, elu, monkeypatch
):
    from atelier import emails

    etape = en_cours.etapes.get(nature="atelier_1")
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() + dt.timedelta(days=2))
    envoyer = emails.send_templated

    def panne_pour_elu(**kwargs):
        if kwargs["to"] == [elu.email]:
            raise OSError("SMTP indisponible")
        return envoyer(**kwargs)

    monkeypatch.setattr(emails, "send_templated", panne_pour_elu)
    with pytest.raises(OSError):
        s.etape_notifier(etape_id=etape.pk, evenement="planifiee", cle="cle-1")
    deja = [m.to[0] for m in mail.outbox]
    assert elu.email not in deja
    monkeypatch.setattr(emails, "send_templated", envoyer)
    assert s.etape_notifier(etape_id=etape.pk, evenement="planifiee", cle="cle-1") == 3 - len(deja)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([pilote.email, habitant.email, elu.email])


def test_a_stage_cancelled_again_before_the_task_ran_is_not_announced(en_cours, pilote, habitant):
    etape = en_cours.etapes.get(nature="atelier_1")
    Etape.objects.filter(pk=etape.pk).update(
        debut=timezone.now() + dt.timedelta(days=2), statut="annulee", motif_annulation="Pluie"
    )
    assert s.etape_notifier(etape_id=etape.pk, evenement="planifiee", cle="cle-1") == 0
    assert mail.outbox == []


def test_replanning_sends_the_invitation_again(
    en_cours, pilote, habitant, elu, django_capture_on_commit_callbacks
):
    etape = en_cours.etapes.get(nature="atelier_1")
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=3))
        s.etape_annuler(etape=etape, by=pilote, motif="Salle indisponible")
    mail.outbox.clear()
    nouvelle = timezone.now() + dt.timedelta(days=12)
    with django_capture_on_commit_callbacks(execute=True):
        s.etape_replanifier(etape=etape, by=pilote, debut=nouvelle, lieu="Salle B")
    assert {m.to[0] for m in mail.outbox} == {pilote.email, habitant.email, elu.email}
    message = mail.outbox[0]
    assert "Nouvelle date" in message.subject
    assert "Salle indisponible" not in message.body
    cal = icalendar.Calendar.from_ical(message.attachments[0][1])
    assert str(cal["METHOD"]) == "PUBLISH"
    event = cal.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["DTSTART"].dt == nouvelle.astimezone(PARIS).replace(microsecond=0)
    assert str(event["LOCATION"]) == "Salle B"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrence réelle : PostgreSQL seulement"
)
def test_two_deliveries_at_the_same_time_send_once(monkeypatch):
    from atelier import emails
    from ateliers.tasks import notifier_etape

    atelier = factories.AtelierFactory()
    for i in range(3):
        factories.participant(atelier, "habitant", email=f"h{i}@concurrence.fr")
    etape = factories.EtapeFactory(atelier=atelier)
    envoyer = emails.send_templated
    ensemble = threading.Barrier(2)

    def lent(**kwargs):
        time.sleep(0.2)  # the other delivery arrives while this one is sending
        return envoyer(**kwargs)

    monkeypatch.setattr(emails, "send_templated", lent)
    resultats = []

    def livrer():
        try:
            ensemble.wait()
            resultats.append(notifier_etape.apply(args=(etape.pk, "planifiee", "cle-1")).get())
        finally:
            connections.close_all()

    fils = [threading.Thread(target=livrer) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    assert sorted(m.to[0] for m in mail.outbox) == [f"h{i}@concurrence.fr" for i in range(3)]
    assert sum(resultats) == 3


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_mail_leaves_only_after_commit():
    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, "pilote", email="p@real.fr")
    s.atelier_demarrer(atelier=atelier, by=pilote)
    etape = atelier.etapes.get(nature="atelier_2")
    with pytest.raises(RuntimeError), transaction.atomic():
        s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=4))
        assert mail.outbox == []  # not yet: the transaction is still open
        raise RuntimeError
    assert mail.outbox == []
    with transaction.atomic():
        s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=4))
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["p@real.fr"]]
