"""ZIP containers that cost the server: a 1 MB upload inflating to 1 GiB, a directory of
thousands of entries. The type check reads a few hundred bytes at most, refuses excessive
archives with a French message naming the file, and runs once per upload."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appels.models import PieceJointe
from atelier import uploads
from ateliers import services as s
from ateliers.models import Document
from tests.factories.appels import candidature_complete
from tests.factories.ateliers import pdf

pytestmark = pytest.mark.django_db

GIB = 1024 * 1024 * 1024


@pytest.fixture(scope="module")
def bombe() -> bytes:
    """An "ODT" whose ``mimetype`` member inflates to 1 GiB (about 1 MB compressed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("mimetype", "w") as member:
            zeros = bytes(1024 * 1024)
            for _ in range(GIB // len(zeros)):
                member.write(zeros)
        archive.writestr("content.xml", "<office:document/>")
    data = buffer.getvalue()
    assert len(data) < 2 * 1024 * 1024
    return data


def _deposer_piece(client, candidature, fichier):
    # Attaching a file is a submission of the whole draft (« Joindre »).
    piece = candidature.appel.pieces_requises.first()
    return client.post(
        reverse("appels:candidater", args=[candidature.appel.slug]),
        {f"piece_p{piece.pk}": fichier, "action": "joindre"},
        follow=True,
    )


def test_zip_bomb_on_a_draft_candidature_is_refused_in_bounded_memory(client, applicant, bombe):
    candidature = candidature_complete(auteur=applicant)
    PieceJointe.objects.filter(candidature=candidature).delete()
    client.force_login(applicant)
    tracemalloc.start()
    try:
        response = _deposer_piece(client, candidature, SimpleUploadedFile("note.odt", bombe))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} Mio alloués"
    html = response.content.decode()
    assert "« note.odt » est une archive anormale" in html
    assert not PieceJointe.objects.filter(candidature=candidature).exists()


def _archive(entries: int, *, name: str = "word/x.xml") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(entries):
            archive.writestr(f"{name}{i}", "")
    return buffer.getvalue()


def test_too_many_entries_refused_a_normal_docx_accepted():
    with pytest.raises(uploads.ValidationError, match="archive anormale"):
        uploads.check_upload(SimpleUploadedFile("a.docx", _archive(uploads.ZIP_MAX_ENTRIES + 1)))
    assert uploads.check_upload(SimpleUploadedFile("b.docx", _archive(40))).mime == uploads.DOCX


def test_excessive_compression_ratio_refused():
    """Over 1 MiB inflated from a few kilobytes: no office document looks like that."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"a" * (uploads.ZIP_RATIO_FROM + 1))
    with pytest.raises(uploads.ValidationError, match="archive anormale"):
        uploads.check_upload(SimpleUploadedFile("c.docx", buffer.getvalue()))


def test_an_upload_is_checked_once(client, atelier, pilote, monkeypatch):
    s.atelier_demarrer(atelier=atelier, by=pilote)
    calls = []
    real = uploads._check
    monkeypatch.setattr(uploads, "_check", lambda f: calls.append(f.name) or real(f))
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:documents", args=[atelier.pk]),
        {"fichier": pdf("cr.pdf"), "titre": "Compte rendu", "categorie": "rapport"},
    )
    assert response.status_code == 302 and Document.objects.count() == 1
    assert calls == ["cr.pdf"]
