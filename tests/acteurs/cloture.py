"""What the account-closure tests share: closing through the page, the offline script."""

import html as html_lib
import importlib.util
import subprocess
from pathlib import Path

from django.test import TestCase
from django.urls import reverse

from atelier import signing
from tests import factories

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verifier_sceau.py"


def script():
    """``scripts/verifier_sceau.py``, loaded as a module."""
    spec = importlib.util.spec_from_file_location("verifier_sceau", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cles() -> dict:
    """The published public keys, as the script reads them."""
    return {
        k.identifiant: {"cle": k.raw, "du": k.valide_du, "au": k.valide_au}
        for k in signing.public_keys()
    }


def pdftotext(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def verifier_page(client, empreinte: str) -> str:
    """The text of /verifier/<empreinte>/ (200)."""
    response = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": empreinte}))
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def atelier_public(atelier, pilote) -> None:
    """The atelier under way and published (its published documents are then public)."""
    from ateliers.models import Atelier
    from ateliers.services import atelier_publier

    Atelier.objects.filter(pk=atelier.pk).update(statut=Atelier.Statut.EN_COURS)
    atelier.refresh_from_db()
    atelier_publier(atelier=atelier, by=pilote, publie=True)


def published_report(atelier, pilote):
    """A ready restitution report, published with its atelier."""
    from feuilles_de_route import services
    from feuilles_de_route.models import Rapport

    atelier_public(atelier, pilote)
    with TestCase.captureOnCommitCallbacks(execute=True):
        rapport = services.rapport_request(atelier=atelier, by=pilote)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET
    services.rapport_publish(rapport=rapport, by=pilote)
    return rapport


def close(client, user) -> None:
    """``user`` closes their account on the page (what is owed on commit runs)."""
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("acteurs:cloturer_compte"),
            {"password": factories.PASSWORD, "confirmation": "on"},
        )
    assert response.status_code == 302
    client.logout()
