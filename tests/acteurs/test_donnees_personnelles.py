"""Personal data (RGPD): the export, closing an account, the retention periods."""

import datetime as dt
import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from acteurs import services
from acteurs.models import Acteur, Invitation, Participation, Role, Utilisateur
from appels.models import Candidature, PieceJointe
from feuilles_de_route.models import Signature
from journal import selectors as journal_selectors
from journal.models import EvenementAudit
from tests import factories
from tests.factories import feuilles_de_route as f
from tests.factories.appels import candidature_complete, candidature_en_etat

pytestmark = pytest.mark.django_db
S = Candidature.Statut


@pytest.fixture
def adoptee(atelier, pilote, elu):
    feuille = f.feuille_with_actions(atelier)
    return f.adopt(feuille, pilote, elu, f.etat_signataire(atelier))


def test_a_person_downloads_everything_held_about_them(client, atelier, adoptee, elu):
    candidature_complete(auteur=elu, territoire_nom="Pays de Redon")
    client.force_login(elu)
    page = client.get(reverse("acteurs:mes_donnees"))
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    for attendu in ("Pays de Redon", atelier.titre, "Maire, Commune de Quintin", elu.email):
        assert attendu in html
    response = client.get(reverse("acteurs:mes_donnees") + "?format=json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["Compte"][0]["adresse électronique"] == elu.email
    assert data["Candidatures"][0]["territoire"] == "Pays de Redon"
    (signature,) = data["Signatures de feuilles de route"]
    assert signature["en qualité de"] == "Maire, Commune de Quintin"
    assert data["Participations aux ateliers"][0]["rôle"] == "Élu·e"


def test_closing_shows_the_reasons_then_needs_the_password(client, elu):
    client.force_login(elu)
    page = client.get(reverse("acteurs:cloturer_compte")).content.decode()
    assert "Conservé sous un pseudonyme" in page and "Pourquoi vos signatures restent" in page
    response = client.post(
        reverse("acteurs:cloturer_compte"), {"password": "faux", "confirmation": "on"}
    )
    assert response.status_code == 400 and "Mot de passe incorrect" in response.content.decode()
    elu.refresh_from_db()
    assert elu.is_active and Participation.objects.filter(acteur__utilisateur=elu).exists()


def test_closing_an_account_deletes_or_pseudonymises(client, atelier, adoptee, elu, pilote):
    brouillon = candidature_complete(auteur=elu)
    fichiers = [p.fichier.name for p in PieceJointe.objects.filter(candidature=brouillon)]
    assert fichiers and all(default_storage.exists(n) for n in fichiers)
    retenue = candidature_en_etat(S.RETENUE, auteur=elu)
    Invitation.objects.create(
        atelier=factories.AtelierFactory(),
        email=elu.email,
        role=Role.HABITANT,
        invitee_par=pilote,
        expire_le=timezone.now() + dt.timedelta(days=3),
    )
    EvenementAudit.objects.create(
        auteur=elu,
        auteur_repr=str(elu),
        content_type_id=EvenementAudit.objects.first().content_type_id,
        object_id="1",
        objet_repr="x",
        action="test",
    )
    email, nom = elu.email, elu.last_name
    client.force_login(elu)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("acteurs:cloturer_compte"),
            {"password": factories.PASSWORD, "confirmation": "on"},
        )
    assert response.status_code == 302
    user = Utilisateur.objects.get(pk=elu.pk)
    assert not user.is_active and not user.has_usable_password()
    assert user.email.endswith("@compte-clos.invalid") and nom not in user.get_full_name()
    assert not Utilisateur.objects.filter(email=email).exists()
    acteur = Acteur.objects.get(utilisateur=user)
    assert acteur.prenom == f"Compte clôturé n° {user.pk}" and acteur.email == ""
    assert not Participation.objects.filter(acteur=acteur).exists()
    assert not Invitation.objects.filter(email__iexact=email).exists()
    assert not Candidature.objects.filter(pk=brouillon.pk).exists()
    assert not any(default_storage.exists(n) for n in fichiers)
    assert Candidature.objects.filter(pk=retenue.pk).exists()  # evidence of the selection
    assert Signature.objects.filter(signataire=user).exists()  # a sealed public act
    # The append-only trail shows the pseudonym as the author.
    rows = journal_selectors.libeller(
        EvenementAudit.objects.filter(auteur=user).select_related("content_type")
    )
    assert rows and all(r.auteur_repr == f"Compte clôturé n° {user.pk}" for r in rows)
    assert EvenementAudit.objects.filter(action="compte_cloture").exists()
    # And the person can no longer sign in.
    assert not client.login(email=email, password=factories.PASSWORD)


def test_the_last_pilote_cannot_close_their_account(client, pilote):
    client.force_login(pilote)
    page = client.get(reverse("acteurs:cloturer_compte")).content.decode()
    assert "dernier pilote" in page and 'name="confirmation"' not in page
    client.post(reverse("acteurs:cloturer_compte"), {"code": "000000", "confirmation": "on"})
    pilote.refresh_from_db()
    assert pilote.is_active


def test_retention_deletes_what_is_past_its_period_and_logs_it(settings, caplog, pilote, atelier):
    from django.contrib.sessions.backends.db import SessionStore

    from appels.tasks import purger_donnees_expirees

    settings.ATELIER_CONSERVATION_CANDIDATURES_JOURS = 30
    settings.ATELIER_CONSERVATION_INVITATIONS_JOURS = 10
    settings.ATELIER_CONSERVATION_SECURITE_JOURS = 5
    ancien = timezone.now() - dt.timedelta(days=40)
    non_retenue = candidature_en_etat(S.NON_RETENUE)
    recente = candidature_en_etat(S.IRRECEVABLE)
    retenue = candidature_en_etat(S.RETENUE)
    Candidature.objects.filter(pk__in=[non_retenue.pk, retenue.pk]).update(modifie_le=ancien)
    expiree = services.invitation_create(
        atelier=atelier, by=pilote, email="expiree@exemple.fr", role=Role.HABITANT
    )
    valide = services.invitation_create(
        atelier=atelier, by=pilote, email="valide@exemple.fr", role=Role.HABITANT
    )
    Invitation.objects.filter(pk=expiree.pk).update(
        cree_le=ancien, expire_le=ancien + dt.timedelta(days=1)
    )
    session = SessionStore()
    session.create()
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=session.session_key).update(expire_date=ancien)

    with caplog.at_level("INFO", logger="atelier.donnees"):
        removed = purger_donnees_expirees()
    assert removed == {"candidatures": 1, "invitations": 1, "traces de sécurité": 1}
    assert set(Candidature.objects.values_list("pk", flat=True)) == {recente.pk, retenue.pk}
    assert list(Invitation.objects.values_list("pk", flat=True)) == [valide.pk]
    assert "retention candidatures=1 invitations=1 traces_de_sécurité=1" in caplog.text
    assert EvenementAudit.objects.filter(action="donnees_retention").count() == 1
    assert purger_donnees_expirees() == {
        "candidatures": 0,
        "invitations": 0,
        "traces de sécurité": 0,
    }


def test_the_donnees_personnelles_page_states_the_retention_periods(client, settings):
    settings.ATELIER_CONSERVATION_CANDIDATURES_JOURS = 365
    html = client.get(reverse("donnees_personnelles")).content.decode()
    assert "ou irrecevables, et les brouillons abandonnés, 365 jours" in html
    assert "clore votre compte" in html


def test_the_beat_schedule_runs_the_retention_task(settings):
    from atelier.celery import app

    taches = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "appels.tasks.purger_donnees_expirees" in taches
    assert "appels.tasks.purger_donnees_expirees" in app.tasks
