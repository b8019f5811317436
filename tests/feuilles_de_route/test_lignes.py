"""The rows of the roadmap editor and of the follow-up page, built in Python
(``fdr_editeur``): what a user reads and what their buttons post stays as the templates made
it — every typed text escaped, the move and delete forms posting to their action's URLs
(without JavaScript too), the follow-up's latest point only."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from feuilles_de_route.models import Action, Axe, Financement, PointSuivi
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ECHAPPE = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def url(name, atelier, **kw):
    return reverse(f"feuilles_de_route:{name}", kwargs={"pk": atelier.pk, **kw})


def _ligne(html: str, ident: str) -> str:
    """An action's ``<li>`` (up to the next one or the end of its axis's list)."""
    return re.split(r'<li class="fdr-action"|</ol>', html.split(f'id="{ident}"')[1])[0]


def _formulaires(fragment: str) -> list[tuple[str, dict[str, str]]]:
    """(action, hidden fields) of each form of an HTML fragment."""
    return [
        (action, dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', corps)))
        for action, corps in re.findall(
            r'<form method="post" action="([^"]+)"(.*?)</form>', fragment
        )
    ]


@pytest.fixture
def hostile(atelier):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=2)
    axe = Axe.objects.get(feuille=feuille)
    Axe.objects.filter(pk=axe.pk).update(titre=f"Axe {HOSTILE}", description=f"{HOSTILE}\r\nfin")
    premiere, seconde = Action.objects.filter(axe=axe).order_by("ordre")
    Action.objects.filter(pk=premiere.pk).update(
        titre=f"Halle {HOSTILE}", description=f"Ligne {HOSTILE}\nsuite", cout_estime=Decimal(10)
    )
    return axe, premiere, seconde


def test_editor_rows_escape_every_text_and_post_to_their_urls(client, atelier, pilote, hostile):
    axe, premiere, seconde = hostile
    client.force_login(pilote)
    html = client.get(url("feuille", atelier)).content.decode()
    assert HOSTILE not in html and "<script>alert" not in html

    entete = html.split(f'id="axe-{axe.pk}"')[1].split('class="fdr-actions"')[0]
    assert f'<h3 class="fr-h5 fr-mb-1w">Axe {ECHAPPE}</h3>' in entete
    assert f'<p class="fr-text--sm">{ECHAPPE}<br>fin</p>' in entete
    assert f'href="{url("axe_modifier", atelier, axe_id=axe.pk)}">Modifier</a>' in entete
    assert f'href="{url("action_ajouter", atelier)}?axe={axe.pk}">Ajouter une action</a>' in entete
    (deplacer, champs), (supprimer, _champs) = _formulaires(entete)
    assert deplacer == url("deplacer", atelier)
    assert champs["type"] == "axe" and champs["id"] == str(axe.pk)
    assert supprimer == url("axe_supprimer", atelier, axe_id=axe.pk)
    assert f'<span class="fr-sr-only"> l&#x27;axe « Axe {ECHAPPE} »</span>' in entete

    ligne = _ligne(html, f"action-{premiere.pk}")
    assert f'<h4 class="fr-h6 fr-mb-1v">Halle {ECHAPPE} <span class="fr-badge' in ligne
    assert f'title="Monter « Halle {ECHAPPE} »">Monter</button>' in ligne
    assert f'title="Descendre « Halle {ECHAPPE} »">Descendre</button>' in ligne
    assert f'<p class="fr-text--sm fr-mb-1v">Ligne {ECHAPPE}<br>suite</p>' in ligne
    assert f'data-confirmation-titre="Supprimer l&#x27;action « Halle {ECHAPPE} » ?"' in ligne
    assert f'href="{url("action_modifier", atelier, action_id=premiere.pk)}">Modifier</a>' in ligne
    (deplacer, champs), (supprimer, _champs) = _formulaires(ligne)
    assert deplacer == url("deplacer", atelier)
    assert champs["type"] == "action" and champs["id"] == str(premiere.pk)
    assert "csrfmiddlewaretoken" in champs
    assert supprimer == url("action_supprimer", atelier, action_id=premiere.pk)
    # Its funding (50 000 € acquired or requested? envisaged: not counted) and the cost.
    assert "Total des financements : acquis 0,00 €, demandés 0,00 €, envisagés 50" in ligne
    assert "pour un coût estimé de 10,00 €." in ligne
    assert 'class="fr-alert fr-alert--warning' not in ligne
    assert 'id="action-' + str(seconde.pk) + '"' in html


def test_action_delete_trigger_is_what_the_confirmation_tag_writes(
    client, atelier, pilote, hostile, rf
):
    """The editor writes each action's « Supprimer » itself (one per action, 200 on a large
    roadmap): the same form and trigger as ``{% confirmer %}``, read by the modal's script."""
    from django.template import Context, Template

    from feuilles_de_route.models import Action

    _axe, premiere, seconde = hostile
    client.force_login(pilote)
    html = client.get(url("feuille", atelier)).content.decode()
    formulaire = re.compile(
        r'<form method="post" action="([^"]+)" id="(confirmation-\d+)-form".*?</form>'
    )
    triggers = {
        action: (ident, m) for m in formulaire.finditer(html) for action, ident in [m.groups()]
    }
    ident, trouve = triggers[url("action_supprimer", atelier, action_id=premiere.pk)]
    assert url("action_supprimer", atelier, action_id=seconde.pk) in triggers
    # One id per trigger of the page, the modal drawn once.
    idents = [i for i, _m in triggers.values()]
    assert len(set(idents)) == len(idents) == 3  # the axis, its two actions
    assert html.count('id="confirmation-modale"') == 1
    bouton = trouve.group(0)
    assert 'aria-controls="confirmation-modale" data-fr-opened="false"' in bouton
    assert f'data-confirmation-titre="Supprimer l&#x27;action « Halle {ECHAPPE} » ?"' in bouton
    assert f'Supprimer<span class="fr-sr-only"> l&#x27;action « Halle {ECHAPPE} »</span>' in bouton
    assert "de la feuille de route, avec sa description" in bouton  # the consequences

    request = rf.get("/")
    request.user = pilote
    action = Action.objects.select_related("axe__feuille").get(pk=premiere.pk)
    attendu = Template(
        '{% load confirmation %}{% confirmer "feuilles_de_route:action_supprimer" action'
        ' classe="fr-btn--tertiary-no-outline" %}'
    ).render(Context({"request": request, "action": action, "csrf_token": "jeton"}))

    def sans_jeton(fragment, ident):
        fragment = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", fragment)
        return fragment.replace(f'id="{ident}-', 'id="N-')

    assert sans_jeton(bouton, ident) == sans_jeton(attendu, "confirmation-1")


def test_funding_over_the_cost_is_said_in_the_row(client, atelier, pilote, hostile):
    _axe, premiere, _seconde = hostile
    Financement.objects.filter(action=premiere).update(statut="acquis")
    client.force_login(pilote)
    ligne = _ligne(client.get(url("feuille", atelier)).content.decode(), f"action-{premiere.pk}")
    assert "Les financements de cette action acquis et demandés (50" in ligne
    assert "dépassent le coût estimé (10,00 €)" in ligne


def test_the_rows_forms_work_without_javascript(client, atelier, pilote, hostile):
    axe, premiere, seconde = hostile
    client.force_login(pilote)
    ligne = _ligne(client.get(url("feuille", atelier)).content.decode(), f"action-{premiere.pk}")
    (deplacer, champs), (supprimer, caches) = _formulaires(ligne)
    r = client.post(deplacer, {**champs, "sens": "bas"})
    assert r.status_code == 302 and r["Location"].endswith(f"#action-{premiere.pk}")
    assert list(Action.objects.filter(axe=axe).order_by("ordre")) == [seconde, premiere]
    # The delete trigger without the modal: the confirmation page, nothing deleted yet.
    r = client.post(supprimer, {**caches, "confirmation": "demandee"})
    assert r.status_code == 200 and "Supprimer l&#x27;action" in r.content.decode()
    assert Action.objects.filter(pk=premiere.pk).exists()


def test_a_reader_gets_the_rows_without_tools(client, atelier, elu, hostile):
    _axe, premiere, _seconde = hostile
    client.force_login(elu)
    html = client.get(url("feuille", atelier)).content.decode()
    ligne = _ligne(html, f"action-{premiere.pk}")
    assert f"Halle {ECHAPPE}" in ligne and "fdr-outils" not in ligne and "<form" not in ligne


def test_follow_up_rows_show_the_latest_point_escaped(client, atelier, pilote, adoptee):
    premiere, seconde = Action.objects.filter(axe__feuille__atelier=atelier).order_by("pk")[:2]
    Action.objects.filter(pk=premiere.pk).update(titre=f"Halle {HOSTILE}")
    jour = dt.date(2027, 3, 1)
    for date, commentaire in [
        (jour - dt.timedelta(days=1), "Plus ancien"),
        (jour, "Premier saisi ce jour-là"),
        (jour, f"Le dernier {HOSTILE} " + "x" * 100),
    ]:
        PointSuivi.objects.create(
            action=premiere, date=date, etat="en_cours", commentaire=commentaire
        )
    client.force_login(pilote)
    html = client.get(url("suivi", atelier)).content.decode()
    ligne = html.split(f'id="action-{premiere.pk}"')[1].split("</tr>")[0]
    assert f"<td>Halle {ECHAPPE}</td>" in ligne
    assert f"1er mars 2027 : Le dernier {ECHAPPE} xxx" in ligne and "…</td>" in ligne
    assert "Plus ancien" not in ligne and "Premier saisi" not in ligne
    assert (
        f'href="{url("point_suivi", atelier, action_id=premiere.pk)}">Point de suivi'
        f'<span class="fr-sr-only"> : Halle {ECHAPPE}</span></a>'
    ) in ligne
    assert (
        f'href="{url("indicateurs_action", atelier, action_id=premiere.pk)}">Indicateurs'
        f'<span class="fr-sr-only"> : Halle {ECHAPPE}</span></a>'
    ) in ligne
    autre = html.split(f'id="action-{seconde.pk}"')[1].split("</tr>")[0]
    assert '<td class="fr-cell--multiline">—</td>' in autre  # no point yet
    assert '<p class="fr-text--sm fr-mb-1v">Envisagé : 50' in autre
