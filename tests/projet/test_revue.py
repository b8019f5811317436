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
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from atelier.csv import cell, csv_bytes, csv_response
from ateliers.models import Atelier
from feuilles_de_route.models import SignataireRequis
from tests import factories
from tests import factories_fdr as fdr

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
    from territoires.exports import en_csv

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
    from ateliers.services.appels import rappels_cloture_planifier
    from tests.factories_appels import appel_complet, candidature_complete

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

    services.version_sign(version=version, by=elu, capacite="Maire", password=password)
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
        concrete = path.replace("<slug>", "quintin").replace("<empreinte>", "a" * 64)
        try:
            resolve(concrete.split("?")[0])
        except Resolver404:
            missing.append(path)
    assert missing == []


@pytest.mark.django_db
def test_evidence_is_read_only_in_the_admin_even_for_a_superuser():
    from acteurs.models import EvenementAudit
    from feuilles_de_route.models import Signature, Version

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
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
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
    url = reverse("admin:ateliers_candidature_change", args=[candidature.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="rapporteurs"' not in page.content.decode()
    data = _donnees_du_formulaire(page)
    data["porteur"] = "Porteur corrigé"
    data["rapporteurs"] = [rapporteur.pk]
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    candidature.refresh_from_db()
    assert candidature.porteur == "Porteur corrigé"  # the rest of the form still saves
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
