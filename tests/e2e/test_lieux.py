"""An applicant picks the territory from the reference as they type (JavaScript on)."""

import pytest
from playwright.sync_api import expect

from appels.models import Candidature
from territoires.reference import load_communes
from tests.e2e.conftest import login
from tests.factories import UtilisateurFactory
from tests.factories.appels import appel_complet


@pytest.fixture
def appel(db):
    load_communes(departements={"22"})
    return appel_complet()


def test_le_candidat_choisit_son_epci_en_tapant(page, appel, password):
    candidat = UtilisateurFactory(email="candidat@collectivite.fr")
    login(page, candidat.email, password)
    page.goto(f"{page.base_url}/appels/{appel.slug}/candidater/")

    page.fill("#id_lieux_q", "Saint-Brieuc")
    # The matches are the options of the combobox's listbox; a click chooses one.
    page.locator("#id_lieux_q-options [role=option]", has_text="CA Saint-Brieuc Armor").click()
    case = page.get_by_label("CA Saint-Brieuc Armor Agglomération", exact=False)
    expect(case).to_be_checked()
    page.fill("#id_lieux_q", "quintin")
    page.keyboard.press("Enter")  # searches, does not submit
    expect(page.locator("#id_lieux_q-options [data-valeur='commune:22262']")).to_be_visible()
    expect(case).to_be_checked()  # the first choice stays

    page.fill("input[name=territoire_nom]", "Saint-Brieuc Armor Agglomération")
    page.select_option("select[name=territoire_nature]", "epci")
    page.fill("input[name=porteur]", "Saint-Brieuc Armor Agglomération")
    page.fill("input[name=contact_etat_nom]", "Claire Martin")
    page.fill("input[name=contact_etat_email]", "claire.martin@developpement-durable.gouv.fr")
    page.fill("input[name=contact_etat_service]", "DDTM des Côtes-d'Armor")
    page.click("button:has-text('Enregistrer le brouillon')")
    expect(page.locator(".fr-alert--success")).to_contain_text("Brouillon enregistré")

    candidature = Candidature.objects.get()
    assert [e.siren for e in candidature.epci.all()] == ["200069409"]
    assert (candidature.region.code, candidature.departement.code) == ("53", "22")
