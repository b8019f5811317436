"""Factories and helpers for the atelier workspace tests."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from ateliers.models import Document

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name: str = "rapport.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def docx(name: str = "compte-rendu.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def document(atelier, *, by=None, titre="Rapport", etape=None, publie=False) -> Document:
    from ateliers.services import document_deposer

    doc = document_deposer(
        atelier=atelier,
        by=by,
        fichier=pdf(),
        titre=titre,
        categorie=Document.Categorie.RAPPORT,
        etape=etape,
    )
    if publie:
        Document.objects.filter(pk=doc.pk).update(publie=True)
        doc.publie = True
    return doc


def documents(atelier, *, by, n: int) -> Document:
    """``n`` documents "Document 0" … "Document n-1": the first deposited through the service,
    the others written in one query sharing its file (long lists, benchmarks)."""
    premier = document(atelier, by=by, titre="Document 0")
    Document.objects.bulk_create(
        Document(
            atelier=atelier,
            categorie=premier.categorie,
            titre=f"Document {i}",
            fichier=premier.fichier.name,
            nom_original=f"document-{i}.pdf",
            type_mime=premier.type_mime,
            taille=premier.taille,
            sha256=premier.sha256,
            depose_par=by,
        )
        for i in range(1, n)
    )
    return premier
