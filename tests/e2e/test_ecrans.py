"""Every main page, for each role, at 375 px and 1280 px: nothing overflows the window (the
tables scroll inside their own box or turn into cards), and axe-core finds no serious or
critical violation, maps included. One browser, one signed-in page per role and width; each
page leaves a screenshot in ``test-artifacts/ecrans/``. Then the keyboard: Tab reaches every
control of the maps and of the roadmap editor."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from acteurs.models import Role
from appels.models import Candidature
from feuilles_de_route import services as fdr
from journal.models import Action
from journal.services import audit
from tests import factories
from tests.e2e.conftest import login, new_page
from tests.factories import feuilles_de_route as f
from tests.factories.public import feuille_publiee, laureat, rapport_publie

pytestmark = pytest.mark.django_db(transaction=True)

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "ecrans"
LARGEURS = (375, 1280)
GRAVES = {"serious", "critical"}
PERIMETRE = {
    "type": "Polygon",
    "coordinates": [[[-3.1, 48.3], [-2.7, 48.3], [-2.7, 48.55], [-3.1, 48.3]]],
}


def _donnees(password) -> dict:
    f.ensure_reference_data()
    session = factories.SessionFactory(titre="Territoires en transition", theme="Transition")
    atelier = laureat(
        nom="Loudéac Communauté", format="multisite", session=session, perimetre=PERIMETRE
    )
    pilote = factories.participant(atelier, Role.PILOTE, email="pilote@e2e.fr")
    factories.participant(atelier, Role.HABITANT, email="habitant@e2e.fr")
    factories.EtapeFactory(atelier=atelier, statut="realisee", titre="Séminaire de lancement")
    f.site(atelier)
    rapport = rapport_publie(
        atelier, version=feuille_publiee(atelier, axes=2, actions=2).version_adoptee
    )
    # As the worker writes it when a report is ready: its summary holds the PDF's SHA-256.
    audit(
        by=None,
        obj=rapport,
        action=Action.RAPPORT_PRET,
        summary=f"PDF de {rapport.taille} octets, empreinte {rapport.empreinte}.",
        atelier=atelier,
    )
    for i in range(8):
        laureat(nom=f"Communauté de communes {i}", lat=45 + i * 0.1, lon=2 + i * 0.1)

    # A roadmap awaiting the élu's signature, in another atelier.
    en_signature = factories.AtelierFactory(titre="Atelier de Quintin")
    autre_pilote = factories.participant(en_signature, Role.PILOTE, email="pilote2@e2e.fr")
    elu = factories.participant(en_signature, Role.ELU, email="elu@e2e.fr")
    etat = f.etat_signataire(en_signature)
    version = f.send(f.feuille_with_actions(en_signature), autre_pilote, elu, etat)
    fdr.version_sign(version=version, by=etat, password=password)

    appel = factories.AppelFactory(titre="AMI 2027 — Sobriété foncière")
    candidat = factories.UtilisateurFactory(email="candidat@e2e.fr")
    factories.CandidatureFactory(appel=appel, auteur=candidat)
    rapporteur = factories.UtilisateurFactory(email="rapporteur@e2e.fr")
    instruite = factories.CandidatureFactory(
        appel=appel,
        territoire_nom="Communauté de communes du Mené",
        statut=Candidature.Statut.EN_INSTRUCTION,
        deposee_le=timezone.now(),
    )
    instruite.rapporteurs.add(rapporteur)
    dgaln = factories.DgalnFactory(email="dgaln@e2e.fr")
    factories.vetted_agent(dgaln)

    espace = f"/espace/ateliers/{atelier.pk}/"
    gestion = [
        "/gestion/",
        "/gestion/candidatures/",
        f"/gestion/candidatures/{instruite.pk}/",
        "/gestion/appels/",
        "/gestion/sessions/",
        "/gestion/ateliers/",
        "/gestion/suivi/",
        "/gestion/agents-etat/",
        "/gestion/services-etat/",
        "/gestion/indicateurs/",
        "/gestion/fiches/",
        "/gestion/syntheses/",
        "/gestion/journal/",
        "/gestion/tableau-national/",
    ]
    return {
        "anonyme": (
            None,
            [
                "/",
                "/laureats/",
                "/laureats/carte/",
                atelier.territoire.get_absolute_url(),
                "/sessions/",
                session.get_absolute_url(),
                "/appels/",
                reverse("appels:appel", args=[appel.slug]),
                "/donnees/",
                "/accessibilite/",
                "/plan-du-site/",
                "/comptes/login/",
            ],
        ),
        "candidat": (
            candidat.email,
            ["/espace/", reverse("appels:candidater", args=[appel.slug])],
        ),
        "pilote": (
            pilote.email,
            [
                "/espace/",
                espace,
                espace + "etapes/",
                espace + "participants/",
                espace + "documents/",
                espace + "journal/",
                espace + "sites/",
                espace + "feuille-de-route/",
                espace + "feuille-de-route/suivi/",
            ],
        ),
        "elu": (
            elu.email,
            [
                "/espace/",
                f"/espace/ateliers/{en_signature.pk}/",
                f"/espace/ateliers/{en_signature.pk}/feuille-de-route/",
                f"/espace/ateliers/{en_signature.pk}/feuille-de-route/versions/1/signer/",
            ],
        ),
        "habitant": (
            "habitant@e2e.fr",
            ["/espace/", espace, espace + "etapes/", espace + "documents/"],
        ),
        "dgaln": (dgaln.email, gestion),
        "rapporteur": (
            rapporteur.email,
            ["/espace/", "/gestion/candidatures/", f"/gestion/candidatures/{instruite.pk}/"],
        ),
    }


def _nom(chemin: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", chemin.lower()).strip("-") or "accueil"


@pytest.mark.parametrize(
    "role", ["anonyme", "candidat", "pilote", "elu", "habitant", "dgaln", "rapporteur"]
)
def test_every_page_fits_both_widths_and_passes_axe(browser, live_server, password, role):
    email, chemins = _donnees(password)[role]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    problemes = []
    page = new_page(browser, live_server, viewport={"width": 1280, "height": 900})
    if email:
        login(page, email, password)
    for largeur in LARGEURS:
        page.set_viewport_size({"width": largeur, "height": 900})
        for chemin in chemins:
            reponse = page.goto(page.base_url + chemin)
            page.wait_for_load_state("networkidle")
            assert reponse.status == 200, (role, chemin, reponse.status)
            page.screenshot(
                path=str(ARTEFACTS / f"{role}-{largeur}-{_nom(chemin)}.png"), full_page=True
            )
            debord = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if debord > 0:
                problemes.append(f"{largeur} px {chemin}: déborde de {debord} px")
            # On a desktop, the overview's three-column table of actors shows every column
            # (its header « Venus au moins une fois » on one line hid the last one, 120 px),
            # and so does the audit trail (a report's hash in a summary hid its last two).
            for tableau in ("#comptes-acteurs", "#journal-evenements"):
                cache = page.evaluate(
                    "(s) => { const t = document.querySelector(s);"
                    " const c = t && t.closest('.fr-table__container');"
                    " return c ? c.scrollWidth - c.clientWidth : 0; }",
                    tableau,
                )
                if largeur >= 1280 and cache > 4:  # its borders: 2 px
                    problemes.append(
                        f"{largeur} px {chemin}: tableau {tableau} coupé de {cache} px"
                    )
            for violation in axe.run(page).response["violations"]:
                if violation["impact"] in GRAVES:
                    cibles = [n["target"] for n in violation["nodes"]][:3]
                    problemes.append(
                        f"{largeur} px {chemin}: {violation['id']} ({violation['impact']}) {cibles}"
                    )
    page.context.close()
    assert not problemes, "\n".join(problemes)


_FOCUSABLES = ' :is(a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"]))'
_CONTROLES = (
    "(selecteur) => Array.from(document.querySelectorAll(selecteur + '" + _FOCUSABLES + "'))"
    """.filter((el) => !el.disabled && el.getClientRects().length
 && getComputedStyle(el).visibility !== 'hidden').length"""
)
_MARQUER = """(selecteur) => { const el = document.activeElement;
 if (el && el.closest(selecteur)) { el.dataset.atteint = '1'; } return !!el && el !== document.body; }"""
_NON_ATTEINTS = (
    "(selecteur) => Array.from(document.querySelectorAll(selecteur + '" + _FOCUSABLES + "'))"
    """.filter((el) => !el.disabled && el.getClientRects().length
 && getComputedStyle(el).visibility !== 'hidden' && !el.dataset.atteint)
 .map((el) => el.outerHTML.slice(0, 120))"""
)


def _tab_reaches_every_control(page, selecteur: str, max_tabs: int = 400) -> int:
    """Press Tab from the top of the page until the focus leaves the page; every visible
    control inside ``selecteur`` must have had the focus. Returns how many there are."""
    total = page.evaluate(_CONTROLES, selecteur)
    assert total, selecteur
    page.locator("body").focus()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if not page.evaluate(_MARQUER, selecteur):
            break
    non_atteints = page.evaluate(_NON_ATTEINTS, selecteur)
    assert not non_atteints, f"{selecteur}: {non_atteints}"
    return total


def test_the_keyboard_reaches_every_control_of_the_maps_and_the_editor(
    browser, live_server, password
):
    donnees = _donnees(password)
    page = new_page(browser, live_server, viewport={"width": 1280, "height": 900})
    page.goto(page.base_url + "/laureats/carte/")
    page.wait_for_selector("[data-chargee]", state="attached")
    page.wait_for_load_state("networkidle")
    assert _tab_reaches_every_control(page, ".leaflet-container") >= 3  # zoom and markers
    page.goto(page.base_url + donnees["anonyme"][1][3])  # a territory page and its map
    page.wait_for_load_state("networkidle")
    _tab_reaches_every_control(page, ".leaflet-container")
    login(page, donnees["pilote"][0], password)
    editeur = donnees["pilote"][1][7]
    page.goto(page.base_url + editeur)
    page.wait_for_load_state("networkidle")
    assert _tab_reaches_every_control(page, "main") > 10
    page.goto(page.base_url + donnees["pilote"][1][6])  # the sites map, with its drawing tools
    page.wait_for_load_state("networkidle")
    _tab_reaches_every_control(page, "main")
    page.context.close()


def test_on_a_phone_the_laureats_come_before_their_folded_filters(phone_page):
    for i in range(3):
        laureat(nom=f"Communauté de communes {i}")
    phone_page.goto(phone_page.base_url + "/laureats/")
    resultats = phone_page.locator("#resultats")
    assert resultats.bounding_box()["y"] < 844, "the results are on the first screen"
    recherche = phone_page.locator("#id_q")
    expect(recherche).to_be_hidden()  # folded (after the DSFR's 0.3 s transition)
    phone_page.get_by_role("button", name="Filtrer les lauréats").click()
    recherche.wait_for()
    recherche.fill("communes 1")
    phone_page.keyboard.press("Enter")
    phone_page.wait_for_url("**/laureats/?*q=communes*")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
