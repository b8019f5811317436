"""The whole AMI in a browser: DGALN publishes a call → an applicant drafts, uploads and
submits → DGALN declares it admissible, two reviewers give opinions, DGALN selects it →
the atelier exists with its pilote."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from acteurs.models import Participation, Role
from appels.models import AppelACandidatures, Candidature
from ateliers.models import Atelier
from tests import factories
from tests.e2e.conftest import login, new_page
from tests.factories import DgalnFactory, SessionFactory, UtilisateurFactory
from tests.factories.appels import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


def _paris(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_ami_from_publication_to_selection(page, browser, live_server, password, tmp_path):
    agent = DgalnFactory(email="agent@dgaln.gouv.fr", first_name="Agnès", last_name="Durand")
    second = UtilisateurFactory(email="rapporteur@cerema.fr")
    applicant = UtilisateurFactory(email="candidat@collectivite.fr")
    session = SessionFactory(titre="Session 2027 — Sobriété foncière")

    # --- DGALN creates and publishes the call -------------------------------------------
    login(page, agent.email, password)
    page.goto(f"{page.base_url}/gestion/appels/nouveau/")
    page.fill("input[name=titre]", "AMI 2027 — Sobriété foncière")
    page.select_option("select[name=nature]", "session")
    page.select_option("select[name=session]", str(session.pk))
    page.fill("input[name=ouverture]", _paris(timezone.now() - dt.timedelta(days=1)))
    page.fill("input[name=cloture]", _paris(timezone.now() + dt.timedelta(days=30)))
    page.fill("textarea[name=eligibilite]", "Intercommunalités et PNR.")
    page.click("button:has-text('Créer l')")
    expect(page.locator("h1")).to_have_text("AMI 2027 — Sobriété foncière")

    page.fill("input[name=question-libelle]", "Quels enjeux pour votre territoire ?")
    page.select_option("select[name=question-type]", "texte_long")
    page.click("#ajout-question button[type=submit]")
    page.fill("input[name=piece-libelle]", "Délibération de la collectivité")
    page.click("#ajout-piece button[type=submit]")
    for critere in ("Portage politique", "Caractère démonstratif"):
        page.fill("input[name=critere-libelle]", critere)
        page.click("#ajout-critere button[type=submit]")
    page.click('button:has-text("Publier l\'appel")')
    expect(page.locator("#statut-appel")).to_have_text("Publié")
    appel = AppelACandidatures.objects.get()

    # --- The applicant drafts, uploads and submits ---------------------------------------
    candidat = new_page(browser, live_server)
    candidat.goto(f"{candidat.base_url}/appels/")
    candidat.click(f"text={appel.titre}")
    expect(candidat.locator("h1")).to_have_text(appel.titre)
    login(candidat, applicant.email, password)
    candidat.goto(f"{candidat.base_url}/appels/{appel.slug}/candidater/")
    candidat.fill("input[name=territoire_nom]", "Pays de Redon")
    candidat.select_option("select[name=territoire_nature]", "epci")
    candidat.select_option("select[name=region]", label="Bretagne")
    candidat.select_option("select[name=departement]", label="Ille-et-Vilaine (35)")
    candidat.fill("input[name=porteur]", "Redon Agglomération")
    candidat.fill("input[name=contact_etat_nom]", "Claire Martin")
    candidat.fill("input[name=contact_etat_email]", "claire.martin@developpement-durable.gouv.fr")
    candidat.fill("input[name=contact_etat_service]", "DDTM d'Ille-et-Vilaine")
    candidat.click("button:has-text('Enregistrer le brouillon')")
    expect(candidat.locator(".fr-alert--success")).to_contain_text("Brouillon enregistré")

    # Submitting too early: refused, nothing lost.
    candidat.click("button:has-text('Déposer ma candidature')")
    expect(candidat.locator("#erreurs-candidature")).to_contain_text("Réponse manquante")
    expect(candidat.locator("input[name=territoire_nom]")).to_have_value("Pays de Redon")

    fichier = tmp_path / "délibération.pdf"
    fichier.write_bytes(PDF_BYTES)
    candidat.set_input_files("input[name=pj-fichier]", str(fichier))
    candidat.click("#form-piece button[type=submit]")
    expect(candidat.locator(".fr-alert--success")).to_contain_text("délibération.pdf")
    candidat.locator("textarea[name^=q_]").fill("Reconquérir les centres-bourgs.")
    candidat.click("button:has-text('Déposer ma candidature')")
    expect(candidat.locator("h1")).to_contain_text("Ma candidature")
    expect(candidat.locator("body")).to_contain_text("Déposée")
    candidature = Candidature.objects.get()
    assert candidature.statut == "deposee"

    # --- DGALN declares it admissible and assigns two reviewers ------------------------------
    page.goto(f"{page.base_url}/gestion/candidatures/")
    page.click("text=Pays de Redon")
    page.check("#form-recevabilite input[value=recevable]", force=True)
    page.click("#form-recevabilite button[type=submit]")
    expect(page.locator("#statut-candidature")).to_have_text(re.compile("Recevable"))
    page.check(f"#form-rapporteurs input[value='{agent.pk}']", force=True)
    page.fill("input[name=autres]", second.email)
    page.click("#form-rapporteurs button[type=submit]")
    expect(page.locator("#statut-candidature")).to_have_text(re.compile("En instruction"))

    criteres = list(appel.criteres.all())

    def give_opinion(p, notes, commentaire):
        for critere, note in zip(criteres, notes, strict=True):
            p.check(f"#form-avis input[name=note_{critere.pk}][value='{note}']", force=True)
        p.fill("#form-avis textarea[name=commentaire]", commentaire)
        p.click("#form-avis button[type=submit]")
        expect(p.locator(".fr-alert--success")).to_contain_text("avis est enregistré")

    give_opinion(page, [5, 4], "Portage fort, démarche exemplaire.")
    reviewer = new_page(browser, live_server)
    login(reviewer, second.email, password)
    reviewer.goto(f"{reviewer.base_url}/gestion/candidatures/")
    reviewer.click("text=Pays de Redon")
    expect(reviewer.locator("#form-decision")).to_have_count(0)  # a reviewer does not decide
    give_opinion(reviewer, [3, 4], "Intéressant, périmètre à préciser.")

    # --- DGALN closes the call and selects the candidature ---------------------------------
    page.goto(f"{page.base_url}/gestion/appels/{appel.pk}/")
    page.click('button:has-text("Clore l\'appel")')
    expect(page.locator("#statut-appel")).to_have_text("Clos")
    # The contact typed by the applicant is a vetted agent: DGALN finds them suggested.
    claire = factories.agent_etat(
        email="claire.martin@developpement-durable.gouv.fr", code="ddt-35"
    )
    page.goto(f"{page.base_url}/gestion/candidatures/{candidature.pk}/")
    expect(page.locator("#moyenne")).to_have_text(re.compile(r"4[,.]00"))
    expect(page.locator("#form-decision select[name=pilote]")).to_have_value(str(claire.pk))
    page.check("#form-decision input[value=retenue]", force=True)
    page.fill("#form-decision textarea[name=motivation]", "Projet exemplaire et bien porté.")
    page.click("#form-decision button[type=submit]")
    expect(page.locator(".fr-alert--success").first).to_contain_text("est créé")

    atelier = Atelier.objects.get(candidature=candidature)
    assert atelier.statut == "en_preparation" and atelier.format == "multisite"
    assert atelier.territoire.nom == "Pays de Redon"
    pilote = Participation.objects.get(atelier=atelier, role=Role.PILOTE).acteur
    assert pilote.utilisateur == claire.utilisateur

    # The applicant sees the decision on their page.
    candidat.goto(f"{candidat.base_url}/espace/candidatures/{candidature.pk}/")
    expect(candidat.locator("body")).to_contain_text("Retenue")
    expect(candidat.locator("body")).to_contain_text("Projet exemplaire et bien porté.")
