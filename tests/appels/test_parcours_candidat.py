"""The applicant's journey (issue 14): a draft always saved, files attached with the whole
form, recap, receipt with hashes, timeline, withdrawal, calls to come."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from appels import services
from appels.models import AppelACandidatures, Candidature
from atelier.workflow import TransitionError
from journal.models import EvenementAudit
from tests.factories.appels import appel_complet, candidature_complete, candidature_en_etat, pdf

pytestmark = pytest.mark.django_db

S = Candidature.Statut


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_half_empty_draft_is_saved(client, applicant):
    """Before: refused until the porteur and the three DDT/DREAL contact fields were filled."""
    appel = appel_complet()
    client.force_login(applicant)
    url = reverse("appels:candidater", args=[appel.slug])
    response = client.post(url, {"territoire_nom": "Pays de Redon", "action": "enregistrer"})
    assert response.status_code == 302
    candidature = Candidature.objects.get(auteur=applicant)
    assert candidature.territoire_nom == "Pays de Redon" and candidature.porteur == ""
    # Even nothing at all is a draft; what is missing is listed, with a link to each field.
    html = client.get(url).content.decode()
    assert 'href="#id_porteur"' in html and 'href="#id_contact_etat_email"' in html
    with pytest.raises(TransitionError, match="Collectivité porteuse"):
        services.candidature_deposer(candidature=candidature, by=applicant)


def test_required_fields_are_marked_and_optional_ones_say_so(client, applicant):
    appel = appel_complet()
    client.force_login(applicant)
    html = client.get(reverse("appels:candidater", args=[appel.slug])).content.decode()
    label_porteur = html.split('for="id_porteur"')[1].split("</label>")[0]
    label_siren = html.split('for="id_territoire_siren"')[1].split("</label>")[0]
    assert "Collectivité porteuse" in label_porteur and "Optionnel" not in label_porteur
    assert "Optionnel" in label_siren


def test_the_error_summary_links_each_faulty_field(client, applicant):
    appel = appel_complet()
    client.force_login(applicant)
    response = client.post(
        reverse("appels:candidater", args=[appel.slug]),
        {
            "territoire_siren": "12",
            "contact_etat_email": "pas-une-adresse",
            "action": "enregistrer",
        },
    )
    assert response.status_code == 400
    summary = response.content.decode().split('id="erreurs-candidature"')[1].split("</div>")[0]
    assert 'href="#id_territoire_siren"' in summary and "Le SIREN compte 9 chiffres." in summary
    assert 'href="#id_contact_etat_email"' in summary


def test_a_refused_file_keeps_the_answer_typed_with_it(client, applicant):
    appel = appel_complet()
    question, piece = appel.questions.first(), appel.pieces_requises.first()
    client.force_login(applicant)
    response = client.post(
        reverse("appels:candidater", args=[appel.slug]),
        {
            f"q_{question.pk}": "Nos enjeux : l'eau.",
            f"piece_p{piece.pk}": SimpleUploadedFile("faux.pdf", b"<html></html>"),
            "action": "joindre",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nos enjeux : l&#x27;eau." in html
    assert f'href="#id_piece_p{piece.pk}"' in html and "« faux.pdf »" in html
    candidature = Candidature.objects.get(auteur=applicant)
    assert candidature.reponses[str(question.pk)] == "Nos enjeux : l'eau."
    assert not candidature.pieces_jointes.exists()


def test_removing_a_file_saves_what_was_typed(client, applicant):
    candidature = candidature_complete(auteur=applicant)
    appel, question = candidature.appel, candidature.appel.questions.first()
    piece = candidature.pieces_jointes.get()
    client.force_login(applicant)
    response = client.post(
        reverse("appels:candidater", args=[appel.slug]),
        {f"q_{question.pk}": "Réécrit avant de retirer.", "action": f"retirer-{piece.pk}"},
    )
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert not candidature.pieces_jointes.exists()
    assert candidature.reponses[str(question.pk)] == "Réécrit avant de retirer."


def test_the_receipt_pdf_has_the_hashes_and_the_paris_time(client, applicant):
    candidature = candidature_complete(auteur=applicant)
    depot = timezone.now().replace(second=0, microsecond=0)
    services.candidature_deposer(candidature=candidature, by=applicant, now=depot)
    heure_paris = timezone.localtime(depot).strftime("%H:%M")
    assert heure_paris != depot.strftime("%H:%M")  # Paris is never on UTC
    candidature.refresh_from_db()
    assert len(candidature.empreinte_depot) == 64
    client.force_login(applicant)
    response = client.get(reverse("appels:recepisse", args=[candidature.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    compact = "".join(text.split())
    assert candidature.empreinte_depot in compact
    assert "0" * 64 in compact  # the attachment's SHA-256
    assert heure_paris in text and "heure de Paris" in text
    assert candidature.appel.titre in text and candidature.territoire_nom in text
    page = client.get(reverse("appels:ma_candidature", args=[candidature.pk])).content.decode()
    assert reverse("appels:recepisse", args=[candidature.pk]) in page


def test_the_dossier_hash_follows_its_content():
    candidature = candidature_complete()
    before = services.empreinte_dossier(candidature)
    assert services.empreinte_dossier(candidature) == before
    candidature.reponses = {**candidature.reponses, "x": "autre"}
    piece = candidature.pieces_jointes.get()
    piece.sha256 = "1" * 64
    piece.save()
    assert services.empreinte_dossier(candidature) != before


def test_the_timeline_shows_each_step_with_its_date(client, applicant, dgaln):
    candidature = candidature_complete(auteur=applicant)
    services.candidature_deposer(candidature=candidature, by=applicant)
    services.candidature_statuer_recevabilite(candidature=candidature, by=dgaln, recevable=True)
    client.force_login(applicant)
    html = client.get(reverse("appels:ma_candidature", args=[candidature.pk])).content.decode()
    timeline = html.split('id="chronologie"')[1].split("</ol>")[0]
    assert "<strong>Déposée</strong> — le" in timeline
    assert "<strong>Recevable</strong> — le" in timeline
    assert "En instruction — à venir" in timeline and "Décision — à venir" in timeline


def test_the_applicant_withdraws_before_the_decision_only(client, applicant):
    candidature = candidature_en_etat(S.EN_INSTRUCTION, auteur=applicant)
    client.force_login(applicant)
    url = reverse("appels:candidature_retirer", args=[candidature.pk])
    response = client.post(url, {"motif": "Le conseil a changé d'avis."})
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert candidature.statut == S.RETIREE and candidature.retiree_le
    row = EvenementAudit.objects.get(action="candidature_retiree")
    assert row.resume == "Le conseil a changé d'avis."
    decided = candidature_en_etat(S.RETENUE, auteur=applicant)
    page = client.get(reverse("appels:ma_candidature", args=[decided.pk])).content.decode()
    assert "Retirer ma candidature" not in page
    client.post(reverse("appels:candidature_retirer", args=[decided.pk]))
    decided.refresh_from_db()
    assert decided.statut == S.RETENUE


def test_the_decision_letter_is_downloadable_once_decided(client, applicant):
    candidature = candidature_en_etat(S.EN_INSTRUCTION, auteur=applicant)
    client.force_login(applicant)
    url = reverse("appels:lettre_decision", args=[candidature.pk])
    assert client.get(url).status_code == 404
    Candidature.objects.filter(pk=candidature.pk).update(
        statut=S.NON_RETENUE,
        motivation_decision="Le projet manque de portage.",
        decidee_le=timezone.now(),
    )
    response = client.get(url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "n'est pas retenue" in text.replace("’", "'") and "manque de portage" in text


def test_a_call_opening_later_is_shown_under_a_venir(client):
    futur = appel_complet(
        titre="AMI 2027 — sobriété foncière",
        ouverture=timezone.now() + dt.timedelta(days=30),
        cloture=timezone.now() + dt.timedelta(days=90),
        statut=AppelACandidatures.Statut.PUBLIE,
    )
    listing = client.get(reverse("appels:appels")).content.decode()
    assert futur.titre in listing.split("À venir")[1].split("Appels passés")[0]
    home = client.get("/").content.decode()
    assert futur.titre in home.split('id="appels-a-venir"')[1]
    # A draft call opening later stays private.
    brouillon = appel_complet(
        titre="Brouillon secret",
        ouverture=timezone.now() + dt.timedelta(days=30),
        cloture=timezone.now() + dt.timedelta(days=90),
        statut=AppelACandidatures.Statut.BROUILLON,
    )
    assert brouillon.titre not in client.get(reverse("appels:appels")).content.decode()


def test_a_file_attached_without_javascript_is_one_submission(client, applicant):
    """The attach button is a submit button of the candidature form itself."""
    appel = appel_complet()
    client.force_login(applicant)
    html = client.get(reverse("appels:candidater", args=[appel.slug])).content.decode()
    form = html.split('id="form-candidature"')[1].split("</form>")[0]
    assert 'name="action" value="joindre"' in form and 'type="file"' in form
    assert 'enctype="multipart/form-data"' in html.split('id="form-candidature"')[0][-200:]
    response = client.post(
        reverse("appels:candidater", args=[appel.slug]),
        {
            "territoire_nom": "Val d'Émeraude",
            f"piece_p{appel.pieces_requises.get().pk}": pdf("lettre.pdf"),
            "action": "joindre",
        },
    )
    assert response.status_code == 302
    candidature = Candidature.objects.get(auteur=applicant)
    assert candidature.territoire_nom == "Val d'Émeraude"
    assert candidature.pieces_jointes.get().nom_original == "lettre.pdf"
