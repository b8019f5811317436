"""Broker down: work owed by a committed change waits in the outbox and is done once, later.

A Redis started for the test (port 6391) is the broker; it is stopped, changes are committed
(an invitation, a report request), it is restarted, the beat sweeper hands the waiting tasks
over, and the messages are consumed — each one twice, as a redelivery would — to check that
each e-mail and the report happen exactly once.
"""

import shutil
import socket
import subprocess
import time

import pytest
from django.core import mail
from django.utils import timezone

from acteurs.models import Role
from feuilles_de_route.models import Rapport
from outbox import services as outbox
from outbox.models import PendingTask
from tests.factories import feuilles_de_route as f

PORT = 6391
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server absent"),
]


def _listening() -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", PORT)) == 0


class Broker:
    def __init__(self, tmp_path):
        self.dir = tmp_path
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _listening():
            assert time.monotonic() < deadline, "redis-server ne démarre pas"
            time.sleep(0.05)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)
        assert not _listening()


def _reset_pools(app):
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(tmp_path):
    from atelier.celery import app

    if _listening():
        pytest.skip(f"port {PORT} déjà occupé")
    broker = Broker(tmp_path)
    broker.start()
    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = f"redis://127.0.0.1:{PORT}/0"
    app.conf.task_always_eager = False
    _reset_pools(app)
    try:
        yield broker
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        _reset_pools(app)
        if broker.process.poll() is None:
            broker.stop()


def _consume_each_twice() -> list[str]:
    """Run every queued message twice, as a broker redelivering them would; their names."""
    from atelier.celery import app

    names = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        while True:
            try:
                message = queue.get(block=True, timeout=0.5)
            except queue.Empty:
                break
            name = message.headers["task"]
            args, kwargs, _embed = message.decode()
            for _ in range(2):
                app.tasks[name].apply(args=args, kwargs=kwargs)
            message.ack()
            names.append(name)
        queue.close()
    return names


def test_broker_outage_loses_nothing_and_duplicates_nothing(
    broker, atelier, pilote, elu, django_capture_on_commit_callbacks
):
    from acteurs.services import invitation_create
    from feuilles_de_route.services import rapport_request

    version = f.adopt(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    mail.outbox.clear()
    PendingTask.objects.all().delete()
    broker.stop()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(
            atelier=atelier, by=pilote, email="invitee@example.fr", role=Role.HABITANT
        )
    with django_capture_on_commit_callbacks(execute=True):
        rapport = rapport_request(atelier=atelier, by=pilote)
    assert time.monotonic() - started < 5, "un broker arrêté ne doit pas bloquer la requête"
    assert invitation.pk and rapport.version_id == version.pk  # both changes are committed
    waiting = PendingTask.objects.filter(sent_at__isnull=True).order_by("pk")
    assert [(t.task, t.args) for t in waiting] == [
        ("acteurs.tasks.envoyer_invitation", [invitation.pk]),
        ("feuilles_de_route.tasks.generate_rapport", [rapport.pk]),
    ]
    assert all(t.attempts == 1 and "Error" in t.last_error for t in waiting)
    # While the broker is down, the sweeper sends nothing and fails nothing.
    later = timezone.now() + outbox.GRACE
    assert outbox.dispatch_pending(now=later) == 0
    assert mail.outbox == []

    broker.start()
    assert outbox.dispatch_pending(now=later) == 2
    assert outbox.dispatch_pending(now=later) == 0  # nothing handed over twice
    assert not PendingTask.objects.filter(sent_at__isnull=True).exists()

    assert sorted(_consume_each_twice()) == [
        "acteurs.tasks.envoyer_invitation",
        "feuilles_de_route.tasks.generate_rapport",
    ]
    assert [m.to for m in mail.outbox] == [["invitee@example.fr"]]
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET and rapport.tentatives == 1


def test_a_rolled_back_change_owes_nothing(atelier, pilote, django_capture_on_commit_callbacks):
    from django.db import transaction

    from acteurs.services import invitation_create

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invitation_create(
            atelier=atelier, by=pilote, email="invitee@example.fr", role=Role.HABITANT
        )
        raise RuntimeError
    assert not PendingTask.objects.exists()
    assert mail.outbox == []


def test_with_the_broker_up_the_task_is_sent_at_commit(
    atelier, pilote, django_capture_on_commit_callbacks
):
    from acteurs.services import invitation_create

    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(
            atelier=atelier, by=pilote, email="invitee@example.fr", role=Role.HABITANT
        )
    row = PendingTask.objects.get()
    assert row.sent_at is not None and row.last_error == ""
    assert [m.to for m in mail.outbox] == [["invitee@example.fr"]]  # eager in tests


def test_a_row_for_an_unknown_task_does_not_block_the_others():
    PendingTask.objects.create(task="ancienne.tache.supprimee", args=[1])
    row = PendingTask.objects.create(task="acteurs.tasks.envoyer_invitation", args=[0])
    assert outbox.dispatch_pending(now=timezone.now() + outbox.GRACE) == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert PendingTask.objects.get(task="ancienne.tache.supprimee").sent_at is None
