"""The rows of the roadmap editor and of the follow-up page, built in Python:
``{% load fdr_editeur %}``.

Both pages show every axis and action of the roadmap (200 actions on a large one), and the
template nodes of each row (a dozen lookups and tags, an included template for its funding)
were most of their rendering time. Here a row is a few f-strings; what every row of a page
shares (its links, the CSRF field) is built once per page (:class:`_Liens`).

Every value is text typed by someone: escaped with ``html.escape``, as ``{{ }}`` does."""

import html
import json

from django import template
from django.template.defaultfilters import linebreaksbr, truncatechars
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from atelier.confirmation import DEMANDEE
from atelier.dates import date_fr
from atelier.liens import modele, url
from atelier.templatetags.confirmation import champ_csrf, confirmer, prochain_declencheur

from ..confirmations import textes_action
from .fdr_formats import euros

register = template.Library()

e = html.escape

_OUTIL = "fr-btn fr-btn--sm fr-btn--tertiary-no-outline"
_SUPPRIMER = "fr-btn--tertiary-no-outline"  # the « Supprimer » triggers' extra class


class _Liens:
    """What every row of one page shares: the links (a model per row link, see
    ``atelier.liens``) and the start of the move form, escaped once. Kept in the
    template's render context: one per rendering."""

    def __init__(self, context) -> None:
        pk = context["atelier"].pk
        csrf = champ_csrf(context)
        deplacer = e(url("feuilles_de_route:deplacer", pk))
        self.action_ajouter = e(url("feuilles_de_route:action_ajouter", pk))
        self.axe_modifier = modele("feuilles_de_route:axe_modifier", pk)
        self.action_modifier = modele("feuilles_de_route:action_modifier", pk)
        self.indicateurs = modele("feuilles_de_route:indicateurs_action", pk)
        self.point_suivi = modele("feuilles_de_route:point_suivi", pk)
        self.deplacer = {
            type_: (
                f'<form method="post" action="{deplacer}" class="fdr-deplacer" data-deplacer>'
                f'{csrf}<input type="hidden" name="type" value="{type_}">'
                '<input type="hidden" name="id" value="'
            )
            for type_ in ("axe", "action")
        }


def _liens(context) -> _Liens:
    liens = context.render_context.get("fdr_liens")
    if liens is None:
        liens = context.render_context["fdr_liens"] = _Liens(context)
    return liens


class _SupprimerAction:
    """The « Supprimer » trigger of each action, as ``{% confirmer
    "feuilles_de_route:action_supprimer" action classe=… %}`` writes it (the same HTML, see
    ``tests/feuilles_de_route/test_lignes.py``), without building a ``Confirmation`` per row:
    what every trigger of the page shares is escaped once; a row puts in its title
    (escaped), its URL and its trigger's number. Kept in the render context like ``_Liens``."""

    def __init__(self, context) -> None:
        textes = textes_action()
        self.url = modele("feuilles_de_route:action_supprimer", context["atelier"].pk)
        self.csrf = champ_csrf(context)
        # The texts around the title (``%(t)s``), each escaped: escaping is character by
        # character, so escaping the pieces and the title apart gives the escaped whole.
        self.titre = [e(p) for p in (textes["titre"] % {"t": "\0"}).split("\0")]
        self.cible = [e(p) for p in (textes["cible"] % {"t": "\0"}).split("\0")]
        consequences = e(json.dumps([str(p) for p in textes["consequences"]], ensure_ascii=False))
        self.donnees = (
            f' data-confirmation-consequences="{consequences}"'
            f' data-confirmation-bouton="{e(str(textes["bouton"]))}">'
            f"{e(str(textes['declencheur']))}"
        )

    def declencheur(self, context, action) -> str:
        ident, modale = prochain_declencheur(context)
        ouvre = f' aria-controls="{modale}" data-fr-opened="false"' if modale else ""
        titre = e(str(action.titre))
        return (
            f'<form method="post" action="{e(self.url.pour(action.pk))}" id="{ident}-form"'
            f' class="confirmation-form">{self.csrf}'
            f'<button class="fr-btn fr-btn--sm {_SUPPRIMER}" type="submit" name="confirmation"'
            f' value="{DEMANDEE}"{ouvre} data-confirmation-titre="{titre.join(self.titre)}"'
            f'{self.donnees}<span class="fr-sr-only"> {titre.join(self.cible)}</span>'
            "</button></form>"
        )


def _supprimer_action(context) -> _SupprimerAction:
    supprimer = context.render_context.get("fdr_supprimer_action")
    if supprimer is None:
        supprimer = context.render_context["fdr_supprimer_action"] = _SupprimerAction(context)
    return supprimer


def _lien(modele_lien, pk) -> str:
    return e(modele_lien.pour(pk))


def _deplacer(liens: _Liens, type_: str, element) -> str:
    """Up/down buttons of an axis or an action: a plain POST form (works without JavaScript)
    that ``static/js/feuille_ordre.js`` turns into a fetch() call."""
    titre = e(element.titre)
    return (
        f'{liens.deplacer[type_]}{int(element.pk)}">'
        '<ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">'
        '<li><button type="submit" name="sens" value="haut" class="fr-btn fr-btn--tertiary-no-outline'
        f' fr-btn--sm fr-icon-arrow-up-line" title="Monter « {titre} »">Monter</button></li>'
        '<li><button type="submit" name="sens" value="bas" class="fr-btn fr-btn--tertiary-no-outline'
        f' fr-btn--sm fr-icon-arrow-down-line" title="Descendre « {titre} »">Descendre</button></li>'
        "</ul></form>"
    )


# What the funding summaries say they are about: constants of the code, as the literal
# strings a template passes (safe), so their apostrophes are written as they are.
_TOTAUX_AXE = (mark_safe("Financements de l'axe"), mark_safe("Les financements de l'axe"))
_TOTAUX_ACTION = (
    mark_safe("Total des financements"),
    mark_safe("Les financements de cette action"),
)


def _totaux(totaux, sujet: str, alerte: str) -> str:
    """The one-line summary of a truthy ``totaux``'s funding by status, and the warning when
    it exceeds the cost (``includes/financements_alerte.html``). ``sujet`` and ``alerte`` are
    escaped unless safe, as ``{{ }}`` does."""
    cout = f" pour un coût estimé de {e(euros(totaux.cout))}" if totaux.cout is not None else ""
    ligne = (
        f'\n<p class="fr-text--xs fr-mb-1v">{conditional_escape(sujet)} : acquis {e(euros(totaux.acquis))},'
        f" demandés {e(euros(totaux.demande))}, envisagés {e(euros(totaux.envisage))}"
        f" — total {e(euros(totaux.total))}{cout}.</p>\n"
    )
    if totaux.depasse_cout:  # rare: the shared template
        ligne += render_to_string(
            "feuilles_de_route/includes/financements_alerte.html",
            {"totaux": totaux, "sujet": alerte},
        )
    return ligne + "\n"


@register.simple_tag
def financements_totaux(totaux, sujet: str, alerte: str) -> SafeString:
    """``{% financements_totaux totaux sujet alerte %}``: the funding summary of an axis or an
    action, "" when it has none."""
    return mark_safe(_totaux(totaux, sujet, alerte) if totaux else "")  # noqa: S308 — escaped


_LIGNE = "\n            "


def details_action(action) -> str:
    """The editor's line of an action's details (porteur, partners, deadline, cost, funding,
    site, indicators), for an action prepared by ``selectors.prepare_editor_rows``; "" when it
    has none."""
    if not action.a_details:
        return ""
    parties = [
        f"Porteur : {e(action.porteur.nom)}. " if action.porteur else "",
        "Partenaires : " + ", ".join(e(o.nom) for o in action.liste_partenaires) + ". "
        if action.liste_partenaires
        else "",
        f"Échéance : {e(date_fr(action.echeance))}. " if action.echeance else "",
        f"Coût estimé : {e(euros(action.cout_estime))}. " if action.cout_estime is not None else "",
        "Financements : "
        + ", ".join(
            f"{e(f.source)} ({e(euros(f.montant))}, {e(f.libelle_statut)})"
            for f in action.liste_financements
        )
        + ". "
        if action.liste_financements
        else "",
        f"Site : {e(action.site.nom)}. " if action.site else "",
        f"Indicateurs : {e(action.indicateurs)}" if action.indicateurs else "",
    ]
    return f'<p class="fr-text--xs fr-mb-0">{_LIGNE}{_LIGNE.join(parties)}\n          </p>'


def _action_editeur(context, liens: _Liens, action, peut_editer: bool) -> str:
    priorite = " fr-badge--warning" if action.priorite == "haute" else " "
    outils = ""
    if peut_editer:
        supprimer = _supprimer_action(context).declencheur(context, action)
        outils = (
            '\n              <div class="fdr-outils">'
            f"\n                {_deplacer(liens, 'action', action)}"
            f'\n                <a class="{_OUTIL}" href="{_lien(liens.action_modifier, action.pk)}">'
            "Modifier</a>"
            f"\n                {supprimer}"
            "\n              </div>"
        )
    description = (
        f'<p class="fr-text--sm fr-mb-1v">{linebreaksbr(action.description)}</p>'
        if action.description
        else ""
    )
    totaux = _totaux(action.totaux, *_TOTAUX_ACTION) if action.totaux else ""
    return (
        f'\n        <li class="fdr-action" id="action-{int(action.pk)}" data-element="action">'
        '\n          <div class="fdr-entete">'
        f'\n            <h4 class="fr-h6 fr-mb-1v">{e(action.titre)} <span class="fr-badge'
        f' fr-badge--sm{priorite}">Priorité {e(action.libelle_priorite)}</span></h4>'
        f"{outils}"
        "\n          </div>"
        f"\n          {description}"
        f"\n          {details_action(action)}"
        f"\n          {totaux}"
        "\n        </li>"
    )


@register.simple_tag(takes_context=True)
def axe_editeur(context, axe) -> SafeString:
    """``{% axe_editeur axe %}``: an axis of the editor (``<li>``) with its actions, for axes
    from ``selectors.axes_with_actions`` prepared by ``selectors.prepare_editor_rows`` and
    ``financements.annoter``; its tools (move, edit, add, delete) when ``peut_editer``."""
    liens = _liens(context)
    peut_editer = bool(context.get("peut_editer"))
    outils = ""
    if peut_editer:
        supprimer = confirmer(context, "feuilles_de_route:axe_supprimer", axe, classe=_SUPPRIMER)
        outils = (
            '\n          <div class="fdr-outils">'
            f"\n            {_deplacer(liens, 'axe', axe)}"
            f'\n            <a class="{_OUTIL}" href="{_lien(liens.axe_modifier, axe.pk)}">'
            "Modifier</a>"
            f'\n            <a class="{_OUTIL}" href="{liens.action_ajouter}?axe={int(axe.pk)}">'
            "Ajouter une action</a>"
            f"\n            {supprimer}"
            "\n          </div>"
        )
    description = (
        f'<p class="fr-text--sm">{linebreaksbr(axe.description)}</p>' if axe.description else ""
    )
    totaux = _totaux(axe.totaux, *_TOTAUX_AXE) if axe.totaux else ""
    actions = "".join(
        _action_editeur(context, liens, action, peut_editer) for action in axe.actions.all()
    )
    if not actions:
        actions = '\n        <li class="fr-text--sm">Aucune action dans cet axe.</li>'
    return mark_safe(  # noqa: S308 — every value escaped above
        f'\n    <li class="fdr-axe fr-mb-4w" id="axe-{int(axe.pk)}" data-element="axe">'
        '\n      <div class="fdr-entete">'
        f'\n        <h3 class="fr-h5 fr-mb-1w">{e(axe.titre)}</h3>'
        f"{outils}"
        "\n      </div>"
        f"\n      {description}"
        f"\n      {totaux}"
        '\n      <ol class="fdr-actions" data-liste="action">'
        f"{actions}"
        "\n      </ol>"
        "\n    </li>\n  "
    )


def _ligne_suivi(liens: _Liens, action, adoptee: bool) -> str:
    titre = e(action.titre)
    porteur = e(action.porteur.nom) if action.porteur and action.porteur.nom else "—"
    avancement = f"{e(localize(action.avancement))} %" if action.avancement is not None else "—"
    totaux = action.totaux
    if totaux:
        financements = "".join(
            f'<p class="fr-text--sm fr-mb-1v">{e(libelle)} : {e(euros(montant))}</p>'
            for libelle, montant in totaux.lignes
            if montant
        )
        if totaux.depasse_cout:
            financements += (
                '<p class="fr-badge fr-badge--sm fr-badge--warning">'
                f"Dépasse le coût de {e(euros(totaux.ecart))}</p>"
            )
    else:
        financements = "—"
    point = action.dernier_point
    dernier = (
        f"{e(date_fr(point.date))} : {e(truncatechars(point.commentaire, 80))}" if point else "—"
    )
    indicateurs = (
        "".join(
            f'<p class="fr-text--sm fr-mb-1v">{e(s.indicateur.nom)} : '
            + (
                f"{e(localize(s.derniere_valeur.normalize()))} {e(s.indicateur.get_unite_display())}"
                if s.derniere_valeur is not None
                else "—"
            )
            + (
                f" ({e(localize(s.progression))} % de la cible)"
                if s.progression is not None
                else ""
            )
            + "</p>"
            for s in action.suivis
        )
        or "—"
    )
    saisir = ""
    if action.peut_suivre:
        indicateurs += (
            f'<a class="fr-link fr-text--sm" href="{_lien(liens.indicateurs, action.pk)}">'
            f'Indicateurs<span class="fr-sr-only"> : {titre}</span></a>'
        )
        if adoptee:
            saisir = (
                '<a class="fr-btn fr-btn--sm fr-btn--secondary"'
                f' href="{_lien(liens.point_suivi, action.pk)}">'
                f'Point de suivi<span class="fr-sr-only"> : {titre}</span></a>'
            )
    return (
        f'\n        <tr id="action-{int(action.pk)}">'
        f"\n          <td>{titre}</td>"
        f"\n          <td>{porteur}</td>"
        f'\n          <td><p class="fr-badge fr-badge--sm">{e(action.libelle_statut_suivi)}</p></td>'
        f"\n          <td>{avancement}</td>"
        f'\n          <td class="fr-cell--multiline">{financements}</td>'
        f'\n          <td class="fr-cell--multiline">{dernier}</td>'
        f'\n          <td class="fr-cell--multiline">{indicateurs}</td>'
        f"\n          <td>{saisir}</td>"
        "\n        </tr>"
    )


@register.simple_tag(takes_context=True)
def lignes_suivi(context, axe) -> SafeString:
    """``{% lignes_suivi axe %}``: the follow-up table's rows (``<tr>``) of an axis's actions,
    as prepared by the ``suivi`` view (``peut_suivre``, ``suivis``, ``libelle_statut_suivi``,
    ``dernier_point``, ``totaux``)."""
    liens = _liens(context)
    adoptee = context["feuille"].version_adoptee is not None
    return mark_safe(  # noqa: S308 — every value escaped above
        "".join(_ligne_suivi(liens, action, adoptee) for action in axe.actions.all()) + "\n      "
    )
