"""Cross-cutting rules checked by the whole-code-base review: one CSV writer, status fields
never editable in the admin, tasks queued after commit and safe to run twice, pilot actions
behind the second factor, permissions through ``rules``."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from atelier.csv import cell, csv_bytes, csv_response
from ateliers.models import Atelier
from feuilles_de_route.models import SignataireRequis
from tests import factories
from tests.factories import feuilles_de_route as fdr

PARIS = ZoneInfo("Europe/Paris")


# --- One CSV writer: French convention and no formula ----------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23", "'+33 1 23"),
        ("-abc", "'-abc"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Quintin", "Quintin"),
        (None, ""),
        (-1.62, -1.62),  # a negative longitude is data, not a formula
        (42, 42),
    ],
)
def test_cell_neutralises_formulas_and_keeps_numbers(value, expected):
    assert cell(value) == expected


def test_csv_bytes_french_convention():
    data = csv_bytes(["nom", "valeur"], [["Côte-d'Armor", -2.5], ["=1+1", None]])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text == "nom;valeur\r\nCôte-d'Armor;-2.5\r\n'=1+1;\r\n"


def test_csv_response_is_an_attachment():
    response = csv_response(filename="x.csv", header=["a"], rows=[["=b"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode("utf-8-sig") == "a\r\n'=b\r\n"


@pytest.mark.django_db
def test_open_data_csv_neutralises_a_formula_in_a_title():
    """The public export had no guard: a pilote's atelier title ran as a formula."""
    from public.exports import en_csv

    factories.AtelierFactory(
        titre='=HYPERLINK("http://mal.example")', publie=True, publie_le=timezone.now()
    )
    text = en_csv(Atelier.objects.filter(publie=True)).decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert row["atelier"] == '\'=HYPERLINK("http://mal.example")'


@pytest.mark.django_db
def test_gestion_ateliers_csv_goes_through_the_shared_writer(client, dgaln):
    factories.with_totp(dgaln)
    factories.AtelierFactory(titre="@cmd atelier")
    client.force_login(dgaln)
    response = client.get(reverse("ateliers:gestion_ateliers_csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.startswith("id;titre;")
    assert ";'@cmd atelier;" in text


# --- The admin never edits a workflow state -------------------------------------------------

STATUS_FIELDS = {
    "statut",
    "publie",
    "publie_le",
    "publiee",
    "publiee_le",
    "statut_suivi",
    "avancement",
    "version_adoptee",
}


def _admins():
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin
        for inline in model_admin.inlines:
            yield inline.model, inline(model, admin.site)


@pytest.mark.django_db
def test_no_status_field_is_editable_in_the_admin():
    request = RequestFactory().get("/admin/")
    request.user = factories.UtilisateurFactory(is_staff=True, is_superuser=True)
    editable = []
    for model, model_admin in _admins():
        if not model_admin.has_change_permission(request):
            continue  # read-only admins (versions, signatures, audit)
        names = {f.name for f in model._meta.get_fields()}
        readonly = set(model_admin.get_readonly_fields(request))
        for name in (STATUS_FIELDS & names) - readonly:
            fields = model_admin.get_fields(request)
            if name in fields:
                editable.append(f"{model.__name__}.{name}")
    assert editable == []


# --- Celery: queued after commit, safe to run twice ------------------------------------------


@pytest.mark.django_db
def test_deadline_reminders_are_queued_only_on_commit(
    django_capture_on_commit_callbacks, mailoutbox
):
    from appels.services import rappels_cloture_planifier
    from tests.factories.appels import appel_complet, candidature_complete

    cloture = dt.datetime(2026, 10, 26, 0, 0, tzinfo=PARIS)
    appel = appel_complet(ouverture=cloture - dt.timedelta(days=60), cloture=cloture)
    candidature_complete(appel=appel)
    with time_machine.travel(dt.datetime(2026, 10, 20, 9, 0, tzinfo=PARIS), tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert rappels_cloture_planifier() == 1
        assert mailoutbox == []  # nothing leaves before the transaction commits
        assert len(callbacks) == 1
        callbacks[0]()
        callbacks[0]()  # a duplicated delivery sends nothing more
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_signature_request_not_resent_once_signed(atelier, pilote, elu, password, mailoutbox):
    from feuilles_de_route.tasks import send_signature_request

    etat = fdr.etat_signataire(atelier)
    feuille = fdr.feuille_with_actions(atelier)
    version = fdr.send(feuille, pilote, elu, etat)
    from feuilles_de_route import services

    services.version_sign(version=version, by=elu, password=password)
    mailoutbox.clear()
    requis = SignataireRequis.objects.get(version=version, utilisateur=elu)
    send_signature_request(requis.pk)
    assert mailoutbox == []
    send_signature_request(SignataireRequis.objects.get(version=version, utilisateur=etat).pk)
    assert [m.to for m in mailoutbox] == [[etat.email]]


# --- Pilot actions on the roadmap need the second factor -------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("envoyer_signature", "get"),
        ("publier", "post"),
        ("rapport_demander", "post"),
    ],
)
def test_pilote_without_mfa_is_sent_to_set_it_up(client, atelier, name, method):
    pilote = factories.participant(atelier, Role.PILOTE, totp=False)
    client.force_login(pilote)
    url = reverse(f"feuilles_de_route:{name}", kwargs={"pk": atelier.pk})
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


# --- Permissions through rules, not role checks in views -------------------------------------


@pytest.mark.django_db
def test_national_follow_up_uses_its_permission(client, dgaln, pilote):
    factories.with_totp(dgaln)
    assert dgaln.has_perm("feuilles_de_route.view_suivi_national")
    assert not pilote.has_perm("feuilles_de_route.view_suivi_national")
    client.force_login(pilote)
    assert client.get(reverse("feuilles_de_route:gestion_suivi")).status_code == 403
    client.force_login(dgaln)
    assert client.get(reverse("feuilles_de_route:gestion_suivi")).status_code == 200


# --- The README names only addresses that exist ---------------------------------------------


def test_every_address_in_the_readme_resolves():
    import re
    from pathlib import Path

    from django.urls import Resolver404, resolve

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    missing = []
    for path in sorted(set(re.findall(r"`(/[^`\s]*)`", readme))):
        if path.startswith(("/usr/", "/tmp/", "/data/")):
            continue  # files, not addresses
        concrete = (
            path.replace("<slug>", "quintin").replace("<empreinte>", "a" * 64).replace("<id>", "1")
        )
        try:
            resolve(concrete.split("?")[0])
        except Resolver404:
            missing.append(path)
    assert missing == []


@pytest.mark.django_db
def test_evidence_is_read_only_in_the_admin_even_for_a_superuser():
    from feuilles_de_route.models import Signature, Version
    from journal.models import EvenementAudit

    request = RequestFactory().get("/admin/")
    request.user = factories.UtilisateurFactory(is_staff=True, is_superuser=True)
    for model in (EvenementAudit, Version, Signature):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


# --- Roles, rapporteurs and follow-up points change only through services -------------------


def _donnees_du_formulaire(response) -> dict:
    """The admin change form as the browser would post it back, unchanged."""
    data: dict = {}

    def ajouter(form) -> None:
        for name, field in form.fields.items():
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if isinstance(field.widget, MultiWidget):  # date and time, posted apart
                for i, (widget, part) in enumerate(
                    zip(field.widget.widgets, field.widget.decompress(value), strict=True)
                ):
                    data[f"{key}_{i}"] = widget.format_value(part)
                continue
            data[key] = "on" if value is True else value

    ajouter(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        ajouter(inline.formset.management_form)
        for form in inline.formset.forms:
            ajouter(form)
    return data


@pytest.fixture
def superuser(client):
    user = factories.UtilisateurFactory(is_staff=True, is_superuser=True)
    factories.with_totp(user)  # the admin asks superusers for their second factor
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_admin_cannot_give_change_or_remove_a_role(client, superuser, atelier):
    from acteurs.models import Participation

    user = factories.participant(atelier, Role.HABITANT)
    participation = Participation.objects.get(atelier=atelier, acteur__utilisateur=user)
    url = reverse("admin:acteurs_participation_change", args=[participation.pk])
    assert client.get(url).status_code == 200  # still shown
    response = client.post(
        url,
        {"acteur": participation.acteur_id, "atelier": atelier.pk, "role": Role.PILOTE},
    )
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.role == Role.HABITANT
    add = client.post(
        reverse("admin:acteurs_participation_add"),
        {"acteur": factories.ActeurFactory().pk, "atelier": atelier.pk, "role": Role.PILOTE},
    )
    assert add.status_code == 403
    delete = client.post(
        reverse("admin:acteurs_participation_delete", args=[participation.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert Participation.objects.filter(pk=participation.pk, role=Role.HABITANT).exists()


@pytest.mark.django_db
def test_admin_cannot_designate_rapporteurs(client, superuser):
    candidature = factories.CandidatureFactory()
    rapporteur = factories.DgalnFactory()
    url = reverse("admin:appels_candidature_change", args=[candidature.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="rapporteurs"' not in page.content.decode()
    data = _donnees_du_formulaire(page)
    data["rapporteurs"] = [rapporteur.pk]
    assert client.post(url, data).status_code == 403
    assert not candidature.rapporteurs.exists()


@pytest.mark.django_db
def test_admin_cannot_add_change_or_delete_a_follow_up_point(client, superuser):
    from feuilles_de_route.models import PointSuivi, StatutSuivi

    action = factories.ActionFactory()
    point = PointSuivi.objects.create(
        action=action, date=dt.date(2025, 6, 1), etat=StatutSuivi.EN_COURS, commentaire="Lancé"
    )
    url = reverse("admin:feuilles_de_route_pointsuivi_change", args=[point.pk])
    assert client.get(url).status_code == 200
    changed = {
        "action": action.pk,
        "date": "2025-06-01",
        "etat": StatutSuivi.REALISEE,
        "commentaire": "Terminé",
        "pourcentage": "100",
    }
    assert client.post(url, changed).status_code == 403
    add_url = reverse("admin:feuilles_de_route_pointsuivi_add")
    assert client.post(add_url, changed).status_code == 403
    delete_url = reverse("admin:feuilles_de_route_pointsuivi_delete", args=[point.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    point.refresh_from_db()
    assert (point.etat, point.commentaire) == (StatutSuivi.EN_COURS, "Lancé")
    assert PointSuivi.objects.count() == 1


# --- Invitations, attendance, candidatures and the rest: services only ----------------------


def _lecture_seule(client, url: str, *valeurs: str, champs: tuple[str, ...] = ()) -> str:
    """GET the change form: it answers, shows ``valeurs`` and has no input for ``champs``."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for valeur in valeurs:
        assert valeur in html
    for champ in champs:
        assert f'name="{champ}"' not in html
    return html


@pytest.mark.django_db
def test_service_only_rows_are_read_only_in_the_admin():
    from acteurs.models import Invitation, Presence
    from appels.models import Avis, Candidature
    from feuilles_de_route.models import Rapport

    request = RequestFactory().get("/admin/")
    request.user = factories.UtilisateurFactory(is_staff=True, is_superuser=True)
    for model in (Invitation, Presence, Candidature, Avis, SignataireRequis, Rapport):
        model_admin = admin.site._registry[model]
        assert model_admin.has_view_permission(request), model
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model


@pytest.mark.django_db
def test_admin_cannot_change_an_invitation_role(client, superuser, atelier, pilote):
    from acteurs.models import Invitation
    from acteurs.services import invitation_create

    invitation = invitation_create(
        atelier=atelier, by=pilote, email="invitee@example.fr", role=Role.HABITANT
    )
    url = reverse("admin:acteurs_invitation_change", args=[invitation.pk])
    _lecture_seule(
        client,
        url,
        "invitee@example.fr",
        "Habitant·e",
        champs=("role", "email", "expire_le", "statut", "acceptee_le"),
    )
    expire_le = invitation.expire_le
    changed = {
        "atelier": atelier.pk,
        "email": "autre@example.fr",
        "role": Role.PILOTE,
        "statut": Invitation.Statut.ACCEPTEE,
        "expire_le_0": "31/12/2099",
        "expire_le_1": "12:00:00",
    }
    assert client.post(url, changed).status_code == 403
    add_url = reverse("admin:acteurs_invitation_add")
    assert client.post(add_url, changed).status_code == 403
    delete_url = reverse("admin:acteurs_invitation_delete", args=[invitation.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    invitation.refresh_from_db()
    assert (invitation.email, invitation.role, invitation.statut, invitation.expire_le) == (
        "invitee@example.fr",
        Role.HABITANT,
        Invitation.Statut.ENVOYEE,
        expire_le,
    )
    assert Invitation.objects.count() == 1


@pytest.mark.django_db
def test_admin_cannot_record_or_change_attendance(client, superuser, atelier, pilote):
    from acteurs.models import Participation, Presence

    etape = factories.EtapeFactory(atelier=atelier)
    habitant = factories.participant(atelier, Role.HABITANT)
    participation = Participation.objects.get(atelier=atelier, acteur__utilisateur=habitant)
    presence = Presence.objects.create(etape=etape, participation=participation, present=True)
    url = reverse("admin:acteurs_presence_change", args=[presence.pk])
    _lecture_seule(client, url, champs=("present", "etape", "participation"))
    assert (
        client.post(url, {"etape": etape.pk, "participation": participation.pk}).status_code == 403
    )
    autre = Participation.objects.get(atelier=atelier, acteur__utilisateur=pilote)
    add_url = reverse("admin:acteurs_presence_add")
    add = client.post(add_url, {"etape": etape.pk, "participation": autre.pk, "present": "on"})
    assert add.status_code == 403
    delete_url = reverse("admin:acteurs_presence_delete", args=[presence.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert list(Presence.objects.values_list("participation", "present")) == [
        (participation.pk, True)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("statut", ["deposee", "en_instruction", "retenue", "brouillon"])
def test_admin_cannot_change_a_candidature_content(client, superuser, statut):
    """Submitted, its content is what the instruction relies on; a draft is its author's."""
    from appels.models import Candidature, PieceJointe
    from tests.factories.appels import candidature_en_etat

    candidature = candidature_en_etat(statut, porteur="CC du Porhoët")
    avant = Candidature.objects.values().get(pk=candidature.pk)
    pieces = list(PieceJointe.objects.filter(candidature=candidature).values())
    url = reverse("admin:appels_candidature_change", args=[candidature.pk])
    html = _lecture_seule(
        client,
        url,
        "CC du Porhoët",
        candidature.contact_etat_email,
        champs=("porteur", "territoire_nom", "reponses", "contact_etat_email", "region"),
    )
    assert 'name="pieces_jointes-0-DELETE"' not in html
    assert 'name="pieces_jointes-0-fichier"' not in html
    data = {
        "appel": candidature.appel_id,
        "auteur": candidature.auteur_id,
        "format_demande": candidature.format_demande,
        "territoire_nom": "Autre territoire",
        "territoire_nature": candidature.territoire_nature,
        "region": candidature.region_id,
        "departement": candidature.departement_id,
        "porteur": "Porteur corrigé",
        "contact_etat_nom": "X",
        "contact_etat_email": "x@example.fr",
        "contact_etat_service": "Y",
        "reponses": '{"1": "réécrite"}',
        "pieces_jointes-TOTAL_FORMS": "1",
        "pieces_jointes-INITIAL_FORMS": "1",
        "pieces_jointes-0-id": pieces[0]["id"],
        "pieces_jointes-0-candidature": candidature.pk,
        "pieces_jointes-0-DELETE": "on",
    }
    assert client.post(url, data).status_code == 403
    delete_url = reverse("admin:appels_candidature_delete", args=[candidature.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Candidature.objects.values().get(pk=candidature.pk) == avant
    assert list(PieceJointe.objects.filter(candidature=candidature).values()) == pieces


@pytest.mark.django_db
def test_admin_cannot_rewrite_a_reviewer_opinion(client, superuser):
    from appels.models import Avis, NoteCritere
    from tests.factories.appels import candidature_en_etat

    candidature = candidature_en_etat("en_instruction")
    critere = candidature.appel.criteres.first()
    rapporteur = factories.DgalnFactory()
    avis = Avis.objects.create(candidature=candidature, rapporteur=rapporteur, commentaire="Solide")
    note = NoteCritere.objects.create(avis=avis, critere=critere, note=4)
    url = reverse("admin:appels_avis_change", args=[avis.pk])
    _lecture_seule(client, url, "Solide", champs=("commentaire", "notes-0-note"))
    data = {
        "candidature": candidature.pk,
        "rapporteur": rapporteur.pk,
        "commentaire": "Faible",
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "1",
        "notes-0-id": note.pk,
        "notes-0-avis": avis.pk,
        "notes-0-critere": critere.pk,
        "notes-0-note": "1",
    }
    assert client.post(url, data).status_code == 403
    avis.refresh_from_db()
    note.refresh_from_db()
    assert (avis.commentaire, note.note) == ("Solide", 4)


@pytest.mark.django_db
def test_admin_cannot_change_signatories_or_a_report(client, superuser, atelier, pilote, elu):
    from feuilles_de_route.models import Qualite
    from tests.factories.public import rapport_publie

    feuille = fdr.feuille_with_actions(atelier)
    version = fdr.send(feuille, pilote, elu, fdr.etat_signataire(atelier))
    requis = SignataireRequis.objects.get(version=version, utilisateur=elu)
    url = reverse("admin:feuilles_de_route_signatairerequis_change", args=[requis.pk])
    _lecture_seule(client, url, champs=("utilisateur", "qualite"))
    data = {"version": version.pk, "utilisateur": pilote.pk, "qualite": Qualite.ETAT}
    assert client.post(url, data).status_code == 403
    delete_url = reverse("admin:feuilles_de_route_signatairerequis_delete", args=[requis.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    requis.refresh_from_db()
    assert (requis.utilisateur, requis.qualite) == (elu, Qualite.ELU)

    rapport = rapport_publie(atelier)
    url = reverse("admin:feuilles_de_route_rapport_change", args=[rapport.pk])
    _lecture_seule(client, url, rapport.empreinte, champs=("genere_le_0", "version", "atelier"))
    genere_le = rapport.genere_le
    data = {"atelier": atelier.pk, "genere_le_0": "01/01/2020", "genere_le_1": "00:00:00"}
    assert client.post(url, data).status_code == 403
    rapport.refresh_from_db()
    assert rapport.genere_le == genere_le


@pytest.mark.django_db
def test_admin_freezes_a_published_call_questions_and_nature(client, superuser):
    from appels.models import AppelACandidatures, Question
    from tests.factories.appels import appel_complet

    appel = appel_complet(nature=AppelACandidatures.Nature.SESSION)
    question = appel.questions.get()
    url = reverse("admin:appels_appelacandidatures_change", args=[appel.pk])
    page = client.get(url)
    html = page.content.decode()
    assert question.libelle in html
    assert 'name="questions-0-libelle"' not in html
    assert 'name="nature"' not in html
    data = _donnees_du_formulaire(page)
    data["titre"] = "Titre corrigé"
    data["nature"] = AppelACandidatures.Nature.A_LA_CARTE
    data["questions-0-libelle"] = "Question réécrite"
    data["questions-TOTAL_FORMS"] = "2"
    data["questions-1-libelle"] = "Question ajoutée après publication"
    data["questions-1-type"] = Question.Type.TEXTE
    data["questions-1-ordre"] = "2"
    data["questions-1-choix"] = "[]"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    appel.refresh_from_db()
    assert appel.titre == "Titre corrigé"  # the call's text is still DGALN's to edit
    assert appel.nature == AppelACandidatures.Nature.SESSION
    assert list(Question.objects.filter(appel=appel).values_list("libelle", flat=True)) == [
        question.libelle
    ]


@pytest.mark.django_db
def test_admin_still_edits_a_draft_call_questions(client, superuser):
    from appels.models import AppelACandidatures
    from tests.factories.appels import appel_complet

    appel = appel_complet(statut=AppelACandidatures.Statut.BROUILLON)
    url = reverse("admin:appels_appelacandidatures_change", args=[appel.pk])
    page = client.get(url)
    data = _donnees_du_formulaire(page)
    data["questions-0-libelle"] = "Question reformulée"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert appel.questions.get().libelle == "Question reformulée"


@pytest.mark.django_db
def test_admin_cannot_change_a_decided_call(client, superuser):
    from appels.models import AppelACandidatures

    appel = factories.AppelFactory(statut=AppelACandidatures.Statut.DECIDE, titre="AMI 2025")
    url = reverse("admin:appels_appelacandidatures_change", args=[appel.pk])
    _lecture_seule(client, url, "AMI 2025", champs=("titre",))
    assert client.post(url, {"titre": "Autre"}).status_code == 403
    appel.refresh_from_db()
    assert appel.titre == "AMI 2025"


@pytest.mark.django_db
def test_admin_cannot_replace_a_document_file(client, superuser, atelier, pilote):
    from ateliers.models import Document
    from tests.factories.ateliers import document, png

    doc = document(atelier, by=pilote, titre="Diagnostic")
    avant = (doc.fichier.name, doc.sha256, doc.version, doc.depose_par_id, doc.atelier_id)
    url = reverse("admin:ateliers_document_change", args=[doc.pk])
    page = client.get(url)
    html = page.content.decode()
    assert doc.sha256 in html
    for champ in ("fichier", "version", "serie", "depose_par", "atelier"):
        assert f'name="{champ}"' not in html
    data = _donnees_du_formulaire(page)
    data.update(
        titre="Diagnostic partagé",
        fichier=png("remplace.png"),
        version="7",
        atelier=factories.AtelierFactory().pk,
        depose_par=superuser.pk,
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    doc.refresh_from_db()
    assert doc.titre == "Diagnostic partagé"
    assert (doc.fichier.name, doc.sha256, doc.version, doc.depose_par_id, doc.atelier_id) == avant
    add = client.get(reverse("admin:ateliers_document_add"))
    assert add.status_code == 403  # documents are deposited through the atelier's pages
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_admin_cannot_provide_a_deliverable_nor_write_a_cancellation_reason(
    client, superuser, atelier, pilote
):
    from ateliers.models import Livrable
    from tests.factories.ateliers import document

    etape = factories.EtapeFactory(atelier=atelier, titre="Atelier 1")
    livrable = Livrable.objects.create(etape=etape, nature="compte_rendu")
    doc = document(atelier, by=pilote)
    url = reverse("admin:ateliers_etape_change", args=[etape.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'name="motif_annulation"' not in html
    assert 'name="livrables-0-document"' not in html
    data = _donnees_du_formulaire(page)
    data["titre"] = "Premier atelier"
    data["motif_annulation"] = "Inventé"
    data["livrables-0-document"] = doc.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    etape.refresh_from_db()
    livrable.refresh_from_db()
    assert etape.titre == "Premier atelier"
    assert (etape.motif_annulation, livrable.document) == ("", None)


@pytest.mark.django_db
def test_admin_keeps_a_roadmap_on_its_atelier_and_a_logbook_entry_with_its_author(
    client, superuser, atelier, pilote
):
    from ateliers.models import EntreeJournal

    feuille = fdr.feuille_with_actions(atelier)
    url = reverse("admin:feuilles_de_route_feuillederoute_change", args=[feuille.pk])
    page = client.get(url)
    assert 'name="atelier"' not in page.content.decode()
    data = _donnees_du_formulaire(page)
    data["atelier"] = factories.AtelierFactory().pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    feuille.refresh_from_db()
    assert feuille.atelier == atelier

    entree = EntreeJournal.objects.create(
        atelier=atelier, auteur=pilote, date=dt.date(2025, 5, 1), texte="Visite"
    )
    url = reverse("admin:ateliers_entreejournal_change", args=[entree.pk])
    page = client.get(url)
    assert 'name="auteur"' not in page.content.decode()
    data = _donnees_du_formulaire(page)
    data["auteur"] = superuser.pk
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entree.refresh_from_db()
    assert entree.auteur == pilote
    add = client.post(
        reverse("admin:ateliers_entreejournal_add"),
        {"atelier": atelier.pk, "date": "02/05/2025", "texte": "Note de DGALN"},
    )
    assert add.status_code == 302, add.context["adminform"].form.errors
    assert EntreeJournal.objects.get(texte="Note de DGALN").auteur == superuser  # not blank
