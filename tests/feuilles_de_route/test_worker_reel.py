"""The restitution PDF produced by a real Celery worker consuming from Redis (CI).

The worker runs in-process (threads) with ``celery.contrib.testing.worker.start_worker``, so
it shares the test settings and the test database; ``transactional_db`` commits the data
the worker reads. Skipped without ``REDIS_URL``.
"""

import os
import time

import pytest

from feuilles_de_route import services
from feuilles_de_route.models import Rapport
from tests import factories
from tests.factories import feuilles_de_route as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL absent : pas de vrai worker"
    ),
]


def _wait_for(rapport_id: int, timeout: float = 90) -> Rapport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rapport = Rapport.objects.get(pk=rapport_id)
        if rapport.statut in (Rapport.Statut.PRET, Rapport.Statut.ECHEC):
            return rapport
        time.sleep(0.3)
    raise AssertionError(f"Rapport {rapport_id} toujours « {rapport.statut} » après {timeout} s")


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    from atelier.celery import app

    app.conf.task_always_eager = False
    assert app.conf.broker_url.startswith("redis")
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=30
    ):
        yield app


def test_real_worker_generates_report_and_completes_an_interrupted_one(worker):
    f.ensure_reference_data()
    atelier = factories.AtelierFactory()
    pilote = factories.participant(
        atelier, "pilote", email="pilote-worker@developpement-durable.gouv.fr"
    )
    elu = factories.participant(atelier, "elu", email="elu-worker@commune.fr")
    feuille = f.feuille_with_actions(atelier)
    version = f.adopt(
        feuille, pilote, elu, f.etat_signataire(atelier, email="prefet-worker@interieur.gouv.fr")
    )

    rapport = services.rapport_request(atelier=atelier, by=pilote)  # on_commit → Redis → worker
    rapport = _wait_for(rapport.pk)
    assert rapport.statut == Rapport.Statut.PRET, rapport.erreur
    assert rapport.fichier.read().startswith(b"%PDF")
    assert services.rapport_request(atelier=atelier, by=pilote).pk == rapport.pk

    # A report left "en cours" by a worker killed mid-render: the redelivered task completes it.
    other = factories.AtelierFactory()
    p2 = factories.participant(
        other, "pilote", email="pilote2-worker@developpement-durable.gouv.fr"
    )
    e2 = factories.participant(other, "elu", email="elu2-worker@commune.fr")
    v2 = f.adopt(
        f.feuille_with_actions(other),
        p2,
        e2,
        f.etat_signataire(other, email="prefet2-worker@interieur.gouv.fr"),
    )
    stuck = Rapport.objects.create(
        atelier=other, version=v2, statut=Rapport.Statut.EN_COURS, tentatives=1
    )
    from feuilles_de_route.tasks import generate_rapport

    generate_rapport.delay(stuck.pk)
    stuck = _wait_for(stuck.pk)
    assert stuck.statut == Rapport.Statut.PRET and stuck.tentatives == 2
    assert version.pk != v2.pk
