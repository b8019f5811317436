"""A deadline on signature requests: set by the pilote, told in the e-mail and on the pages,
a reminder before it (once), « en retard » after it."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from atelier.workflow import TransitionError
from feuilles_de_route import services, tasks
from feuilles_de_route.models import Qualite, SignataireRequis, Version

pytestmark = pytest.mark.django_db


def _send(feuille, pilote, elu, etat, avant):
    return services.version_send_for_signature(
        feuille=feuille,
        by=pilote,
        signataires=[(elu, Qualite.ELU), (etat, Qualite.ETAT)],
        signer_avant=avant,
    )


def test_pilote_sets_the_deadline_in_the_form_and_it_is_in_the_email(
    client, atelier, feuille, pilote, elu, etat, django_capture_on_commit_callbacks
):
    avant = timezone.localdate() + dt.timedelta(days=10)
    client.force_login(pilote)
    url = reverse("feuilles_de_route:envoyer_signature", kwargs={"pk": atelier.pk})
    form = client.get(url).content.decode()
    assert 'name="signer_avant"' in form and "À signer avant le" in form
    data = {"elus": [elu.pk], "etat": [etat.pk], "signer_avant": avant.isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, data)
    assert r.status_code == 302
    version = Version.objects.get(statut=Version.Statut.EN_SIGNATURE)
    assert version.signer_avant == avant
    demande = next(m for m in mail.outbox if elu.email in m.to)
    assert "avant le" in demande.subject
    assert f"À signer avant le {avant.day}" in demande.body


def test_a_past_deadline_is_refused_and_nothing_is_sent(
    client, atelier, feuille, pilote, elu, etat
):
    client.force_login(pilote)
    url = reverse("feuilles_de_route:envoyer_signature", kwargs={"pk": atelier.pk})
    hier = timezone.localdate() - dt.timedelta(days=1)
    r = client.post(url, {"elus": [elu.pk], "etat": [etat.pk], "signer_avant": hier.isoformat()})
    assert r.status_code == 400 and "Choisissez une date à venir" in r.content.decode()
    assert not Version.objects.filter(statut=Version.Statut.EN_SIGNATURE).exists()
    with pytest.raises(TransitionError, match="dans le futur"):
        _send(feuille, pilote, elu, etat, hier)


def test_signature_page_and_espace_say_by_when_then_late(
    client, atelier, feuille, pilote, elu, etat
):
    avant = timezone.localdate() + dt.timedelta(days=5)
    version = _send(feuille, pilote, elu, etat, avant)
    client.force_login(elu)
    signer = reverse("feuilles_de_route:signer", kwargs={"pk": atelier.pk, "numero": 1})
    html = client.get(signer).content.decode()
    assert "À signer avant le" in html and "En retard" not in html
    espace = client.get(reverse("acteurs:espace")).content.decode()
    assert "avant le" in espace and "(en retard)" not in espace
    # The day has passed and the élu has not signed.
    Version.objects.filter(pk=version.pk).update(
        signer_avant=timezone.localdate() - dt.timedelta(days=1)
    )
    html = client.get(signer).content.decode()
    assert 'id="signature-en-retard"' in html and "la date est passée" in html
    assert "(en retard)" in client.get(reverse("acteurs:espace")).content.decode()
    client.force_login(pilote)
    feuille_html = client.get(
        reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk})
    ).content.decode()
    assert "Signature en retard" in feuille_html


def test_reminder_before_the_deadline_goes_once_and_not_to_who_signed(
    atelier, feuille, pilote, elu, etat, password, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = _send(feuille, pilote, elu, etat, timezone.localdate() + dt.timedelta(days=5))
    services.version_sign(version=version, by=etat, password=password)
    mail.outbox.clear()
    assert tasks.send_signature_reminders() == 0  # five days ahead: too early
    Version.objects.filter(pk=version.pk).update(
        signer_avant=timezone.localdate() + dt.timedelta(days=2)
    )
    assert tasks.send_signature_reminders() == 1
    assert tasks.send_signature_reminders() == 0  # beat runs again: nothing more
    assert [m.to for m in mail.outbox] == [[elu.email]]
    assert "Rappel" in mail.outbox[0].subject and "avant le" in mail.outbox[0].body
    assert SignataireRequis.objects.get(utilisateur=elu).rappel_envoye_le is not None


def test_no_reminder_without_deadline_or_once_past(atelier, feuille, pilote, elu, etat):
    version = _send(feuille, pilote, elu, etat, None)
    assert services.signature_reminders_due() == []
    Version.objects.filter(pk=version.pk).update(
        signer_avant=timezone.localdate() - dt.timedelta(days=1)
    )
    assert services.signature_reminders_due() == []


def test_the_beat_schedule_runs_the_reminders(settings):
    taches = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "feuilles_de_route.tasks.send_signature_reminders" in taches
