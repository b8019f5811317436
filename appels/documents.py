"""The PDF documents of a candidature: the applicant's receipt (récépissé), the decision
letter, and the comité dossier (with the attached PDFs appended). Rendered by
:func:`atelier.pdf.render_pdf` from autoescaped templates."""

import io
import logging

from django.template.loader import render_to_string
from django.utils import timezone

from appels.models import Candidature, Question
from atelier.identite import identite
from atelier.pdf import render_pdf

logger = logging.getLogger(__name__)


def reponses_affichees(candidature: Candidature) -> list[tuple[Question, object, list]]:
    """(question, answer, files) in the call's order, for read-only pages and the PDFs."""
    pieces = list(candidature.pieces_jointes.all())
    rows = []
    for question in candidature.appel.questions.all():
        if question.type == Question.Type.FICHIER:
            rows.append((question, None, [p for p in pieces if p.question_id == question.pk]))
        else:
            rows.append((question, (candidature.reponses or {}).get(str(question.pk), ""), []))
    return rows


def recepisse_pdf(candidature: Candidature) -> bytes:
    """The receipt of a submitted candidature: the call, the territory, the instant of the
    submission in Paris time, the answers, each file's name, size and SHA-256, and the
    SHA-256 of the whole dossier (``services.empreinte_dossier``, fixed at submission)."""
    html = render_to_string(
        "appels/pdf/recepisse.html",
        {
            **identite(),
            "candidature": candidature,
            "appel": candidature.appel,
            "reponses": reponses_affichees(candidature),
            "pieces": list(candidature.pieces_jointes.all()),
            "deposee_le": timezone.localtime(candidature.deposee_le),
        },
    )
    return render_pdf(html)


def lettre_decision_pdf(candidature: Candidature) -> bytes:
    """The decision letter to the applicant (retained or not), with the motivation."""
    html = render_to_string(
        "appels/pdf/lettre_decision.html",
        {
            **identite(),
            "candidature": candidature,
            "appel": candidature.appel,
            "decidee_le": timezone.localtime(candidature.decidee_le or timezone.now()),
        },
    )
    return render_pdf(html)


def dossier_comite_pdf(candidature: Candidature, *, context: dict) -> bytes:
    """The comité dossier, followed by every attachment that is a PDF, in the listed order.

    An attachment that cannot be read as a PDF (damaged, encrypted) is left out and named
    on the dossier's last page instead of failing the whole dossier.
    """
    from pypdf import PdfReader, PdfWriter

    pieces = list(candidature.pieces_jointes.all())
    annexes, illisibles = [], []
    for piece in pieces:
        if piece.type_mime != "application/pdf":
            continue
        try:
            with piece.fichier.open("rb") as fichier:
                reader = PdfReader(io.BytesIO(fichier.read()))
                if reader.is_encrypted:
                    raise ValueError("PDF chiffré")
                annexes.append((piece, reader))
        except Exception:  # any unreadable file: listed, not appended
            logger.warning("Annexe PDF illisible : pièce %s", piece.pk, exc_info=True)
            illisibles.append(piece)
    html = render_to_string(
        "appels/gestion/candidature_pdf.html",
        {
            **context,
            **identite(),
            "candidature": candidature,
            "appel": candidature.appel,
            "pieces": pieces,
            "annexees": [p for p, _r in annexes],
            "illisibles": illisibles,
        },
    )
    principal = render_pdf(html)
    if not annexes:
        return principal
    writer = PdfWriter()
    writer.append(io.BytesIO(principal))
    for piece, reader in annexes:
        writer.append(reader, outline_item=piece.nom_original)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
