"""The whole journey from a call to an atelier, in Chromium (issue 14).

DGALN publishes a call → a new applicant signs up with their names and lands back on
« candidater » → a draft saved half-empty → a file attached without losing the answer typed
→ recap → deposit → the PDF receipt (text extractable, the dossier's hash in it) → DGALN
declares it admissible and assigns two reviewers → each marks without seeing the other →
DGALN closes the call and selects it, naming the pilote among vetted State agents → the
decision letter (e-mail + PDF) → the new atelier, waiting for its pilote → another
candidature not retained without its missing avis (the reason kept) and its letter → the
pilote, who already has an account, receives the invitation, signs in from its link,
accepts, sets up the second factor every pilote needs and lands in the atelier with its
first steps.

Each step leaves a screenshot in ``test-artifacts/parcours-ami/`` and is scanned by
axe-core: no serious or critical violation on any page of the journey.
"""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from acteurs.models import Participation, Role
from appels.models import AppelACandidatures, Candidature
from appels.services import candidature_assigner_rapporteurs
from ateliers.models import Atelier
from tests import factories
from tests.e2e.conftest import Journey, confirm, login, new_page
from tests.factories import DgalnFactory, SessionFactory, UtilisateurFactory
from tests.factories.appels import PDF_BYTES, candidature_en_etat

pytestmark = pytest.mark.django_db(transaction=True)


def _paris(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def _pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return Path(info.value.path()).read_bytes()


def test_from_call_to_atelier(page, browser, live_server, password, tmp_path):
    journey = Journey("parcours-ami")
    agent = DgalnFactory(email="agent@dgaln.gouv.fr", first_name="Agnès", last_name="Durand")
    alice = UtilisateurFactory(email="alice@cerema.fr", first_name="Alice", last_name="Martin")
    bruno = UtilisateurFactory(email="bruno@ddt.gouv.fr", first_name="Bruno", last_name="Leroy")
    session = SessionFactory(titre="Session 2027 — Sobriété foncière")

    # --- DGALN creates and publishes the call ----------------------------------------------
    login(page, agent.email, password)
    page.goto(f"{page.base_url}/gestion/appels/nouveau/")
    page.fill("input[name=titre]", "AMI 2027 — Sobriété foncière")
    page.select_option("select[name=nature]", "session")
    page.select_option("select[name=session]", str(session.pk))
    page.fill("input[name=ouverture]", _paris(timezone.now() - dt.timedelta(days=1)))
    page.fill("input[name=cloture]", _paris(timezone.now() + dt.timedelta(days=30)))
    page.fill("textarea[name=eligibilite]", "Intercommunalités et PNR.")
    page.click("button:has-text('Créer l')")
    expect(page.get_by_role("heading", level=1)).to_have_text("AMI 2027 — Sobriété foncière")
    page.fill("input[name=question-libelle]", "Quels enjeux pour votre territoire ?")
    page.select_option("select[name=question-type]", "texte_long")
    page.click("#ajout-question button[type=submit]")
    page.fill("input[name=piece-libelle]", "Délibération de la collectivité")
    page.click("#ajout-piece button[type=submit]")
    for critere, poids in (("Portage politique", "2"), ("Caractère démonstratif", "1")):
        page.fill("input[name=critere-libelle]", critere)
        page.fill("input[name=critere-poids]", poids)
        page.click("#ajout-critere button[type=submit]")
    confirm(page, 'button[name=confirmation]:has-text("Publier l\'appel")')
    expect(page.locator("#statut-appel")).to_have_text("Publié")
    journey.step(page, "dgaln-appel-publie")
    appel = AppelACandidatures.objects.get()

    # --- A new applicant signs up with their names and lands back on « candidater » ----------
    candidat = new_page(browser, live_server)
    candidat.goto(f"{candidat.base_url}/appels/")
    journey.step(candidat, "appels-publics")
    candidat.click(f"text={appel.titre}")
    expect(candidat.get_by_role("heading", level=1)).to_have_text(appel.titre)
    journey.step(candidat, "appel")
    candidat.goto(f"{candidat.base_url}/appels/{appel.slug}/candidater/")
    assert "/comptes/login/" in candidat.url
    candidat.get_by_role("link", name="Créer un compte").click()
    candidat.fill("#id_email", "marie.durand@redon-agglo.fr")
    candidat.fill("#id_first_name", "Marie")
    candidat.fill("#id_last_name", "Durand")
    candidat.fill("#id_organisation", "Redon Agglomération")
    candidat.fill("#id_password1", "Un-mot-de-passe-solide-42")
    candidat.fill("#id_password2", "Un-mot-de-passe-solide-42")
    journey.step(candidat, "inscription")
    candidat.get_by_role("button", name="Créer mon compte").click()
    candidat.wait_for_load_state("networkidle")
    journey.step(candidat, "inscription-courriel-envoye")
    lien = re.search(r"https?://\S+(/comptes/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    candidat.goto(candidat.base_url + lien)
    journey.step(candidat, "confirmation-adresse")
    candidat.locator("main button[type=submit]").click()
    candidat.wait_for_url(f"**/appels/{appel.slug}/candidater/")
    expect(candidat.get_by_role("heading", level=1)).to_contain_text("Candidater")

    # --- A draft saved half-empty -----------------------------------------------------------
    candidat.fill("input[name=territoire_nom]", "Pays de Redon")
    candidat.click("button:has-text('Enregistrer le brouillon')")
    expect(candidat.locator(".fr-alert--success")).to_contain_text("Brouillon enregistré")
    expect(candidat.locator("input[name=territoire_nom]")).to_have_value("Pays de Redon")
    journey.step(candidat, "brouillon-a-moitie-vide")

    # --- An answer typed, then a file attached: the answer is kept --------------------------
    reponse = "Reconquérir les centres-bourgs et limiter l'étalement."
    candidat.locator("textarea[name^=q_]").fill(reponse)
    fichier = tmp_path / "délibération.pdf"
    fichier.write_bytes(PDF_BYTES)
    piece = appel.pieces_requises.get()
    candidat.set_input_files(f"input[name=piece_p{piece.pk}]", str(fichier))
    candidat.click("button:has-text('Joindre les fichiers choisis')")
    expect(candidat.locator(".fr-alert--success")).to_contain_text("délibération.pdf")
    expect(candidat.locator("textarea[name^=q_]")).to_have_value(reponse)
    journey.step(candidat, "piece-jointe-sans-perte")

    # --- The rest, then the recap -------------------------------------------------------------
    candidat.select_option("select[name=territoire_nature]", "epci")
    candidat.select_option("select[name=region]", label="Bretagne")
    candidat.select_option("select[name=departement]", label="Ille-et-Vilaine (35)")
    candidat.fill("input[name=porteur]", "Redon Agglomération")
    candidat.fill("input[name=contact_etat_nom]", "Claire Martin")
    candidat.fill("input[name=contact_etat_email]", "claire.martin@developpement-durable.gouv.fr")
    candidat.fill("input[name=contact_etat_service]", "DDTM d'Ille-et-Vilaine")
    candidat.click("button:has-text('Vérifier et déposer')")
    expect(candidat.get_by_role("heading", level=1)).to_have_text(
        "Vérifier et déposer la candidature"
    )
    expect(candidat.locator("main")).to_contain_text(reponse)
    expect(candidat.locator("main")).to_contain_text("délibération.pdf")
    journey.step(candidat, "recapitulatif")

    # --- Deposit and the receipt ------------------------------------------------------------
    candidat.check("#certifie", force=True)
    candidat.get_by_role("button", name="Déposer ma candidature").click()
    expect(candidat.get_by_role("heading", level=1)).to_contain_text("Ma candidature")
    candidature = Candidature.objects.get()
    assert candidature.statut == "deposee" and len(candidature.empreinte_depot) == 64
    journey.step(candidat, "candidature-deposee")
    recu = _download(candidat, "Télécharger le récépissé de dépôt (PDF)")
    texte = _pdf_text(recu)
    assert candidature.empreinte_depot in "".join(texte.split())
    assert "délibération.pdf" in texte and "heure de Paris" in texte
    accuse = next(m for m in mail.outbox if "Candidature reçue" in m.subject)
    assert accuse.to == ["marie.durand@redon-agglo.fr"]
    assert accuse.attachments[0][0] == f"recepisse-{candidature.pk}.pdf"

    # --- DGALN declares it admissible and assigns two reviewers --------------------------------
    page.goto(f"{page.base_url}/gestion/candidatures/")
    journey.step(page, "dgaln-liste-candidatures")
    page.click("text=Pays de Redon")
    page.check("#form-recevabilite input[value=recevable]", force=True)
    page.click("#form-recevabilite button[type=submit]")
    expect(page.locator("#statut-candidature")).to_have_text(re.compile("Recevable"))
    page.fill("#form-rapporteurs input[name=autres]", f"{alice.email}, {bruno.email}")
    page.click("#form-rapporteurs button[type=submit]")
    expect(page.locator("#statut-candidature")).to_have_text(re.compile("En instruction"))
    # While the call is open, the decision form says why it cannot be used yet.
    expect(page.locator("#decision-bloquee")).to_contain_text("encore ouvert")
    expect(page.locator("#form-decision button[name=confirmation]")).to_be_disabled()
    journey.step(page, "dgaln-instruction-appel-ouvert")

    # --- Each reviewer marks without seeing the other ------------------------------------------
    criteres = list(appel.criteres.all())

    def give_opinion(p, notes, commentaire):
        for critere, note in zip(criteres, notes, strict=True):
            p.check(f"#form-avis input[name=note_{critere.pk}][value='{note}']", force=True)
        p.fill("#form-avis textarea[name=commentaire]", commentaire)
        p.click("#form-avis button[type=submit]")
        expect(p.locator(".fr-alert--success")).to_contain_text("avis est enregistré")

    relecteurs = {}
    for personne in (alice, bruno):
        relecteurs[personne.email] = p = new_page(browser, live_server)
        login(p, personne.email, password)
        p.goto(f"{p.base_url}/gestion/candidatures/{candidature.pk}/")
        expect(p.locator("#avis-masques")).to_be_visible()
        expect(p.locator("#form-decision")).to_have_count(0)  # a reviewer does not decide
    a, b = relecteurs[alice.email], relecteurs[bruno.email]
    journey.step(a, "rapporteur-1-avant-avis")
    give_opinion(a, [5, 3], "Portage fort, démarche exemplaire.")
    b.reload()
    expect(b.locator("main")).not_to_contain_text("Portage fort, démarche exemplaire.")
    expect(b.locator("#avis-masques")).to_be_visible()
    journey.step(b, "rapporteur-2-sans-voir-le-premier")
    give_opinion(b, [3, 4], "Intéressant, périmètre à préciser.")
    expect(b.locator("main")).to_contain_text("Portage fort, démarche exemplaire.")
    journey.step(b, "rapporteur-2-apres-son-avis")

    # --- DGALN closes the call and decides ---------------------------------------------------
    page.goto(f"{page.base_url}/gestion/appels/{appel.pk}/")
    confirm(page, 'button[name=confirmation]:has-text("Clore l\'appel")')
    expect(page.locator("#statut-appel")).to_have_text("Clos")
    # The contact typed by the applicant is a vetted agent: DGALN finds them suggested.
    claire = factories.agent_etat(
        email="claire.martin@developpement-durable.gouv.fr", code="ddt-35"
    )
    type(claire.utilisateur).objects.filter(pk=claire.utilisateur_id).update(
        first_name="Claire", last_name="Martin"
    )
    page.goto(f"{page.base_url}/gestion/appels/{appel.pk}/classement/")
    expect(page.locator("#classement")).to_contain_text("Pays de Redon")
    journey.step(page, "dgaln-classement")
    page.goto(f"{page.base_url}/gestion/candidatures/")
    expect(page.locator(".avis-recus").first).to_have_text("2 / 2")
    page.goto(f"{page.base_url}/gestion/candidatures/{candidature.pk}/")
    # Weighted: Alice (5*2+3)/3 = 4.33, Bruno (3*2+4)/3 = 3.33 → 3.83, spread 1.00.
    expect(page.locator("#score-pondere")).to_have_text(re.compile(r"3[,.]83"))
    expect(page.locator("#ecart")).to_have_text(re.compile(r"1[,.]00"))
    expect(page.locator("#form-decision select[name=pilote]")).to_have_value(str(claire.pk))
    page.check("#form-decision input[value=retenue]", force=True)
    page.fill("#form-decision textarea[name=motivation]", "Projet exemplaire et bien porté.")
    journey.step(page, "dgaln-decision")
    # The page's one modal repeats the decision chosen in the form, then records it.
    page.locator("#form-decision button[name=confirmation]").click()
    expect(page.locator("dialog.fr-modal[open]")).to_contain_text("Votre choix : Retenue")
    page.locator("dialog.fr-modal[open] button[form=form-decision]").click()
    page.wait_for_load_state("networkidle")
    succes = page.locator(".fr-alert--success").first
    expect(succes).to_contain_text("est créé")

    atelier = Atelier.objects.get(candidature=candidature)
    assert atelier.statut == "en_preparation" and atelier.format == "multisite"
    assert atelier.territoire.nom == "Pays de Redon"
    # The pilote is invited: in the atelier once they accept.
    assert not Participation.objects.filter(atelier=atelier, role=Role.PILOTE).exists()

    # The applicant sees the decision on their page.
    # --- The decision letter ----------------------------------------------------------------
    decision = next(m for m in mail.outbox if "lauréat" in m.subject)
    assert decision.to == ["marie.durand@redon-agglo.fr"]
    _nom, contenu, mime = decision.attachments[0]
    assert mime == "application/pdf" and "Projet exemplaire et bien porté." in _pdf_text(contenu)
    candidat.goto(f"{candidat.base_url}/espace/candidatures/{candidature.pk}/")
    expect(candidat.locator("#chronologie")).to_contain_text("Retenue")
    journey.step(candidat, "candidature-retenue")
    lettre = _download(candidat, "Télécharger la lettre de décision (PDF)")
    assert "Votre candidature est retenue" in _pdf_text(lettre)

    # --- The new atelier and its first steps ------------------------------------------------
    succes.get_by_role("link").click()
    atelier = Atelier.objects.get(candidature=candidature)
    page.wait_for_url(f"**/espace/ateliers/{atelier.pk}/")
    expect(page.locator("#premiers-pas")).to_contain_text("Constituer l'équipe pluridisciplinaire")
    expect(page.locator("#premiers-pas")).to_contain_text("séminaire de lancement")
    expect(page.locator("#premiers-pas")).to_contain_text(
        f"Invitation envoyée à {claire.utilisateur.email}"
    )
    expect(page.locator("#comptes-acteurs")).not_to_contain_text("absents")
    journey.step(page, "atelier-en-attente-du-pilote")
    # The applicant is in the atelier, with the role a collectivité implies.
    assert Participation.objects.get(
        atelier=atelier, acteur__utilisateur__email="marie.durand@redon-agglo.fr"
    ).role == ("technicien")
    candidat.goto(f"{candidat.base_url}/espace/ateliers/{atelier.pk}/")
    expect(candidat.get_by_role("heading", level=1)).to_contain_text("Pays de Redon")
    journey.step(candidat, "atelier-vu-par-le-candidat")

    # --- Another applicant is not retained, decided without the avis still missing ----------
    jean = UtilisateurFactory(email="jean.leroux@val-de-vilaine.fr")
    autre = candidature_en_etat(
        Candidature.Statut.EN_INSTRUCTION, appel=appel, territoire_nom="Val de Vilaine", auteur=jean
    )
    candidature_assigner_rapporteurs(candidature=autre, by=agent, rapporteurs=[alice])
    page.goto(f"{page.base_url}/gestion/candidatures/{autre.pk}/")
    page.check("#form-decision input[value=non_retenue]", force=True)
    page.fill("#form-decision textarea[name=motivation]", "Périmètre trop restreint cette année.")
    page.fill("#form-decision textarea[name=sans_tous_les_avis]", "Avis non rendu avant le comité.")
    journey.step(page, "dgaln-decision-non-retenue-sans-tous-les-avis")
    confirm(page, "#form-decision button[name=confirmation]")
    expect(page.locator(".fr-alert--success").first).to_contain_text("non retenue")
    autre.refresh_from_db()
    assert autre.statut == "non_retenue"
    assert autre.motif_avis_manquants == "Avis non rendu avant le comité."
    (refus,) = [m for m in mail.outbox if m.to == [jean.email] and m.attachments]
    assert refus.attachments[0][0] == f"decision-{autre.pk}.pdf"
    assert "Périmètre trop restreint cette année." in _pdf_text(refus.attachments[0][1])

    # --- The pilote receives the invitation, signs in from its link, accepts ---------------
    (invitation,) = [m for m in mail.outbox if m.to == [claire.utilisateur.email]]
    assert "pilote" in invitation.subject and atelier.titre in invitation.subject
    assert invitation.body.startswith("Bonjour Claire,")
    lien = re.search(r"https?://\S+(/invitations/\S+/)", invitation.body).group(1)
    pilote = new_page(browser, live_server)
    pilote.goto(pilote.base_url + lien)
    expect(pilote.get_by_role("heading", level=1)).to_contain_text(atelier.titre)
    expect(pilote.locator("main")).to_contain_text("Un compte existe déjà")
    expect(pilote.locator("main")).to_contain_text("réservé aux agents de l'État vérifiés")
    journey.step(pilote, "pilote-invitation")
    pilote.locator("main").get_by_role("link", name="Se connecter").click()
    pilote.fill("input[name=login]", claire.utilisateur.email)
    pilote.fill("input[name=password]", password)
    pilote.click("button[type=submit]:has-text('Se connecter')")
    pilote.wait_for_url(f"**{lien}")
    journey.step(pilote, "pilote-invitation-connecte")
    pilote.get_by_role("button", name="Rejoindre l'atelier").click()
    # A first-time pilote sets up the second factor, then continues to the atelier.
    # allauth asks for the password again before managing the second factor.
    pilote.wait_for_url("**/comptes/reauthenticate/**")
    pilote.fill("input[name=password]", password)
    pilote.locator("main form button[type=submit]").click()
    pilote.wait_for_url("**/comptes/2fa/totp/activate/")
    journey.step(pilote, "pilote-double-authentification")
    secret = pilote.locator("#authenticator_secret").input_value()
    pilote.fill("input[name=code]", factories.totp_code(secret))
    pilote.locator("main form button[type=submit]").click()
    pilote.wait_for_url("**/comptes/2fa/recovery-codes/")
    journey.step(pilote, "pilote-codes-de-recuperation")
    pilote.locator("#mfa-suite").get_by_role("link", name="Continuer").click()
    pilote.wait_for_url(f"**/espace/ateliers/{atelier.pk}/")
    expect(pilote.locator("main")).to_contain_text("Pays de Redon")
    premiers_pas = pilote.locator("#premiers-pas")
    expect(premiers_pas).to_contain_text("Constituer l'équipe pluridisciplinaire")
    expect(premiers_pas).to_contain_text("Inviter les participants")
    expect(premiers_pas).to_contain_text("séminaire de lancement")
    expect(premiers_pas).not_to_contain_text("Le pilote rejoint")
    journey.step(pilote, "pilote-atelier-premiers-pas")
    assert (
        Participation.objects.get(atelier=atelier, role=Role.PILOTE).acteur.utilisateur
        == claire.utilisateur
    )

    assert not journey.problemes, "\n".join(journey.problemes)
