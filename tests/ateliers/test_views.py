"""Views of the atelier workspace and of /gestion/ateliers/: access, bad input, rendering,
query counts, CSV export."""

import csv
import datetime as dt
import io
import json
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Participation, Role
from ateliers import services as s
from ateliers.formats import Format, NatureLivrable
from ateliers.models import Atelier, Document, EntreeJournal, Etape, Livrable, SiteDemonstrateur
from tests import factories
from tests.factories.ateliers import document, pdf, png
from tests.factories.public import feuille_publiee

pytestmark = pytest.mark.django_db


@pytest.fixture
def en_cours(atelier, pilote):
    s.atelier_demarrer(atelier=atelier, by=pilote)
    return atelier


def url(name, atelier, *args):
    return reverse(f"ateliers:{name}", args=[atelier.pk, *args])


# --- Overview -------------------------------------------------------------------------------


def test_overview_shows_header_timeline_counts_team_and_history(client, en_cours, pilote, equipe):
    equipe.acteur.specialite = "paysagiste"
    equipe.acteur.save()
    client.force_login(pilote)
    response = client.get(url("atelier", en_cours))
    assert response.status_code == 200
    html = response.content.decode()
    assert en_cours.territoire.nom in html
    assert "Local — 10 à 12 mois, 3 ateliers" in html
    assert "En cours" in html
    assert "DDT des Côtes-d&#x27;Armor" in html
    assert "Atelier 1 — prise de connaissance" in html
    assert "Paysagiste" in html
    assert 'id="comptes-acteurs"' in html
    assert "Historique" in html  # audit history for the pilote
    assert 'id="barre-avancement"' in html


def test_first_steps_count_participants_from_the_overview_counts(
    client, atelier, pilote, equipe, django_assert_max_num_queries
):
    """« Inviter les participants » is done once two people other than the pilote and the
    team take part, or an invitation other than the pilote's was sent; the counts come from
    the query of the table of actors (no query of their own)."""

    def premiers_pas():
        html = client.get(url("atelier", atelier)).content.decode()
        return html.split('id="premiers-pas"')[1].split("</div>")[0]

    client.force_login(pilote)
    factories.participant(atelier, Role.ELU, email="elu1@exemple.fr")
    assert "fait</span> Inviter les participants" not in premiers_pas()
    assert "Le pilote rejoint l" not in premiers_pas()
    factories.participant(atelier, Role.HABITANT, email="habitante@exemple.fr")
    # 11: session, user, MFA gate, the atelier with the reader's role, its stages and their
    # deliverables, the team, the counts by kind of actor (with the roles), sites, the
    # territory's communes, the roadmap, the history.
    with django_assert_max_num_queries(11):
        assert "fait</span> Inviter les participants" in premiers_pas()
    Participation.objects.filter(acteur__email="habitante@exemple.fr").delete()
    from acteurs.services import invitation_create

    invitation_create(atelier=atelier, by=pilote, email="tech@exemple.fr", role=Role.TECHNICIEN)
    assert "fait</span> Inviter les participants" in premiers_pas()


def test_overview_shows_roadmap_progress_and_links_to_it(client, en_cours, pilote):
    client.force_login(pilote)
    html = client.get(url("atelier", en_cours)).content.decode()
    assert "La feuille de route n'est pas encore adoptée." in html
    assert f'href="/espace/ateliers/{en_cours.pk}/feuille-de-route/"' in html
    feuille_publiee(en_cours, axes=1, actions=2)
    html = client.get(url("atelier", en_cours)).content.decode()
    assert "0 action réalisée sur 2" in html and 'class="fdr-progression"' in html


def test_late_atelier_shows_it(client, dgaln):
    atelier = factories.AtelierFactory(
        format=Format.FLASH, date_debut=dt.date(2020, 1, 1), date_fin_prevue=None,
        statut=Atelier.Statut.EN_COURS,
    )  # fmt: skip
    client.force_login(dgaln)
    html = client.get(url("atelier", atelier)).content.decode()
    assert "En retard de" in html


def test_participants_see_no_history_and_no_pilot_actions(client, en_cours, habitant):
    client.force_login(habitant)
    html = client.get(url("atelier", en_cours)).content.decode()
    assert "Historique" not in html
    assert "Faire avancer" not in html
    html = client.get(url("etape", en_cours, en_cours.etapes.first().pk)).content.decode()
    assert "form-planifier" not in html


def test_start_from_the_page(client, atelier, pilote, habitant):
    client.force_login(habitant)
    assert client.post(url("atelier_statut", atelier), {"vers": "en_cours"}).status_code == 403
    client.force_login(pilote)
    response = client.post(url("atelier_statut", atelier), {"vers": "en_cours"})
    assert response.status_code == 302
    atelier.refresh_from_db()
    assert atelier.statut == "en_cours" and atelier.etapes.count() == 7
    response = client.post(url("atelier_statut", atelier), {"vers": "restitue"}, follow=True)
    assert "séminaire de restitution" in response.content.decode()
    assert client.post(url("atelier_statut", atelier), {"vers": "nimporte"}).status_code == 302


@pytest.mark.parametrize(
    "name",
    ["ateliers:atelier", "ateliers:participants", "feuilles_de_route:feuille"],
)
def test_an_atelier_one_may_not_see_is_a_404_logged_in_one_line(
    client, atelier, autre_pilote, caplog, name
):
    """Whichever app serves the tab, the same answer: not found, one log line, no traceback."""
    kwargs = {"atelier_id": atelier.pk} if name == "ateliers:participants" else {"pk": atelier.pk}
    client.force_login(autre_pilote)
    with caplog.at_level(logging.INFO):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    refus = [r.getMessage() for r in caplog.records if "acces_refuse" in r.getMessage()]
    assert refus == [f"acces_refuse_404 user={autre_pilote.pk} atelier={atelier.pk}"]
    assert not [r for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    "name",
    [
        "ateliers:atelier_equipe",
        "ateliers:participation_role",
        "feuilles_de_route:envoyer_signature",
    ],
)
def test_a_participant_without_the_right_gets_403_whichever_app(client, atelier, elu, name):
    kwargs = {"pk": atelier.pk}
    if name == "ateliers:participation_role":
        kwargs = {"atelier_id": atelier.pk, "pk": elu.acteur.participations.get().pk}
    client.force_login(elu)
    method = client.post if name == "ateliers:participation_role" else client.get
    assert method(reverse(name, kwargs=kwargs), {"role": "habitant"}).status_code == 403


# --- Stages ---------------------------------------------------------------------------------


def test_schedule_bad_dates_give_400_with_french_message(client, en_cours, pilote):
    client.force_login(pilote)
    etape = en_cours.etapes.get(nature="atelier_1")
    response = client.post(
        url("etape_planifier", en_cours, etape.pk),
        {"debut": "2026-12-10T10:00", "fin": "2026-12-10T08:00", "lieu": "Mairie"},
    )
    assert response.status_code == 400
    assert "La fin précède le début" in response.content.decode()
    response = client.post(
        url("etape_planifier", en_cours, etape.pk), {"debut": "2001-01-01T10:00"}
    )
    assert response.status_code == 400
    assert "déjà passé" in response.content.decode()
    response = client.post(url("etape_planifier", en_cours, etape.pk), {"debut": "demain"})
    assert response.status_code == 400
    etape.refresh_from_db()
    assert etape.debut is None


def test_mark_done_names_the_missing_deliverable(client, en_cours, pilote):
    client.force_login(pilote)
    etape = en_cours.etapes.get(nature="atelier_1")
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() - dt.timedelta(days=1))
    response = client.post(url("etape_realiser", en_cours, etape.pk), {"resume": "ok"})
    assert response.status_code == 400
    assert "Rapport d&#x27;étonnement" in response.content.decode()


def test_inter_atelier_and_cancel_via_views(client, en_cours, pilote):
    client.force_login(pilote)
    response = client.post(
        url("etape_ajouter", en_cours),
        {
            "titre": "Balade urbaine",
            "debut": (timezone.localtime() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    inter = en_cours.etapes.get(nature="inter_atelier")
    response = client.post(url("etape_annuler", en_cours, inter.pk), {"motif": ""})
    assert response.status_code == 400
    response = client.post(url("etape_annuler", en_cours, inter.pk), {"motif": "Pluie"})
    assert response.status_code == 302
    inter.refresh_from_db()
    assert inter.statut == "annulee"


def _annulee(atelier, pilote, jours=6):
    etape = atelier.etapes.get(nature="atelier_1")
    s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=jours))
    s.etape_annuler(etape=etape, by=pilote, motif="Salle indisponible")
    return Etape.objects.get(pk=etape.pk)


def test_pilote_replans_a_cancelled_stage_from_its_page(client, en_cours, pilote, habitant):
    etape = _annulee(en_cours, pilote)
    client.force_login(pilote)
    html = client.get(url("etape", en_cours, etape.pk)).content.decode()
    assert 'id="form-replanifier"' in html
    assert url("etape_replanifier", en_cours, etape.pk) in html
    assert 'name="csrfmiddlewaretoken"' in html
    nouvelle = (timezone.localtime() + dt.timedelta(days=9)).replace(second=0, microsecond=0)
    response = client.post(
        url("etape_replanifier", en_cours, etape.pk),
        {"debut": nouvelle.strftime("%Y-%m-%dT%H:%M"), "lieu": "Salle B"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("etape", en_cours, etape.pk)
    html = response.content.decode()
    assert "est de nouveau prévue le" in html and "prévenus par courriel" in html
    assert 'id="form-replanifier"' not in html and 'id="form-annuler"' in html
    etape.refresh_from_db()
    assert (etape.statut, etape.debut, etape.lieu) == ("prevue", nouvelle, "Salle B")
    # Participants see the stage planned again, without the replan form.
    client.force_login(habitant)
    html = client.get(url("etape", en_cours, etape.pk)).content.decode()
    assert "Prévue" in html and 'id="form-replanifier"' not in html


def test_replanning_a_stage_with_a_past_date_asks_for_a_new_one(client, en_cours, pilote):
    etape = _annulee(en_cours, pilote)
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() - dt.timedelta(days=1))
    client.force_login(pilote)
    html = client.get(url("etape", en_cours, etape.pk)).content.decode()
    assert "est passée : choisissez-en une autre" in html
    response = client.post(url("etape_replanifier", en_cours, etape.pk), {"lieu": "Mairie"})
    assert response.status_code == 400
    assert "La date prévue est passée : indiquez une nouvelle date." in response.content.decode()
    response = client.post(
        url("etape_replanifier", en_cours, etape.pk), {"debut": "2001-01-01T10:00"}
    )
    assert response.status_code == 400
    assert "déjà passé" in response.content.decode()
    etape.refresh_from_db()
    assert etape.statut == "annulee"


def test_replanning_a_stage_that_is_not_cancelled_is_refused(client, en_cours, pilote):
    etape = en_cours.etapes.get(nature="atelier_2")
    client.force_login(pilote)
    demain = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url("etape_replanifier", en_cours, etape.pk), {"debut": demain})
    assert response.status_code == 400
    assert "prévue, pas annulée : il n&#x27;y a rien à rétablir" in response.content.decode()
    etape.refresh_from_db()
    assert etape.debut is None


@pytest.mark.parametrize(
    ("role", "status"),
    [("habitant", 403), ("elu", 403), ("equipe", 403), ("autre_pilote", 404)],
)
def test_only_the_pilote_replans(client, request, en_cours, pilote, role, status):
    etape = _annulee(en_cours, pilote)
    client.force_login(request.getfixturevalue(role))
    assert client.post(url("etape_replanifier", en_cours, etape.pk), {}).status_code == status
    assert client.get(url("etape_replanifier", en_cours, etape.pk)).status_code in (405, status)
    etape.refresh_from_db()
    assert etape.statut == "annulee"


def _tenue(etape):
    """Attendance is recorded once a stage has taken place."""
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() - dt.timedelta(days=1))
    etape.refresh_from_db()
    return etape


def test_attendance_form(client, en_cours, pilote, habitant, elu):
    client.force_login(pilote)
    etape = _tenue(en_cours.etapes.get(nature="lancement"))
    ids = list(
        Participation.objects.filter(acteur__utilisateur__in=[habitant, elu]).values_list(
            "pk", flat=True
        )
    )
    response = client.post(url("etape_presences", en_cours, etape.pk), {"presents": ids})
    assert response.status_code == 302
    assert etape.presences.filter(present=True).count() == 2
    html = client.get(url("etape", en_cours, etape.pk)).content.decode()
    assert "2 présents sur" in html
    response = client.post(url("etape_presences", en_cours, etape.pk), {"presents": [999999]})
    assert response.status_code == 400


def test_attendance_with_an_id_no_column_holds_is_refused_and_keeps_the_list(
    client, en_cours, pilote, habitant
):
    # On SQLite, pk__in=[99999999999999999999] raised OverflowError: a 500.
    client.force_login(pilote)
    etape = _tenue(en_cours.etapes.get(nature="lancement"))
    present = Participation.objects.get(acteur__utilisateur=habitant)
    client.post(url("etape_presences", en_cours, etape.pk), {"presents": [present.pk]})
    response = client.post(
        url("etape_presences", en_cours, etape.pk),
        {"presents": [present.pk, "99999999999999999999"]},
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert list(etape.presences.filter(present=True).values_list("participation", flat=True)) == [
        present.pk
    ]


def _peupler(atelier, pilote, n):
    for i in range(n):
        factories.participant(atelier, Role.HABITANT, email=f"h{n}-{i}@x.fr")
        s.etape_ajouter_inter_atelier(
            atelier=atelier, by=pilote, titre=f"Inter {i}",
            debut=timezone.now() + dt.timedelta(days=3 + i),
        )  # fmt: skip
        document(atelier, by=pilote, titre=f"Doc {i}")
        s.journal_ecrire(atelier=atelier, by=pilote, texte=f"Note {i}", date=timezone.localdate())
        s.site_creer(
            atelier=atelier, by=pilote, nom=f"Site {i}", description="",
            geometrie={"type": "Point", "coordinates": [-2.9, 48.4]},
        )  # fmt: skip
    presents = set(Participation.objects.filter(atelier=atelier).values_list("pk", flat=True))
    for etape in atelier.etapes.all():
        s.presences_enregistrer(etape=_tenue(etape), by=pilote, presents=presents)


# Measured: the same count with 1 or 20 participants, stages, documents, entries and sites.
# The atelier page: 13, plus 2 for the roadmap progress (feuilles_de_route.selectors.avancement:
# the roadmap, then its actions when adopted); every page 2 more for the second-factor gate
# (is the user a pilote somewhere, has the user an authenticator; the DGALN check before them
# is made once per request, shared with the permission checks); the atelier page 1 more
# when running (is the restitution seminar held, for the "restitué" button), plus 2 for the
# first steps shown to the pilote until a stage has been held (its invitations, its other
# participants). The atelier and sites pages: 1 more, the territory's member communes drawn
# on the map.
# Measured with 15 people, 3 axes and 5 actions: what each page needs, however many there are.
PLAFONDS = {"atelier": 14, "etapes": 8, "etape": 9, "documents": 8, "journal": 8, "sites": 7}


@pytest.mark.parametrize("vue", sorted(PLAFONDS))
def test_workspace_pages_run_a_constant_number_of_queries(
    client, en_cours, pilote, vue, django_assert_max_num_queries
):
    _peupler(en_cours, pilote, 15)
    feuille_publiee(en_cours, axes=3, actions=5)  # the atelier page's worst case: adopted
    client.force_login(pilote)
    args = [en_cours.pk] + ([en_cours.etapes.first().pk] if vue == "etape" else [])
    with django_assert_max_num_queries(PLAFONDS[vue]):
        assert client.get(reverse(f"ateliers:{vue}", args=args)).status_code == 200


@pytest.mark.parametrize("vue", ["atelier", "etapes", "documents"])
def test_stage_pages_read_every_stages_deliverables_at_once(
    client, en_cours, pilote, vue, django_assert_num_queries
):
    """The stages come with their deliverables, supplied or not (ateliers.selectors.etapes):
    the pages that list them run as many queries with a deliverable on every stage as with
    one on the first only, and each still shows its state."""
    from ateliers.models import Livrable

    _peupler(en_cours, pilote, 3)
    client.force_login(pilote)
    page = reverse(f"ateliers:{vue}", args=[en_cours.pk])
    client.get(page)
    with CaptureQueriesContext(connection) as avant:
        client.get(page)
    remis = document(en_cours, by=pilote, titre="Compte rendu remis")
    for i, etape in enumerate(en_cours.etapes.all()):
        Livrable.objects.get_or_create(
            etape=etape,
            nature=NatureLivrable.COMPTE_RENDU,
            defaults={"document": remis if i % 2 else None},
        )
    with django_assert_num_queries(len(avant.captured_queries)):
        html = client.get(page).content.decode()
    if vue == "atelier":
        assert "fourni" in html or "attendu" in html


# --- Documents -------------------------------------------------------------------------------


def test_upload_form_selects_read_as_djangos(client, en_cours, equipe):
    """The stage and deliverable selects are written in Python (one template per option was
    most of the page): the same options as Django's select, the requested deliverable chosen."""
    from django import forms

    from ateliers import selectors as sel
    from ateliers.forms import DocumentForm

    etape = en_cours.etapes.get(nature="atelier_1")
    livrable = etape.livrables.get(nature=NatureLivrable.RAPPORT_ETONNEMENT)
    form = DocumentForm(
        atelier=en_cours, etapes=list(sel.etapes(en_cours)), livrable_initial=livrable
    )
    rapide = {nom: str(form[nom]) for nom in ("categorie", "etape", "livrable")}
    for nom in rapide:
        form.fields[nom].widget = forms.Select(
            attrs=form.fields[nom].widget.attrs, choices=form.fields[nom].widget.choices
        )
        django = str(form[nom])
        assert re.sub(r"\s+", "", rapide[nom]) == re.sub(r"\s+", "", django), nom
    assert f'<option value="{livrable.pk}" selected>' in rapide["livrable"]
    assert f'<option value="{etape.pk}" selected>' in rapide["etape"]
    client.force_login(equipe)
    html = client.get(url("documents", en_cours), {"livrable": livrable.pk}).content.decode()
    assert f'<option value="{livrable.pk}" selected>' in html


def test_upload_attach_to_deliverable_and_new_version(client, en_cours, equipe):
    client.force_login(equipe)
    etape = en_cours.etapes.get(nature="atelier_1")
    livrable = etape.livrables.get(nature=NatureLivrable.RAPPORT_ETONNEMENT)
    response = client.post(
        url("documents", en_cours),
        {
            "fichier": pdf(),
            "titre": "Rapport d'étonnement",
            "categorie": "rapport",
            "etape": etape.pk,
            "livrable": livrable.pk,
        },
    )
    assert response.status_code == 302
    livrable.refresh_from_db()
    v1 = livrable.document
    assert v1.etape == etape
    response = client.post(url("document", en_cours, v1.pk), {"fichier": pdf("v2.pdf")})
    assert response.status_code == 302
    v2 = Document.objects.get(serie=v1)
    html = client.get(url("document", en_cours, v2.pk)).content.decode()
    assert "Version 2" in html and "Version 1" in html
    download = client.get(url("document_telecharger", en_cours, v1.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_bad_uploads_are_explained(client, en_cours, pilote):
    client.force_login(pilote)
    livrable = Livrable.objects.get(etape__atelier=en_cours, nature="rapport_etonnement")
    response = client.post(
        url("documents", en_cours),
        {
            "fichier": png("photo.png"),
            "titre": "R",
            "categorie": "rapport",
            "livrable": livrable.pk,
        },
    )
    assert response.status_code == 400
    assert "doit être au format" in response.content.decode()
    response = client.post(
        url("documents", en_cours),
        {"fichier": pdf("x.pdf", b"MZ\x90\x00binary"), "titre": "R", "categorie": "rapport"},
    )
    assert response.status_code == 400
    assert "format accepté" in response.content.decode()
    assert not Document.objects.exists()


def test_deposit_link_preselects_its_deliverable_and_ignores_junk(client, en_cours, equipe):
    client.force_login(equipe)
    livrable = Livrable.objects.get(etape__atelier=en_cours, nature="rapport_etonnement")
    response = client.get(url("documents", en_cours), {"livrable": livrable.pk})
    assert response.status_code == 200
    assert response.context["form"]["livrable"].value() == str(livrable.pk)
    # "²" passes str.isdigit() but not int(): it was a 500.
    for junk in ("²", "1²", "abc", "99999999999999999999"):
        response = client.get(url("documents", en_cours), {"livrable": junk})
        assert response.status_code == 200
        assert not response.context["form"]["livrable"].value()


def test_habitant_cannot_upload_via_view(client, en_cours, habitant):
    client.force_login(habitant)
    response = client.post(
        url("documents", en_cours), {"fichier": pdf(), "titre": "R", "categorie": "rapport"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["applicant", "autre_pilote"])
def test_non_participants_get_404_on_a_document(client, request, en_cours, pilote, role):
    doc = document(en_cours, by=pilote)
    client.force_login(request.getfixturevalue(role))
    assert client.get(url("document_telecharger", en_cours, doc.pk)).status_code == 404
    assert client.get(url("document", en_cours, doc.pk)).status_code == 404


def test_anonymous_is_sent_to_sign_in_for_a_private_document(client, en_cours, pilote):
    doc = document(en_cours, by=pilote)
    response = client.get(url("document_telecharger", en_cours, doc.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


def test_published_document_can_be_downloaded_by_anyone(client, en_cours, pilote):
    doc = document(en_cours, by=pilote)
    s.atelier_publier(atelier=en_cours, by=pilote, publie=True)
    client.force_login(pilote)
    client.post(url("document_publier", en_cours, doc.pk), {"publie": "1"})
    client.logout()
    assert client.get(url("document_telecharger", en_cours, doc.pk)).status_code == 200
    autre = factories.AtelierFactory()
    assert (
        client.get(reverse("ateliers:document_telecharger", args=[autre.pk, doc.pk])).status_code
        == 404
    )


def test_published_document_of_an_unpublished_atelier_is_not_public(
    client, en_cours, pilote, habitant
):
    doc = document(en_cours, by=pilote)
    s.document_publier(document=doc, by=pilote, publie=True)
    s.atelier_publier(atelier=en_cours, by=pilote, publie=True)
    assert client.get(url("document_telecharger", en_cours, doc.pk)).status_code == 200
    s.atelier_publier(atelier=en_cours, by=pilote, publie=False)
    # Not public any more: the visitor is asked to sign in.
    assert client.get(url("document_telecharger", en_cours, doc.pk)).status_code == 302
    client.force_login(habitant)  # participants keep it
    assert client.get(url("document_telecharger", en_cours, doc.pk)).status_code == 200


# --- Logbook ---------------------------------------------------------------------------------


def test_logbook_script_payload_is_inert(client, en_cours, elu):
    client.force_login(elu)
    payload = (
        "**Important** <script>alert('x')</script> <img src=x onerror=alert(1)> "
        "[lien](javascript:alert(1)) <a href='https://exemple.fr' onclick='x()'>ok</a>"
    )
    response = client.post(
        url("journal", en_cours), {"date": timezone.localdate().isoformat(), "texte": payload}
    )
    assert response.status_code == 302
    html = client.get(url("journal", en_cours)).content.decode()
    assert "<strong>Important</strong>" in html
    assert "alert(" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html


def test_logbook_filters_by_stage_and_author(client, en_cours, equipe, elu, pilote):
    etape = en_cours.etapes.get(nature="lancement")
    s.journal_ecrire(atelier=en_cours, by=equipe, texte="Note équipe", date=timezone.localdate())
    s.journal_ecrire(
        atelier=en_cours, by=elu, texte="Note élu", date=timezone.localdate(), etape=etape
    )
    client.force_login(pilote)
    html = client.get(url("journal", en_cours), {"etape": etape.pk}).content.decode()
    assert "Note élu" in html and "Note équipe" not in html
    html = client.get(url("journal", en_cours), {"auteur": equipe.pk}).content.decode()
    assert "Note équipe" in html and "Note élu" not in html
    assert client.get(url("journal", en_cours), {"etape": "abc"}).status_code == 200


def test_logbook_bad_input(client, en_cours, elu):
    client.force_login(elu)
    response = client.post(url("journal", en_cours), {"date": "32/13/2026", "texte": ""})
    assert response.status_code == 400
    assert not EntreeJournal.objects.exists()


# --- Sites -----------------------------------------------------------------------------------


def test_sites_drawn_geojson_is_validated(client, en_cours, pilote):
    client.force_login(pilote)
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-2.95, 48.4], [-2.9, 48.4], [-2.9, 48.45], [-2.95, 48.4]]],
        },
    }
    response = client.post(
        url("sites", en_cours),
        {"nom": "Cœur de bourg", "description": "", "geometrie": json.dumps(feature)},
    )
    assert response.status_code == 302
    assert SiteDemonstrateur.objects.get().geometrie["type"] == "Polygon"
    for bad in ["{pas du json", json.dumps({"type": "Point", "coordinates": [13.4, 52.5]}), ""]:
        response = client.post(
            url("sites", en_cours), {"nom": "Ailleurs", "description": "gardé", "geometrie": bad}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "gardé" in html  # what was typed is kept
    assert SiteDemonstrateur.objects.count() == 1
    html = client.get(url("atelier", en_cours)).content.decode()
    assert "Cœur de bourg" in html  # in the map data beside the territory


# --- DGALN overview ---------------------------------------------------------------------------


@pytest.fixture
def parc(dgaln):
    session = factories.SessionFactory()
    ateliers = {
        "retard": factories.AtelierFactory(
            format=Format.FLASH, date_debut=dt.date(2020, 1, 1), date_fin_prevue=None,
            statut=Atelier.Statut.EN_COURS, titre="=Atelier en retard",
        ),
        "multisite": factories.AtelierFactory(
            format=Format.MULTISITE, session=session, date_debut=timezone.localdate(),
            date_fin_prevue=None, titre="Atelier multisite",
        ),
        "manquant": factories.AtelierFactory(
            date_debut=timezone.localdate(), date_fin_prevue=None, titre="Atelier manquant",
        ),
    }  # fmt: skip
    s.atelier_demarrer(atelier=ateliers["manquant"], by=dgaln)
    Etape.objects.filter(atelier=ateliers["manquant"], nature="lancement").update(
        debut=timezone.now() - dt.timedelta(days=2)
    )
    ateliers["session"] = session
    return ateliers


def test_gestion_ateliers_filters(client, dgaln, parc):
    client.force_login(dgaln)
    page = client.get(reverse("ateliers:gestion_ateliers"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Atelier multisite" in html and "Atelier manquant" in html
    assert 'aria-current="page"' in html

    def titres(**params):
        r = client.get(reverse("ateliers:gestion_ateliers"), params)
        assert r.status_code == 200
        return {a.titre for a in r.context["ateliers"]}

    assert titres(en_retard="oui") == {"=Atelier en retard"}
    chiffres = page.context["chiffres"]
    assert (chiffres["en_retard"], chiffres["livrables_manquants"]) == (1, 1)
    assert dict(chiffres["par_etat"])["En cours"] == 2
    # The list's length is the sum of its counts by state, filtered or not.
    assert page.context["total"] == Atelier.objects.count() == chiffres["total"]
    filtre = client.get(reverse("ateliers:gestion_ateliers"), {"en_retard": "oui"})
    assert filtre.context["total"] == 1 == filtre.context["page_obj"].paginator.count
    assert "=Atelier en retard" not in titres(en_retard="non")
    assert titres(livrables_manquants="oui") == {"Atelier manquant"}
    assert titres(session=parc["session"].pk) == {"Atelier multisite"}
    assert titres(format="flash") == {"=Atelier en retard"}
    assert titres(statut="en_cours") == {"=Atelier en retard", "Atelier manquant"}
    assert len(titres(region="53", departement="22")) == 3
    assert titres(region="11") == set()
    assert client.get(reverse("ateliers:gestion_ateliers"), {"format": "zzz"}).status_code == 200
    # The session, région and département selects are drawn from rows (atelier.forms.ChoixLus):
    # every option is the model's name, escaped, the chosen one selected.
    from html import escape

    from territoires.models import Departement, Region

    cotes = Departement.objects.get(code="22")
    html = client.get(
        reverse("ateliers:gestion_ateliers"),
        {"session": parc["session"].pk, "departement": cotes.pk},
    ).content.decode()
    session = parc["session"]
    assert f'<option value="{session.pk}" selected>{escape(str(session))}</option>' in html
    assert f'<option value="{cotes.pk}" selected>{escape(str(cotes))}</option>' in html
    assert "Côtes-d&#x27;Armor (22)" in html
    for region in Region.objects.all():
        assert f'<option value="{region.pk}">{escape(str(region))}</option>' in html


def test_gestion_ateliers_page_links_keep_the_filters(client, dgaln):
    import html as html_lib
    import re

    territoire = factories.TerritoireFactory()
    organisation = factories.OrganisationFactory()
    for i in range(52):
        factories.AtelierFactory(
            format=Format.FLASH, territoire=territoire, service_pilote=organisation,
            titre=f"Flash {i:02}",
        )  # fmt: skip
    factories.AtelierFactory(format=Format.LOCAL, titre="Atelier local")  # filtered out
    client.force_login(dgaln)
    url = reverse("ateliers:gestion_ateliers")

    def lien_suivant(html: str) -> str:
        assert "?&" not in html and "?&amp;" not in html
        lien = re.search(r'fr-pagination__link--next[^"]*"\s+href="(\?[^"]*)"', html)
        return html_lib.unescape(lien.group(1))

    assert lien_suivant(client.get(url).content.decode()) == "?page=2"
    html = client.get(url, {"format": "flash", "statut": ""}).content.decode()
    suivant = lien_suivant(html)
    assert suivant == "?format=flash&statut=&page=2"
    page2 = client.get(url + suivant)
    assert page2.context["page_obj"].number == 2
    assert {a.titre for a in page2.context["ateliers"]} == {"Flash 50", "Flash 51"}
    assert re.search(r'aria-current="page"\s+title="Page 2"', page2.content.decode())


def test_gestion_ateliers_query_count(client, dgaln, django_assert_max_num_queries):
    for _ in range(30):
        a = factories.AtelierFactory()
        factories.EtapeFactory(atelier=a)
    client.force_login(dgaln)
    # 9: the page itself (its counts by state, its total among them), plus the MFA gate.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("ateliers:gestion_ateliers")).status_code == 200
    # 6: the export itself, plus the MFA gate and the DGALN check of the middleware (the
    # permission check reuses its answer).
    with django_assert_max_num_queries(6):
        assert client.get(reverse("ateliers:gestion_ateliers_csv")).status_code == 200


def test_gestion_csv_export(client, dgaln, parc):
    client.force_login(dgaln)
    response = client.get(reverse("ateliers:gestion_ateliers_csv"), {"en_retard": "oui"})
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["id", "titre", "territoire"]
    assert len(rows) == 2
    assert rows[1][1] == "'=Atelier en retard"  # no formula injection
    assert rows[1][11] == "oui"


def test_gestion_is_dgaln_only(client, pilote):
    client.force_login(pilote)
    assert client.get(reverse("ateliers:gestion_ateliers")).status_code == 403
    assert client.get(reverse("ateliers:gestion_ateliers_csv")).status_code == 403


def test_history_shows_state_labels_and_upcoming_stages_selector(client, en_cours, pilote, elu):
    from ateliers.selectors import prochaines_etapes

    client.force_login(pilote)
    html = client.get(url("atelier", en_cours)).content.decode()
    assert "de « En préparation » à « En cours »" in html.replace("&nbsp;", "\u00a0")
    etape = en_cours.etapes.get(nature="atelier_1")
    s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=3))
    assert list(prochaines_etapes(elu)) == [etape]


def test_a_site_can_be_typed_as_coordinates_without_the_map(client, en_cours, pilote):
    client.force_login(pilote)
    response = client.post(
        url("sites", en_cours),
        {"nom": "Halle", "geometrie": "", "latitude": "48,45", "longitude": "-2,93"},
    )
    assert response.status_code == 302
    assert SiteDemonstrateur.objects.get().geometrie == {
        "type": "Point",
        "coordinates": [-2.93, 48.45],
    }
    response = client.post(
        url("sites", en_cours), {"nom": "Inversé", "latitude": "-2.93", "longitude": "48.45"}
    )
    assert response.status_code == 400
    response = client.post(url("sites", en_cours), {"nom": "Rien"})
    assert response.status_code == 400
    assert "Dessinez le site" in response.content.decode()


def test_gestion_tables_let_long_titles_wrap(client, en_cours, dgaln):
    # DSFR table cells do not wrap by default: a long atelier title pushed every other column
    # out of sight.
    feuille_publiee(en_cours)
    client.force_login(dgaln)
    for name in ["ateliers:gestion_ateliers", "feuilles_de_route:gestion_suivi"]:
        html = client.get(reverse(name)).content.decode()
        assert re.search(r'class="[^"]*fr-cell--multiline', html), name
