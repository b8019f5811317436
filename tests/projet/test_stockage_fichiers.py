"""Every stored file goes through ``atelier.uploads.storing_files``: a save that fails half-way
leaves no orphan file in MEDIA_ROOT and no row without its file; a replaced file is deleted
only once the replacement is committed."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from appels import services as appels_services
from appels.models import DocumentAppel, PieceJointe
from ateliers import services as ateliers_services
from ateliers.models import Document
from feuilles_de_route import services as fdr_services
from feuilles_de_route.models import Rapport
from tests.factories import feuilles_de_route as fdr
from tests.factories.appels import CandidatureFactory, appel_complet
from tests.factories.ateliers import PDF_BYTES, docx, pdf

pytestmark = pytest.mark.django_db


class Panne(Exception):
    """The failure injected after the file is written."""


def _fichiers() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _audit_en_panne(monkeypatch, module, *, exc=Panne, fois=None):
    """Make ``module.audit`` raise (every call, or only the first ``fois`` calls)."""
    audit = module.audit
    appels = []

    def panne(**kwargs):
        appels.append(kwargs)
        if fois is None or len(appels) <= fois:
            raise exc("panne simulée")
        return audit(**kwargs)

    monkeypatch.setattr(module, "audit", panne)


# --- Atelier documents ------------------------------------------------------------------------


def _deposer(atelier, pilote, **kwargs):
    return ateliers_services.document_deposer(
        atelier=atelier,
        by=pilote,
        fichier=pdf(),
        titre="Compte rendu",
        categorie=Document.Categorie.COMPTE_RENDU,
        **kwargs,
    )


def test_a_document_whose_audit_fails_leaves_no_file(monkeypatch, atelier, pilote):
    _audit_en_panne(monkeypatch, ateliers_services)
    with pytest.raises(Panne):
        _deposer(atelier, pilote)
    assert not Document.objects.exists()
    assert _fichiers() == []


def test_a_new_version_whose_audit_fails_leaves_the_first_one_whole(monkeypatch, atelier, pilote):
    premier = _deposer(atelier, pilote)
    _audit_en_panne(monkeypatch, ateliers_services)
    with pytest.raises(Panne):
        _deposer(atelier, pilote, precedent=premier)
    assert list(Document.objects.all()) == [premier]
    assert _fichiers() == [Path(premier.fichier.path)]


def test_a_retried_document_upload_leaves_one_file(monkeypatch, atelier, pilote):
    """Two uploads of a new version at once: the loser retries with the next number."""
    _audit_en_panne(monkeypatch, ateliers_services, exc=IntegrityError, fois=1)
    document = _deposer(atelier, pilote)
    assert list(Document.objects.all()) == [document]
    assert _fichiers() == [Path(document.fichier.path)]


# --- Call documents ---------------------------------------------------------------------------


def test_a_call_document_whose_audit_fails_leaves_no_file(monkeypatch, dgaln):
    appel = appel_complet()
    _audit_en_panne(monkeypatch, appels_services)
    with pytest.raises(Panne):
        appels_services.appel_document_ajouter(
            by=dgaln, appel=appel, titre="Cahier des charges", fichier=pdf("cahier.pdf")
        )
    assert not DocumentAppel.objects.exists()
    assert _fichiers() == []


# --- Candidature attachments ------------------------------------------------------------------


def _joindre(candidature, fichier):
    piece_requise = candidature.appel.pieces_requises.get()
    return appels_services.piece_jointe_ajouter(
        candidature=candidature, by=candidature.auteur, fichier=fichier, piece_requise=piece_requise
    )


def test_an_attachment_whose_audit_fails_leaves_no_file(monkeypatch):
    candidature = CandidatureFactory(appel=appel_complet())
    _audit_en_panne(monkeypatch, appels_services)
    with pytest.raises(Panne):
        _joindre(candidature, pdf())
    assert not PieceJointe.objects.exists()
    assert _fichiers() == []


def test_a_failed_replacement_keeps_the_previous_attachment_and_its_file(monkeypatch):
    candidature = CandidatureFactory(appel=appel_complet())
    ancienne = _joindre(candidature, pdf("lettre.pdf"))
    _audit_en_panne(monkeypatch, appels_services)
    with pytest.raises(Panne):
        _joindre(candidature, docx("lettre.docx"))
    assert list(PieceJointe.objects.all()) == [ancienne]
    assert _fichiers() == [Path(ancienne.fichier.path)]
    assert ancienne.fichier.read() == PDF_BYTES


def test_a_replacement_rolled_back_later_keeps_the_previous_file():
    """The replaced file goes after the commit, not inside the transaction."""
    candidature = CandidatureFactory(appel=appel_complet())
    ancienne = _joindre(candidature, pdf("lettre.pdf"))
    with pytest.raises(Panne), transaction.atomic():
        _joindre(candidature, docx("lettre.docx"))
        raise Panne
    assert list(PieceJointe.objects.all()) == [ancienne]
    assert default_storage.exists(ancienne.fichier.name)


def test_a_committed_replacement_deletes_the_previous_file(django_capture_on_commit_callbacks):
    candidature = CandidatureFactory(appel=appel_complet())
    ancienne = _joindre(candidature, pdf("lettre.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        nouvelle = _joindre(candidature, docx("lettre.docx"))
    assert not default_storage.exists(ancienne.fichier.name)
    assert list(PieceJointe.objects.all()) == [nouvelle]
    assert _fichiers() == [Path(nouvelle.fichier.path)]


def test_a_removal_rolled_back_keeps_the_attachment_file():
    candidature = CandidatureFactory(appel=appel_complet())
    piece = _joindre(candidature, pdf())
    pk, nom = piece.pk, piece.fichier.name
    with pytest.raises(Panne), transaction.atomic():
        appels_services.piece_jointe_supprimer(piece=piece, by=candidature.auteur)
        raise Panne
    assert PieceJointe.objects.filter(pk=pk).exists()
    assert default_storage.exists(nom)


# --- Restitution report (a generated file) ----------------------------------------------------


def test_a_report_whose_final_transition_fails_leaves_no_file(monkeypatch, atelier, pilote, elu):
    from feuilles_de_route import documents, rendering

    fdr.adopt(fdr.feuille_with_actions(atelier), pilote, elu, fdr.etat_signataire(atelier))
    rapport = fdr_services.rapport_request(atelier=atelier, by=pilote)
    monkeypatch.setattr(rendering, "render_rapport_pdf", lambda rapport: PDF_BYTES)
    transition = documents.transition

    def panne(**kwargs):
        if kwargs["to"] == Rapport.Statut.PRET:
            raise Panne("panne simulée")
        return transition(**kwargs)

    # The steps of every generated document live in feuilles_de_route.documents.
    monkeypatch.setattr(documents, "transition", panne)
    with pytest.raises(Panne):
        fdr_services.rapport_generate(rapport_id=rapport.pk)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.EN_COURS and not rapport.fichier
    assert _fichiers() == []
