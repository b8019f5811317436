"""The deadline, checked on the server at submission time, in Paris and UTC, around midnight
and the daylight-saving changes."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from appels import services
from appels.forms import AppelForm
from appels.models import Candidature, NotificationCandidature
from atelier.dates import format_date
from atelier.workflow import TransitionError
from tests.factories.appels import appel_complet, candidature_complete

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
UTC = dt.UTC


def _appel(cloture: dt.datetime):
    return appel_complet(ouverture=cloture - dt.timedelta(days=60), cloture=cloture)


@pytest.mark.parametrize(
    "cloture_paris",
    [
        # Midnight in winter (UTC+1): 23:00 UTC the day before.
        dt.datetime(2027, 1, 15, 0, 0, tzinfo=PARIS),
        # Midnight in summer (UTC+2): 22:00 UTC the day before.
        dt.datetime(2027, 7, 15, 0, 0, tzinfo=PARIS),
        # Midnight on the night clocks go forward (29 March 2026, 02:00 → 03:00).
        dt.datetime(2026, 3, 29, 0, 0, tzinfo=PARIS),
        # 23:59 after clocks went back (25 October 2026, 03:00 → 02:00).
        dt.datetime(2026, 10, 25, 23, 59, tzinfo=PARIS),
        # 03:00 on the spring-forward day: one hour after 01:00 by the wall clock... by UTC.
        dt.datetime(2026, 3, 29, 3, 0, tzinfo=PARIS),
    ],
)
def test_submission_is_accepted_one_second_before_and_refused_at_the_deadline(
    cloture_paris, applicant
):
    appel = _appel(cloture_paris)
    before = cloture_paris.astimezone(UTC) - dt.timedelta(seconds=1)
    at = cloture_paris.astimezone(UTC)
    ok = candidature_complete(appel=appel, auteur=applicant)
    late = candidature_complete(appel=appel)

    with time_machine.travel(before, tick=False):
        services.candidature_deposer(candidature=ok, by=applicant)
    with (
        time_machine.travel(at, tick=False),
        pytest.raises(TransitionError, match="clos depuis le") as error,
    ):
        services.candidature_deposer(candidature=late, by=late.auteur)

    assert ok.statut == Candidature.Statut.DEPOSEE
    # The message gives the deadline in Paris time, as the applicant read it.
    assert format_date(cloture_paris, "DATETIME_FORMAT") in error.value.message
    late.refresh_from_db()
    assert late.statut == Candidature.Statut.BROUILLON
    assert late.reponses  # the draft is intact
    assert late.pieces_jointes.count() == 1


def test_deadline_is_the_same_instant_seen_from_utc():
    # 31 March 2027 23:59 in Paris (summer time) is 21:59 UTC.
    cloture = dt.datetime(2027, 3, 31, 21, 59, tzinfo=UTC)
    appel = _appel(cloture)
    with time_machine.travel(dt.datetime(2027, 3, 31, 21, 58, 59, tzinfo=UTC), tick=False):
        assert services.appel_est_ouvert(appel)
    # At 22:30 UTC it is still 31 March in London, already 1 April 00:30 in Paris: closed.
    with time_machine.travel(dt.datetime(2027, 3, 31, 22, 30, tzinfo=UTC), tick=False):
        assert not services.appel_est_ouvert(appel)


@pytest.mark.parametrize(
    ("saisie", "utc"),
    [
        ("2026-03-29T23:59", dt.datetime(2026, 3, 29, 21, 59, tzinfo=UTC)),  # summer time
        ("2026-03-28T23:59", dt.datetime(2026, 3, 28, 22, 59, tzinfo=UTC)),  # winter time
        ("2026-10-25T00:00", dt.datetime(2026, 10, 24, 22, 0, tzinfo=UTC)),  # before fall back
        ("2026-10-25T23:59", dt.datetime(2026, 10, 25, 22, 59, tzinfo=UTC)),  # after fall back
    ],
)
def test_dates_typed_in_the_back_office_are_paris_time(saisie, utc):
    form = AppelForm(
        data={
            "titre": "AMI 2027",
            "nature": "a_la_carte",
            "ouverture": "2026-01-01T09:00",
            "cloture": saisie,
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cloture"] == utc


def test_a_time_that_does_not_exist_in_paris_is_refused_in_french():
    # 02:30 on 29 March 2026 is skipped by the clocks going forward.
    form = AppelForm(
        data={
            "titre": "AMI 2027",
            "nature": "a_la_carte",
            "ouverture": "2026-01-01T09:00",
            "cloture": "2026-03-29T02:30",
        }
    )
    assert not form.is_valid()
    assert "fuseau horaire" in str(form.errors["cloture"])


def test_editing_a_draft_after_the_deadline_is_refused(applicant):
    cloture = dt.datetime(2027, 1, 15, 0, 0, tzinfo=PARIS)
    appel = _appel(cloture)
    draft = candidature_complete(appel=appel, auteur=applicant)
    with (
        time_machine.travel(cloture + dt.timedelta(minutes=1), tick=False),
        pytest.raises(TransitionError, match="clos"),
    ):
        services.candidature_enregistrer(
            appel=appel,
            by=applicant,
            data={"porteur": "Autre"},
            reponses={},
            candidature=draft,
        )
    draft.refresh_from_db()
    assert draft.porteur == "Communauté de communes candidate"


@pytest.mark.parametrize(
    ("now_paris", "expected"),
    [
        # The deadline is 25 Oct 23:00 UTC; a day of 25 hours precedes it.
        (dt.datetime(2026, 10, 19, 0, 30, tzinfo=PARIS), []),  # 7 days and 30 min before
        (dt.datetime(2026, 10, 19, 1, 30, tzinfo=PARIS), ["rappel_j7"]),  # 6 d 23 h 30 before
        # 24 h 30 before by the clock, although the wall clock shows only 23 h 30 to go.
        (dt.datetime(2026, 10, 25, 0, 30, tzinfo=PARIS), ["rappel_j7"]),
        (dt.datetime(2026, 10, 25, 1, 30, tzinfo=PARIS), ["rappel_j1"]),  # 23 h 30 before
        (dt.datetime(2026, 10, 26, 0, 0, tzinfo=PARIS), []),  # closed
    ],
)
def test_reminders_7_days_and_1_day_before_the_deadline_across_dst(now_paris, expected):
    # Deadline on the night clocks go back: 26 October 2026 00:00 Paris (UTC+1).
    cloture = dt.datetime(2026, 10, 26, 0, 0, tzinfo=PARIS)
    appel = _appel(cloture)
    draft = candidature_complete(appel=appel)
    candidature_complete(appel=appel)  # a second draft…
    Candidature.objects.exclude(pk=draft.pk).update(
        statut="deposee", deposee_le=cloture - dt.timedelta(days=20)
    )  # …already submitted: no reminder for it
    with time_machine.travel(now_paris, tick=False):
        due = services.rappels_a_envoyer()
    assert [nature for _pk, nature in due] == expected
    assert all(pk == draft.pk for pk, _n in due)


def test_reminders_are_sent_once(mailoutbox, django_capture_on_commit_callbacks):
    from appels.tasks import rappels_cloture

    def beat_run() -> int:
        # Each beat run commits: the reminders it queues leave on commit.
        with django_capture_on_commit_callbacks(execute=True):
            return rappels_cloture.delay().get()

    cloture = dt.datetime(2026, 10, 26, 0, 0, tzinfo=PARIS)
    appel = _appel(cloture)
    draft = candidature_complete(appel=appel)
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, 0, tzinfo=PARIS), tick=False):
        assert beat_run() == 1
        assert beat_run() == 0
    with time_machine.travel(dt.datetime(2026, 10, 25, 9, 0, tzinfo=PARIS), tick=False):
        assert beat_run() == 1
        assert beat_run() == 0
    assert len(mailoutbox) == 2
    assert "7 jours" in mailoutbox[0].subject and "Dernier jour" in mailoutbox[1].subject
    assert mailoutbox[0].to == [draft.auteur.email]
    assert "26 octobre 2026 à 00h00" in mailoutbox[0].body
    assert set(
        NotificationCandidature.objects.filter(candidature=draft).values_list("nature", flat=True)
    ) == {"rappel_j7", "rappel_j1"}
