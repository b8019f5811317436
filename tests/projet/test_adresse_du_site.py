"""One setting, ATELIER_SITE_URL, gives every absolute link: e-mails, PDF, exports, the API."""

import pytest
from django.core import mail

from acteurs import services as acteurs_services
from acteurs.models import Role
from tests.factories.public import laureat, rapport_publie

pytestmark = pytest.mark.django_db

ADRESSE = "http://127.0.0.1:8101"


@pytest.fixture
def autre_adresse(settings):
    settings.SITE_URL = ADRESSE


def test_invitation_email_links_to_the_configured_address(
    autre_adresse, atelier, pilote, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        acteurs_services.invitation_create(
            atelier=atelier, by=pilote, email="nouvelle@example.fr", role=Role.TECHNICIEN
        )
    (message,) = mail.outbox
    assert f"{ADRESSE}/invitations/" in message.body
    assert "127.0.0.1:8000" not in message.body


def test_exports_and_api_use_the_configured_address(autre_adresse, client):
    for i in range(3):
        laureat(nom=f"Territoire {i}")
    csv = client.get("/donnees/laureats.csv").content.decode("utf-8-sig")
    assert f"{ADRESSE}/territoires/" in csv
    page = client.get("/api/laureats/?taille=1").json()
    assert page["suivante"].startswith(f"{ADRESSE}/api/laureats/")


def test_report_pdf_names_the_configured_verification_address(autre_adresse):
    from feuilles_de_route.rendering import rapport_html

    atelier = laureat(nom="Quintin")
    html = rapport_html(rapport_publie(atelier))
    assert f"{ADRESSE}/verifier/" in html


def test_make_run_gives_every_step_the_address_it_serves():
    """`make run ADDR=…` used to set the address for seed_demo only: the server then wrote
    127.0.0.1:8000 in every e-mail. Each step (migrate, load_reference, seed_demo, runserver)
    is replaced here by a command that prints the address it would see."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("make"):
        # CI has make (.ci/run calls it): there, a missing make is a failure, not a skip.
        assert not os.environ.get("CI"), "CI sans GNU make"
        pytest.skip("GNU make absent")
    racine = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "ATELIER_SITE_URL"}
    sortie = subprocess.run(
        ["make", "-s", "run", "ADDR=127.0.0.1:8101", "MANAGE=printenv ATELIER_SITE_URL #"],
        cwd=racine,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    adresses = [ligne for ligne in sortie.splitlines() if ligne.startswith("http")]
    assert adresses == ["http://127.0.0.1:8101"] * 4
