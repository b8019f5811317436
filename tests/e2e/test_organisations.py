"""The pilote picks the porteur and partners of an action among 200 organisations as they
type, with the keyboard only (JavaScript on): the search field is an ARIA 1.2 combobox whose
listbox of matches is walked with the arrow keys, chosen with Enter, closed with Escape."""

from axe_playwright_python.sync_playwright import Axe as AxeCore
from playwright.sync_api import expect

from feuilles_de_route import services
from feuilles_de_route.models import Action, Axe
from tests import factories
from tests.e2e.conftest import GRAVES, login


def test_le_pilote_cherche_porteur_et_partenaires_au_clavier(page, password):
    atelier = factories.AtelierFactory()
    pilote = factories.participant(
        atelier, "pilote", email="pilote-orga@developpement-durable.gouv.fr"
    )
    feuille = services.feuille_get_or_create(atelier=atelier)
    Axe.objects.create(feuille=feuille, titre="Habiter le centre-bourg", ordre=0)
    communes = {i: factories.OrganisationFactory(nom=f"Commune numéro {i:03d}") for i in range(200)}
    eau = factories.OrganisationFactory(nom="Agence de l'eau <b>Loire</b>-Bretagne")
    banque = factories.OrganisationFactory(nom="Banque des Territoires")

    login(page, pilote.email, password)
    adresse = f"{page.base_url}/espace/ateliers/{atelier.pk}/feuille-de-route/actions/ajouter/"
    page.goto(adresse)
    page.fill("input[name=titre]", "Réhabiliter la halle")

    # The porteur (radio buttons behind the combobox).
    porteur = page.locator("#id_porteur_q")
    options = page.locator("#id_porteur_q-options")
    expect(porteur).to_have_attribute("role", "combobox")
    expect(porteur).to_have_attribute("aria-controls", "id_porteur_q-options")
    expect(porteur).to_have_attribute("aria-expanded", "false")
    expect(options).to_have_attribute("role", "listbox")
    porteur.focus()
    page.keyboard.type("agence eau")
    expect(porteur).to_have_attribute("aria-expanded", "true")
    expect(options.locator("[role=option]")).to_have_count(1)
    statut = page.locator("#porteur [data-lieux-statut]")
    expect(statut).to_contain_text("1 organisation trouvée.")
    # A hostile name is shown as text, never as markup.
    expect(options.locator("[role=option]")).to_contain_text(eau.nom)
    expect(options.locator("b")).to_have_count(0)
    assert porteur.get_attribute("aria-activedescendant") is None  # nothing active yet
    page.keyboard.press("ArrowDown")
    expect(porteur).to_have_attribute("aria-activedescendant", "id_porteur_q-options-0")
    expect(porteur).to_be_focused()  # the focus stays in the field
    page.keyboard.press("Enter")  # chooses; does not submit
    expect(page.locator(f"#porteur-choix input[value='{eau.pk}']")).to_be_checked()
    expect(porteur).to_have_attribute("aria-expanded", "false")
    expect(options).to_be_hidden()
    expect(statut).to_contain_text(f"Choisi : {eau.nom} (")
    assert page.url == adresse

    # Partners (checkboxes): the arrow keys wrap around the list.
    partenaires = page.locator("#id_partenaires_q")
    options = page.locator("#id_partenaires_q-options [role=option]")
    partenaires.focus()
    page.keyboard.type("commune numéro 00")  # 000 to 009, and 100
    expect(options).to_have_count(11)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(partenaires).to_have_attribute("aria-activedescendant", "id_partenaires_q-options-1")
    expect(options.nth(1)).to_have_class(
        "atelier-combobox__option atelier-combobox__option--active"
    )
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # from the first: the last
    expect(partenaires).to_have_attribute("aria-activedescendant", "id_partenaires_q-options-10")
    # The open combobox, its listbox and the active option are valid ARIA (axe-core).
    graves = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in AxeCore().run(page).response["violations"]
        if v["impact"] in GRAVES
    ]
    assert graves == []
    page.keyboard.press("Enter")
    expect(page.locator(f"#partenaires-choix input[value='{communes[100].pk}']")).to_be_checked()

    # Escape closes the list, then clears the field; nothing is chosen.
    page.keyboard.press("Control+A")
    page.keyboard.type("banque")
    expect(partenaires).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(partenaires).to_have_attribute("aria-expanded", "false")
    expect(partenaires).to_have_value("banque")
    page.keyboard.press("Escape")
    expect(partenaires).to_have_value("")
    expect(page.locator(f"#partenaires-choix input[value='{banque.pk}']")).to_have_count(0)

    # Enter with no option active searches (it never submits); then ArrowDown, Enter.
    page.keyboard.type("banque")
    page.keyboard.press("Enter")
    expect(options).to_have_count(1)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator(f"#partenaires-choix input[value='{banque.pk}']")).to_be_checked()
    # Searching again shows the chosen one as selected.
    page.keyboard.press("Control+A")
    page.keyboard.type("banque des")
    expect(options.first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")

    page.click("button[value=enregistrer]")
    expect(
        page.locator(".fr-alert--success, .fr-notice--success, [role=alert]").first
    ).to_be_visible()
    action = Action.objects.get()
    assert action.porteur == eau
    assert set(action.partenaires.all()) == {communes[100], banque}
