"""Factories and helpers for calls and candidatures (issue 4)."""

import datetime as dt
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from appels.models import Candidature, Critere, DocumentAppel, PieceJointe, PieceRequise, Question
from tests.factories import AppelFactory, CandidatureFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "deliberation.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name: str = "carte.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def docx(name: str = "note.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    appel = factory.SubFactory(AppelFactory)
    libelle = factory.Sequence(lambda n: f"Question {n} : quels enjeux ?")
    type = Question.Type.TEXTE_LONG
    ordre = factory.Sequence(int)


class PieceRequiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PieceRequise

    appel = factory.SubFactory(AppelFactory)
    libelle = factory.Sequence(lambda n: f"Délibération {n}")


class CritereFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Critere

    appel = factory.SubFactory(AppelFactory)
    libelle = factory.Sequence(lambda n: f"Critère {n}")


def appel_complet(**kwargs):
    """A published call with one required question, one required document, two criteria."""
    appel = AppelFactory(**kwargs)
    QuestionFactory(appel=appel, libelle="Quels sont les enjeux du territoire ?")
    PieceRequiseFactory(appel=appel, libelle="Lettre d'engagement des élus")
    CritereFactory(appel=appel, libelle="Portage politique")
    CritereFactory(appel=appel, libelle="Caractère démonstratif")
    return appel


def document_appel(appel, titre: str = "Cahier des charges", name: str = "cahier.pdf"):
    """A file attached to ``appel`` (fixtures only; code uses ``appel_document_ajouter``)."""
    document = DocumentAppel(
        appel=appel,
        titre=titre,
        nom_original=name,
        type_mime="application/pdf",
        taille=len(PDF_BYTES),
        sha256="0" * 64,
    )
    document.fichier.save(name, pdf(name), save=False)
    document.save()
    return document


def candidature_complete(appel=None, **kwargs) -> Candidature:
    """A draft with every required answer and document, ready to be submitted."""
    appel = appel or appel_complet()
    candidature = CandidatureFactory(appel=appel, **kwargs)
    reponses = {}
    for question in appel.questions.all():
        if question.type == Question.Type.FICHIER:
            _attach(candidature, question=question)
        else:
            reponses[str(question.pk)] = "Réponse détaillée, avec des accents : été, œuvre."
    Candidature.objects.filter(pk=candidature.pk).update(reponses=reponses)
    candidature.reponses = reponses
    for piece in appel.pieces_requises.all():
        _attach(candidature, piece_requise=piece)
    return candidature


def _attach(candidature, **target) -> PieceJointe:
    piece = PieceJointe(
        candidature=candidature,
        nom_original="piece.pdf",
        type_mime="application/pdf",
        taille=len(PDF_BYTES),
        sha256="0" * 64,
        **target,
    )
    piece.fichier.save("piece.pdf", pdf(), save=False)
    piece.save()
    return piece


def candidature_en_etat(statut: str, appel=None, **kwargs) -> Candidature:
    """A candidature put directly in ``statut`` (fixtures only; code uses the services)."""
    candidature = candidature_complete(appel=appel, **kwargs)
    updates = {"statut": statut}
    if statut != Candidature.Statut.BROUILLON:
        updates["deposee_le"] = timezone.now() - dt.timedelta(days=1)
    Candidature.objects.filter(pk=candidature.pk).update(**updates)
    candidature.refresh_from_db()
    return candidature
