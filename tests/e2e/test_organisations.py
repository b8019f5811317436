"""The pilote picks the porteur and a partner of an action among 200 organisations as they
type, with the keyboard (JavaScript on), and saves the action."""

from playwright.sync_api import expect

from feuilles_de_route import services
from feuilles_de_route.models import Action, Axe
from tests import factories
from tests.e2e.conftest import login


def test_le_pilote_cherche_porteur_et_partenaire(page, password):
    atelier = factories.AtelierFactory()
    pilote = factories.participant(
        atelier, "pilote", email="pilote-orga@developpement-durable.gouv.fr"
    )
    feuille = services.feuille_get_or_create(atelier=atelier)
    Axe.objects.create(feuille=feuille, titre="Habiter le centre-bourg", ordre=0)
    for i in range(200):
        factories.OrganisationFactory(nom=f"Commune numéro {i:03d}")
    eau = factories.OrganisationFactory(nom="Agence de l'eau <b>Loire</b>-Bretagne")
    banque = factories.OrganisationFactory(nom="Banque des Territoires")

    login(page, pilote.email, password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/feuille-de-route/actions/ajouter/")
    page.fill("input[name=titre]", "Réhabiliter la halle")
    page.fill("#id_porteur_q", "agence eau")
    statut = page.locator("#porteur [data-lieux-statut]")
    expect(statut).to_have_text("1 organisation trouvée.")
    # A hostile name is shown as text, never as markup.
    expect(page.locator("#porteur-choix label", has_text="<b>Loire</b>")).to_be_attached()
    page.focus("#id_porteur_q")
    page.keyboard.press("ArrowDown")  # to the first choice: « Aucun porteur »
    page.keyboard.press("ArrowDown")  # radio group: the next one, which it ticks
    expect(page.locator(f"#porteur-choix input[value='{eau.pk}']")).to_be_checked()

    page.fill("#id_partenaires_q", "banque")
    page.keyboard.press("Enter")  # searches, does not submit
    case = page.locator(f"#partenaires-choix input[value='{banque.pk}']")
    expect(case).to_be_attached()
    page.locator(f"label[for=id_partenaires_{banque.pk}]").click()  # DSFR: the label is the target
    expect(case).to_be_checked()
    page.click("button[value=enregistrer]")
    expect(
        page.locator(".fr-alert--success, .fr-notice--success, [role=alert]").first
    ).to_be_visible()

    action = Action.objects.get()
    assert action.porteur == eau
    assert list(action.partenaires.all()) == [banque]
