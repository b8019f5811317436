"""What the account-closure tests share: closing through the page, the offline script."""

import importlib.util
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
