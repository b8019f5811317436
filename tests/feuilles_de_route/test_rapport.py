"""The restitution report: generation by the Celery task, idempotence, failure and retry."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from feuilles_de_route import services
from feuilles_de_route.models import Rapport, Signature
from feuilles_de_route.tasks import generate_rapport

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_report_contains_territory_actions_hashes(
    atelier, pilote, adoptee, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rapport = services.rapport_request(atelier=atelier, by=pilote)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET
    content = rapport.fichier.read()
    (tmp_path / "r.pdf").write_bytes(content)
    import os

    if os.environ.get("FDR_KEEP_PDF"):
        open(os.environ["FDR_KEEP_PDF"], "wb").write(content)
    text = pdf_text(content)
    flat = "".join(text.split())
    assert atelier.territoire.nom in text
    assert "Action 1.1" in text and "Action 2.2" in text
    assert adoptee.empreinte in flat
    for signature in Signature.objects.filter(version=adoptee):
        assert signature.sceau in flat
    import hashlib

    assert rapport.empreinte == hashlib.sha256(content).hexdigest()
    assert rapport.taille == len(content)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 6
    assert "Page 2 / " in pdf_text(content)
