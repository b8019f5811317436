"""Applying: drafts kept between saves, uploads checked by content, submission, read-only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appels.models import Candidature, PieceJointe
from tests.factories import AppelFactory, UtilisateurFactory
from tests.factories.appels import (
    PDF_BYTES,
    appel_complet,
    candidature_complete,
    docx,
    pdf,
    png,
)

pytestmark = pytest.mark.django_db


def _data(appel, **overrides):
    question = appel.questions.first()
    data = {
        "format_demande": "multisite",
        "territoire_nom": "Communauté de communes du Val d'Émeraude",
        "territoire_nature": "epci",
        "territoire_siren": "200069409",
        "region": "53",
        "departement": "22",
        "porteur": "CC du Val d'Émeraude",
        "contact_etat_nom": "Claire Martin",
        "contact_etat_email": "claire.martin@developpement-durable.gouv.fr",
        "contact_etat_service": "DDTM des Côtes-d'Armor",
        "resume": "",
        f"q_{question.pk}": "",
    }
    data.update(overrides)
    return data


def _ids(data):
    from territoires.models import Departement, Region

    data = dict(data)
    data["region"] = Region.objects.get(code=data["region"]).pk
    data["departement"] = Departement.objects.get(code=data["departement"]).pk
    return data


def test_anonymous_is_sent_to_login(client):
    appel = appel_complet()
    response = client.get(reverse("appels:candidater", args=[appel.slug]))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_draft_is_kept_between_saves_then_submitted(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    appel = appel_complet()
    url = reverse("appels:candidater", args=[appel.slug])
    client.force_login(applicant)
    question = appel.questions.first()

    response = client.post(url, _ids(_data(appel)) | {"action": "enregistrer"})
    assert response.status_code == 302
    candidature = Candidature.objects.get(auteur=applicant)
    assert candidature.statut == "brouillon"

    # Second visit: the saved values are there; add the answer.
    page = client.get(url).content.decode()
    assert "Val d&#x27;Émeraude" in page
    client.post(
        url,
        _ids(_data(appel, **{f"q_{question.pk}": "Reconquérir les centres-bourgs."}))
        | {"action": "enregistrer"},
    )
    candidature.refresh_from_db()
    assert candidature.reponses[str(question.pk)] == "Reconquérir les centres-bourgs."

    # « Vérifier et déposer » saves the draft and shows the recap, which says what is missing.
    response = client.post(
        url,
        _ids(_data(appel, **{f"q_{question.pk}": "Reconquérir les centres-bourgs."}))
        | {"action": "verifier"},
    )
    recap = reverse("appels:candidature_recapitulatif", args=[appel.slug])
    assert response.status_code == 302 and response["Location"] == recap
    piece = appel.pieces_requises.first()
    html = client.get(recap).content.decode()
    assert f'href="{url}#id_piece_p{piece.pk}"' in html and "Déposer ma candidature" not in html

    # The file is attached with the whole form: the answer typed with it is kept too.
    response = client.post(
        url,
        _ids(_data(appel, **{f"q_{question.pk}": "Reconquérir les centres-bourgs, vite."}))
        | {"action": "joindre", f"piece_p{piece.pk}": pdf("lettre-élus.pdf")},
    )
    assert response.status_code == 302
    assert candidature.pieces_jointes.get().nom_original == "lettre-élus.pdf"
    candidature.refresh_from_db()
    assert candidature.reponses[str(question.pk)] == "Reconquérir les centres-bourgs, vite."

    html = client.get(recap).content.decode()
    assert "lettre-élus.pdf" in html and "Déposer ma candidature" in html
    # Depositing needs the declaration ticked.
    assert client.post(recap, {}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(recap, {"certifie": "1"})
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert candidature.statut == "deposee" and candidature.deposee_le
    assert len(mailoutbox) == 1 and "Candidature reçue" in mailoutbox[0].subject
    assert mailoutbox[0].attachments[0][0] == f"recepisse-{candidature.pk}.pdf"

    # Read-only afterwards: the form redirects to the read-only page; a forged POST changes nothing.
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("appels:ma_candidature", args=[candidature.pk])
    client.post(url, _ids(_data(appel, porteur="Autre porteur")) | {"action": "enregistrer"})
    client.post(recap, {"certifie": "1"})
    candidature.refresh_from_db()
    assert candidature.porteur == "CC du Val d'Émeraude" and candidature.statut == "deposee"
    page = client.get(reverse("appels:ma_candidature", args=[candidature.pk])).content.decode()
    assert "Déposée" in page and "Reconquérir les centres-bourgs, vite." in page


def test_submitting_twice_is_refused_without_change(client, applicant):
    candidature = candidature_complete(auteur=applicant)
    from appels.services import candidature_deposer

    candidature_deposer(candidature=candidature, by=applicant)
    from atelier.workflow import TransitionError

    with pytest.raises(TransitionError, match="déjà été déposée"):
        candidature_deposer(candidature=candidature, by=applicant)


def test_someone_elses_candidature_is_not_reachable(client, applicant):
    other = candidature_complete()
    client.force_login(applicant)
    assert client.get(reverse("appels:ma_candidature", args=[other.pk])).status_code == 404
    piece = other.pieces_jointes.first()
    assert client.get(reverse("appels:candidature_piece", args=[piece.pk])).status_code == 404
    # Their own draft's form cannot remove the other's file.
    client.post(
        reverse("appels:candidater", args=[other.appel.slug]),
        _ids(_data(other.appel)) | {"action": f"retirer-{piece.pk}"},
    )
    assert PieceJointe.objects.filter(pk=piece.pk).exists()
    assert client.get(reverse("appels:recepisse", args=[other.pk])).status_code == 404
    from django.core.exceptions import PermissionDenied

    from appels.services import candidature_deposer

    with pytest.raises(PermissionDenied):
        candidature_deposer(candidature=other, by=applicant)
    other.refresh_from_db()
    assert other.statut == "brouillon"


def test_invalid_identification_keeps_what_was_typed(client, applicant):
    appel = appel_complet()
    client.force_login(applicant)
    response = client.post(
        reverse("appels:candidater", args=[appel.slug]),
        _ids(_data(appel, departement="75", territoire_siren="12")) | {"action": "enregistrer"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "n&#x27;est pas dans la région" in html
    assert "Le SIREN compte 9 chiffres." in html
    assert "Val d&#x27;Émeraude" in html  # nothing lost
    assert not Candidature.objects.exists()


def test_a_draft_call_is_not_public(client, applicant):
    appel = AppelFactory(statut="brouillon")
    assert client.get(appel.get_absolute_url()).status_code == 404
    client.force_login(applicant)
    assert client.get(reverse("appels:candidater", args=[appel.slug])).status_code == 404


def test_a_closed_call_says_so(client):
    import datetime as dt

    from django.utils import timezone

    appel = appel_complet(
        ouverture=timezone.now() - dt.timedelta(days=30),
        cloture=timezone.now() - dt.timedelta(minutes=1),
    )
    html = client.get(appel.get_absolute_url()).content.decode()
    assert "Cet appel est clos" in html and "Candidater" not in html.split("appel-clos")[1]
    listing = client.get(reverse("appels:appels")).content.decode()
    passes = listing.split("Appels passés")[1]
    assert appel.titre in passes


# --- Uploads checked by content --------------------------------------------------------------


def _upload(client, appel, fichier):
    """Choose a file for the first required piece and press « Joindre »: the whole draft as
    the page shows it goes with it."""
    from appels.views import _initial

    candidature = Candidature.objects.get(appel=appel, statut="brouillon")
    data = {k: v for k, v in _initial(candidature).items() if v is not None}
    piece = appel.pieces_requises.first()
    return client.post(
        reverse("appels:candidater", args=[appel.slug]),
        data | {"action": "joindre", f"piece_p{piece.pk}": fichier},
        follow=True,
    )


@pytest.mark.parametrize(
    ("fichier", "raison"),
    [
        (SimpleUploadedFile("plan.png", PDF_BYTES), "son contenu est un PDF"),
        (SimpleUploadedFile("page.pdf", b"<!DOCTYPE html><html><body>x</body></html>"), "format"),
        (
            SimpleUploadedFile(
                "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'
            ),
            "format",
        ),
        (SimpleUploadedFile("vide.pdf", b""), "est vide"),
        (SimpleUploadedFile("archive.docx", b"PK\x03\x04garbage"), "format"),
    ],
    ids=["pdf-named-png", "html-renamed-pdf", "svg", "empty", "fake-docx"],
)
def test_forged_uploads_are_refused_with_the_file_name(client, applicant, fichier, raison):
    candidature = candidature_complete(auteur=applicant)
    PieceJointe.objects.filter(candidature=candidature).delete()
    client.force_login(applicant)
    response = _upload(client, candidature.appel, fichier)
    html = response.content.decode()
    assert f"« {fichier.name} »" in html
    assert raison in html
    assert not PieceJointe.objects.filter(candidature=candidature).exists()
    candidature.refresh_from_db()
    assert candidature.reponses  # draft intact


def test_oversize_upload_is_refused(client, applicant, settings):
    settings.UPLOAD_MAX_MO = 1
    candidature = candidature_complete(auteur=applicant)
    client.force_login(applicant)
    big = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"0" * (1024 * 1024))
    html = _upload(client, candidature.appel, big).content.decode()
    assert "« gros.pdf » dépasse la taille maximale de 1 Mo." in html


@pytest.mark.parametrize("fichier", [pdf, png, docx], ids=["pdf", "png", "docx"])
def test_genuine_files_are_accepted_and_served_only_to_allowed_people(
    client, applicant, dgaln, fichier
):
    candidature = candidature_complete(auteur=applicant)
    client.force_login(applicant)
    upload = fichier()
    _upload(client, candidature.appel, upload)
    piece = candidature.pieces_jointes.get(nom_original=upload.name)
    url = reverse("appels:candidature_piece", args=[piece.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(UtilisateurFactory())
    assert client.get(url).status_code == 404
    client.force_login(dgaln)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
    # Not under a public media URL either: the file lives outside STATIC and has no route.
    assert client.get(piece.fichier.url).status_code == 404


def test_the_a_la_carte_call_accepts_a_new_candidature_after_one_is_submitted(client, applicant):
    appel = appel_complet(nature="a_la_carte", session=None, cloture=None)
    first = candidature_complete(appel=appel, auteur=applicant, format_demande="local")
    Candidature.objects.filter(pk=first.pk).update(statut="deposee", deposee_le=first.cree_le)
    client.force_login(applicant)
    url = reverse("appels:candidater", args=[appel.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="Communauté de communes candidate"' not in response.content.decode()
    response = client.post(
        url, _ids(_data(appel, format_demande="flash")) | {"action": "enregistrer"}
    )
    assert response.status_code == 302
    assert Candidature.objects.filter(auteur=applicant).count() == 2
    # A format the call does not offer is refused by the form.
    response = client.post(url, _ids(_data(appel, format_demande="multisite")))
    assert response.status_code == 400


def test_public_pages_have_a_constant_number_of_queries(client, django_assert_max_num_queries):
    import datetime as dt

    from django.utils import timezone

    for i in range(12):
        appel_complet(
            ouverture=timezone.now() - dt.timedelta(days=100 + i),
            cloture=timezone.now() - dt.timedelta(days=i + 1) if i % 2 else None,
        )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("appels:appels"))
    assert response.status_code == 200
    url = reverse("appels:appel", args=[appel_complet().slug])
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_a_second_first_save_writes_into_the_same_draft(applicant):
    from appels.services import candidature_enregistrer
    from territoires.models import Departement, Region

    appel = appel_complet()
    data = {
        "format_demande": "multisite",
        "territoire_nom": "Pays de Redon",
        "territoire_nature": "epci",
        "region": Region.objects.get(code="53"),
        "departement": Departement.objects.get(code="22"),
        "porteur": "Redon Agglomération",
        "contact_etat_nom": "Claire Martin",
        "contact_etat_email": "claire@developpement-durable.gouv.fr",
        "contact_etat_service": "DDTM",
    }
    first = candidature_enregistrer(appel=appel, by=applicant, data=data, reponses={})
    # A second request that did not see the first draft (double click) reuses it.
    second = candidature_enregistrer(
        appel=appel, by=applicant, data=data | {"porteur": "Redon Agglo"}, reponses={}
    )
    assert first.pk == second.pk
    assert Candidature.objects.get().porteur == "Redon Agglo"
