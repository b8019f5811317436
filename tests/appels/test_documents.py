"""Files of a call (cahier des charges, règlement…): attached by DGALN in the back-office,
checked by content, listed and downloadable on the public page once the call is published."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from appels import services
from appels.models import AppelACandidatures, DocumentAppel
from journal.models import EvenementAudit
from tests.factories.appels import PDF_BYTES, appel_complet, document_appel, docx, pdf

pytestmark = pytest.mark.django_db
SA = AppelACandidatures.Statut


def _ajouter_url(appel):
    return reverse("appels:gestion_appel_document_ajouter", args=[appel.pk])


def _telecharger_url(document):
    return reverse("appels:appel_document", args=[document.appel.slug, document.pk])


def _fichiers_stockes() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "appels"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- Back-office: attaching and removing ------------------------------------------------------


def test_dgaln_attaches_a_file_that_the_public_page_lists_and_serves(client, dgaln):
    appel = appel_complet(titre="AMI 2031 — Eau")
    client.force_login(dgaln)
    response = client.post(
        _ajouter_url(appel),
        {"document-titre": "Cahier des charges", "document-fichier": pdf("cahier.pdf")},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/gestion/appels/{appel.pk}/#documents")
    document = DocumentAppel.objects.get(appel=appel)
    assert (document.titre, document.format, document.taille) == (
        "Cahier des charges",
        "PDF",
        len(PDF_BYTES),
    )
    evenement = EvenementAudit.objects.get(action="appel_document_ajoute")
    assert evenement.auteur == dgaln
    assert evenement.object_id == str(appel.pk)
    assert "Cahier des charges" in evenement.resume and "cahier.pdf" in evenement.resume

    client.logout()
    html = client.get(appel.get_absolute_url()).content.decode()
    assert "Documents de l&#x27;appel" in html or "Documents de l'appel" in html
    assert "Cahier des charges" in html
    assert f"PDF – {len(PDF_BYTES)}\xa0octets" in html
    assert _telecharger_url(document) in html
    assert settings.MEDIA_URL not in html  # never the raw stored file

    response = client.get(_telecharger_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="cahier.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_office_documents_are_accepted(dgaln):
    appel = appel_complet()
    document = services.appel_document_ajouter(
        by=dgaln, appel=appel, titre="  Règlement  ", fichier=docx("reglement.docx")
    )
    assert document.titre == "Règlement"
    assert document.format == "DOCX"


@pytest.mark.parametrize(
    ("fichier", "message"),
    [
        (
            SimpleUploadedFile("cahier.pdf", b"<html><script>alert(1)</script></html>"),
            "« cahier.pdf » n&#x27;est pas d&#x27;un format accepté",
        ),
        (SimpleUploadedFile("vide.pdf", b""), "« vide.pdf » est vide."),
        (
            SimpleUploadedFile("note.docx", PDF_BYTES),
            "« note.docx » se présente comme un fichier .docx mais son contenu est un PDF",
        ),
    ],
    ids=["html-deguise", "vide", "extension-trompeuse"],
)
def test_a_refused_file_gives_a_french_message_and_keeps_the_page(client, dgaln, fichier, message):
    appel = appel_complet()
    client.force_login(dgaln)
    response = client.post(
        _ajouter_url(appel), {"document-titre": "Règlement de l'appel", "document-fichier": fichier}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    # What was typed is still there; nothing was stored or recorded.
    assert 'value="Règlement de l&#x27;appel"' in html
    assert not DocumentAppel.objects.exists()
    assert _fichiers_stockes() == []
    assert not EvenementAudit.objects.filter(action="appel_document_ajoute").exists()


def test_a_too_large_file_is_refused(client, dgaln, settings):
    settings.UPLOAD_MAX_MO = 0
    appel = appel_complet()
    client.force_login(dgaln)
    response = client.post(
        _ajouter_url(appel), {"document-titre": "Annexe", "document-fichier": pdf("annexe.pdf")}
    )
    assert response.status_code == 400
    assert "« annexe.pdf » dépasse la taille maximale de 0 Mo." in response.content.decode()
    assert not DocumentAppel.objects.exists()


def test_a_title_and_a_file_are_required(client, dgaln):
    appel = appel_complet()
    client.force_login(dgaln)
    response = client.post(_ajouter_url(appel), {"document-titre": "Sans fichier"})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    with pytest.raises(ValidationError) as error:
        services.appel_document_ajouter(by=dgaln, appel=appel, titre="   ", fichier=pdf())
    assert error.value.message_dict == {"titre": ["Donnez un titre au document."]}
    assert not DocumentAppel.objects.exists()


def test_only_dgaln_attaches_or_removes_files(pilote):
    appel = appel_complet()
    document = document_appel(appel)
    with pytest.raises(PermissionDenied):
        services.appel_document_ajouter(by=pilote, appel=appel, titre="Règlement", fichier=pdf())
    with pytest.raises(PermissionDenied):
        services.appel_document_supprimer(by=pilote, appel=appel, pk=document.pk)
    assert DocumentAppel.objects.count() == 1


def test_removing_a_file_is_audited_and_deletes_it_after_commit(
    client, dgaln, django_capture_on_commit_callbacks
):
    appel = appel_complet()
    document = document_appel(appel, titre="FAQ", name="faq.pdf")
    nom = document.fichier.name
    client.force_login(dgaln)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appels:gestion_appel_document_supprimer", args=[appel.pk, document.pk])
        )
    assert response.status_code == 302
    assert not DocumentAppel.objects.exists()
    assert not default_storage.exists(nom)
    evenement = EvenementAudit.objects.get(action="appel_document_supprime")
    assert evenement.auteur == dgaln and "FAQ" in evenement.resume
    assert client.get(_telecharger_url(document)).status_code == 404
    # A second click (the file already gone) is not an error page.
    response = client.post(
        reverse("appels:gestion_appel_document_supprimer", args=[appel.pk, document.pk]),
        follow=True,
    )
    assert response.status_code == 200
    assert "déjà été retiré" in response.content.decode()


def test_a_rolled_back_removal_keeps_the_file(dgaln):
    appel = appel_complet()
    document = document_appel(appel)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.appel_document_supprimer(by=dgaln, appel=appel, pk=document.pk)
        raise RuntimeError
    assert DocumentAppel.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(document.fichier.name)


# --- Public / draft rule ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "applicant", "pilote"])
def test_a_draft_calls_files_are_404_to_the_public(client, request, role, dgaln):
    appel = appel_complet(statut=SA.BROUILLON)
    document = document_appel(appel)
    user = request.getfixturevalue(role)
    if user is not None:
        client.force_login(user)
    assert client.get(appel.get_absolute_url()).status_code == 404
    assert client.get(_telecharger_url(document)).status_code == 404


def test_dgaln_reads_a_draft_calls_files_and_the_public_once_published(client, dgaln):
    appel = appel_complet(statut=SA.BROUILLON)
    document = document_appel(appel)
    client.force_login(dgaln)
    page = client.get(reverse("appels:gestion_appel", args=[appel.pk])).content.decode()
    assert "Cahier des charges" in page and _telecharger_url(document) in page
    assert client.get(_telecharger_url(document)).status_code == 200
    services.appel_publier(appel=appel, by=dgaln)
    client.logout()
    assert client.get(_telecharger_url(document)).status_code == 200
    assert "Cahier des charges" in client.get(appel.get_absolute_url()).content.decode()


def test_a_file_is_served_only_under_its_own_call(client):
    document = document_appel(appel_complet())
    autre = appel_complet()
    url = reverse("appels:appel_document", args=[autre.slug, document.pk])
    assert client.get(url).status_code == 404


def test_closed_and_decided_calls_keep_their_files_public(client):
    for statut in (SA.CLOS, SA.DECIDE):
        document = document_appel(appel_complet(statut=statut))
        assert client.get(_telecharger_url(document)).status_code == 200
