"""Nothing irreversible in one click (issue 18): every such action says what it will do first,
in a DSFR modal with JavaScript and on a confirmation page without it; nothing changes until
the person confirms. One mechanism (``atelier.confirmation``) for all of them."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from acteurs import services as acteurs_services
from acteurs.models import Participation, Role
from appels.models import AppelACandidatures, Candidature
from ateliers.models import Atelier, Document, SiteDemonstrateur
from feuilles_de_route.models import Action, Axe
from tests import factories
from tests.factories import appels as fa
from tests.factories import ateliers as fat
from tests.factories import feuilles_de_route as ff

pytestmark = pytest.mark.django_db


def _hidden(html: str) -> dict[str, str]:
    form = html.split('id="form-confirmation"')[1].split("</form>")[0]
    champs = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    champs.pop("csrfmiddlewaretoken")
    return champs


def _action_of_page(html: str) -> str:
    return re.search(r'<form method="post" action="([^"]+)" id="form-confirmation"', html)[1]


def _confirm_page(client, url: str, data: dict | None = None, *, method: str = "get") -> str:
    """The confirmation page, reached without JavaScript: by GET, or by the trigger's POST."""
    if method == "get":
        response = client.get(url, data or {})
    else:
        response = client.post(url, {**(data or {}), "confirmation": "demandee"})
    assert response.status_code == 200, response.status_code
    html = unescape(response.content.decode())
    assert "Ce qui va se passer" in html
    assert _action_of_page(html) == url
    assert 'name="confirmation"' not in html.split('id="form-confirmation"')[1].split("</form>")[0]
    return html


# --- Without JavaScript: a page, and nothing changes until confirmed ------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_site_shows_what_will_happen_and_changes_nothing(
    client, atelier, pilote, method
):
    site = ff.site(atelier, nom="Friche de la gare")
    url = reverse("ateliers:site_supprimer", args=[atelier.pk, site.pk])
    client.force_login(pilote)
    html = _confirm_page(client, url, method=method)
    assert "Supprimer le site démonstrateur « Friche de la gare »" in html
    assert "effacés définitivement" in html
    assert SiteDemonstrateur.objects.filter(pk=site.pk).exists()
    # The page's own button (its form as it is) deletes.
    response = client.post(_action_of_page(html), _hidden(html))
    assert response.status_code == 302
    assert not SiteDemonstrateur.objects.filter(pk=site.pk).exists()


def test_withdrawing_the_atelier_keeps_the_choice_through_the_page(client, atelier, pilote):
    Atelier.objects.filter(pk=atelier.pk).update(
        statut=Atelier.Statut.EN_COURS, publie=True, publie_le=timezone.now()
    )
    url = reverse("ateliers:atelier_publication", args=[atelier.pk])
    client.force_login(pilote)
    html = _confirm_page(client, url, {"publier": "0"}, method="post")
    assert "Retirer l'atelier" in html and "ne montrera plus l'atelier" in html
    assert _hidden(html) == {"publier": "0"}
    atelier.refresh_from_db()
    assert atelier.publie
    client.post(url, _hidden(html))
    atelier.refresh_from_db()
    assert not atelier.publie


def test_publishing_a_document_asks_first(client, atelier, pilote):
    document = fat.document(atelier, by=pilote, titre="Diagnostic")
    url = reverse("ateliers:document_publier", args=[atelier.pk, document.pk])
    client.force_login(pilote)
    html = _confirm_page(client, url, {"publie": "1"})
    assert "Publier le document « Diagnostic »" in html and "Toutes ses versions" in html
    assert not Document.objects.get(pk=document.pk).publie


def test_deleting_an_axe_or_an_action_asks_first(client, atelier, pilote):
    feuille = ff.feuille_with_actions(atelier, axes=1, actions_per_axe=2)
    axe = feuille.axes.get()
    action = axe.actions.first()
    client.force_login(pilote)
    html = _confirm_page(
        client, reverse("feuilles_de_route:action_supprimer", args=[atelier.pk, action.pk])
    )
    assert f"Supprimer l'action « {action.titre} »" in html
    html = _confirm_page(
        client, reverse("feuilles_de_route:axe_supprimer", args=[atelier.pk, axe.pk])
    )
    assert "L'axe et ses 2 actions sont retirés du brouillon" in html
    assert Axe.objects.filter(pk=axe.pk).exists() and Action.objects.filter(pk=action.pk).exists()


def test_withdrawing_the_roadmap_asks_first(client, atelier, pilote):
    feuille = ff.feuille_with_actions(atelier)
    url = reverse("feuilles_de_route:publier", args=[atelier.pk])
    client.force_login(pilote)
    html = _confirm_page(client, url, {"publier": "0"})
    assert "Retirer la feuille de route du site public" in html
    assert _hidden(html) == {"publier": "0"}
    feuille.refresh_from_db()
    assert feuille.publiee is False


def test_closing_a_call_says_how_many_drafts_will_never_be_deposited(client, dgaln):
    appel = fa.appel_complet()
    fa.candidature_en_etat(Candidature.Statut.BROUILLON, appel=appel)
    fa.candidature_en_etat(Candidature.Statut.BROUILLON, appel=appel)
    url = reverse("appels:gestion_appel_statut", args=[appel.pk])
    client.force_login(dgaln)
    html = _confirm_page(client, url, {"action": "clore"}, method="post")
    assert "Clore l'appel" in html
    assert "2 brouillons de candidature ne pourront plus être déposés." in html
    appel.refresh_from_db()
    assert appel.statut == AppelACandidatures.Statut.PUBLIE
    client.post(url, _hidden(html))
    appel.refresh_from_db()
    assert appel.statut == AppelACandidatures.Statut.CLOS


def test_removing_a_call_document_asks_first(client, dgaln):
    appel = fa.appel_complet()
    document = fa.document_appel(appel, titre="Règlement")
    url = reverse("appels:gestion_appel_document_supprimer", args=[appel.pk, document.pk])
    client.force_login(dgaln)
    html = _confirm_page(client, url)
    assert "Retirer le document « Règlement »" in html
    assert appel.documents.filter(pk=document.pk).exists()


def test_a_decision_is_confirmed_with_what_was_typed(client, dgaln):
    appel = fa.appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = fa.candidature_en_etat(Candidature.Statut.EN_INSTRUCTION, appel=appel)
    url = reverse("appels:gestion_candidature_decision", args=[candidature.pk])
    client.force_login(dgaln)
    typed = {"decision": "non_retenue", "motivation": "Projet hors du champ de l'appel."}
    html = _confirm_page(client, url, typed, method="post")
    assert "ne sera pas retenue" in html and "lettre de décision" in html
    assert "Motivation : Projet hors du champ de l'appel." in html
    assert _hidden(html)["decision"] == "non_retenue"
    candidature.refresh_from_db()
    assert candidature.statut == Candidature.Statut.EN_INSTRUCTION
    # A form that does not hold is corrected on the candidature's page, as before.
    response = client.post(url, {"decision": "non_retenue", "confirmation": "demandee"})
    assert response.status_code == 400 and 'id="form-decision"' in response.content.decode()
    client.post(url, _hidden(html))
    candidature.refresh_from_db()
    assert candidature.statut == Candidature.Statut.NON_RETENUE


def test_the_confirmation_page_is_refused_to_whoever_may_not_act(client, atelier, equipe):
    site = ff.site(atelier)
    client.force_login(equipe)
    response = client.get(reverse("ateliers:site_supprimer", args=[atelier.pk, site.pk]))
    assert response.status_code == 403


# --- With JavaScript: the trigger opens the page's modal; its button submits the form ------


def _triggers(html: str) -> list[dict[str, str]]:
    """Every confirmation trigger of the page: its attributes, its label, its form's action."""
    found = []
    for form, attrs, label in re.findall(
        r'(?:<form method="post" action="([^"]+)" id="[\w-]+" class="confirmation-form">.*?)?'
        r'<button ([^>]*name="confirmation" value="demandee"[^>]*)>(.*?)</button>',
        html,
    ):
        trigger = {k: unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', attrs)}
        trigger["label"] = unescape(re.sub(r"<[^>]+>", "", label))
        trigger["action"] = form
        found.append(trigger)
    return found


def _trigger(html: str, label: str) -> dict[str, str]:
    matching = [t for t in _triggers(html) if t["label"].startswith(label)]
    assert matching, label
    return matching[0]


def test_each_page_has_one_modal_and_each_trigger_carries_its_text(client, atelier, pilote, dgaln):
    site = ff.site(atelier, nom="Friche de la gare")
    client.force_login(pilote)
    html = client.get(reverse("ateliers:sites", args=[atelier.pk])).content.decode()
    trigger = _trigger(html, "Supprimer")
    assert trigger["data-confirmation-titre"] == (
        "Supprimer le site démonstrateur « Friche de la gare » ?"
    )
    assert trigger["data-confirmation-bouton"] == "Supprimer le site"
    assert trigger["action"] == reverse("ateliers:site_supprimer", args=[atelier.pk, site.pk])
    assert html.count('class="fr-modal"') == 1
    assert f'<dialog id="{trigger["aria-controls"]}" class="fr-modal"' in html
    assert 'src="/static/js/confirmation.js"' in html

    # 3 axes of 4 actions: 15 triggers, each with its own text, one modal for all of them.
    feuille = ff.feuille_with_actions(atelier, axes=3, actions_per_axe=4)
    html = client.get(reverse("feuilles_de_route:feuille", args=[atelier.pk])).content.decode()
    assert html.count('class="fr-modal"') == 1
    triggers = [t for t in _triggers(html) if t["label"].startswith("Supprimer")]
    assert len(triggers) == 15
    assert {t["aria-controls"] for t in triggers} == {"confirmation-modale"}
    action = Action.objects.filter(axe__feuille=feuille).order_by("axe__ordre", "ordre")[1]
    trigger = _trigger(html, f"Supprimer l'action « {action.titre} »")
    assert trigger["data-confirmation-titre"] == f"Supprimer l'action « {action.titre} » ?"
    assert "avec sa description" in trigger["data-confirmation-consequences"]
    assert trigger["action"] == reverse(
        "feuilles_de_route:action_supprimer", args=[atelier.pk, action.pk]
    )

    client.force_login(dgaln)
    appel = fa.appel_complet()
    html = client.get(reverse("appels:gestion_appel", args=[appel.pk])).content.decode()
    trigger = _trigger(html, "Clore l'appel")
    assert (
        "Plus aucune candidature ne pourra être déposée"
        in (trigger["data-confirmation-consequences"])
    )
    # A page without any such action has no modal.
    html = client.get(reverse("appels:gestion_appels")).content.decode()
    assert 'class="fr-modal"' not in html


def test_a_trigger_carries_hostile_names_as_escaped_text(client, atelier, pilote):
    """The modal's text reaches the page in attributes, escaped; the script writes it as text."""
    feuille = ff.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    hostile = '<img src=x onerror="alert(1)"> & « co »'
    Action.objects.filter(axe__feuille=feuille).update(titre=hostile)
    client.force_login(pilote)
    html = client.get(reverse("feuilles_de_route:feuille", args=[atelier.pk])).content.decode()
    assert "<img src=x" not in html
    trigger = _trigger(html, f"Supprimer l'action « {hostile} »")
    assert trigger["data-confirmation-titre"] == f"Supprimer l'action « {hostile} » ?"


# --- The last pilote --------------------------------------------------------------------------


def test_the_last_pilote_cannot_be_removed(client, atelier, pilote):
    participation = Participation.objects.get(acteur__utilisateur=pilote)
    with pytest.raises(acteurs_services.ParticipationError) as refus:
        acteurs_services.participation_remove(participation=participation, by=pilote)
    assert "dernier pilote" in refus.value.message
    client.force_login(pilote)
    html = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    trigger = re.search(r'<button[^>]*name="confirmation"[^>]*>Retirer', html)[0]
    assert "disabled" in trigger
    # It controls no dialog: none is drawn for it (axe: aria-valid-attr-value).
    assert "aria-controls" not in trigger
    reason_id = re.search(r'aria-describedby="([\w-]+)"', trigger)[1]
    assert re.search(
        rf'id="{reason_id}">Le dernier pilote de l&#x27;atelier ne peut pas être retiré', html
    )
    # Without JavaScript the page says why, with no button; a forced POST changes nothing.
    url = reverse("ateliers:participation_retirer", args=[atelier.pk, participation.pk])
    response = client.get(url)
    assert response.status_code == 409
    assert "ne peut pas être retiré" in response.content.decode()
    assert 'id="form-confirmation"' not in response.content.decode()
    client.post(url)
    assert Participation.objects.filter(pk=participation.pk).exists()


def test_a_pilote_can_be_removed_when_another_remains(client, atelier, pilote):
    second = factories.participant(
        atelier, Role.PILOTE, email="second@developpement-durable.gouv.fr"
    )
    participation = Participation.objects.get(acteur__utilisateur=second)
    client.force_login(pilote)
    html = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    triggers = re.findall(r'<button[^>]*name="confirmation"[^>]*>Retirer', html)
    assert len(triggers) == 2 and not any("disabled" in t for t in triggers)
    url = reverse("ateliers:participation_retirer", args=[atelier.pk, participation.pk])
    html = _confirm_page(client, url)
    assert "n'aura plus accès" in html
    client.post(url)
    assert not Participation.objects.filter(pk=participation.pk).exists()
