"""The roadmap editor's per-row controls, built in Python: the editor shows every axis and
action of the draft (200 on a large roadmap), and an included template per row was most of
its rendering time. ``{% load fdr_editeur %}``."""

import html

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from atelier.dates import date_fr
from atelier.templatetags.confirmation import champ_csrf

from .fdr_formats import euros

register = template.Library()


@register.simple_tag(takes_context=True)
def deplacer(context, url: str, type_: str, element) -> SafeString:
    """Up/down buttons of an axis or an action (``type_``: "axe" or "action"): a plain POST
    form to ``url`` (works without JavaScript) that ``static/js/feuille_ordre.js`` turns into
    a fetch() call."""
    return format_html(
        '<form method="post" action="{url}" class="fdr-deplacer" data-deplacer>{csrf}'
        '<input type="hidden" name="type" value="{type}">'
        '<input type="hidden" name="id" value="{pk}">'
        '<ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">'
        '<li><button type="submit" name="sens" value="haut" class="fr-btn fr-btn--tertiary-no-outline'
        ' fr-btn--sm fr-icon-arrow-up-line" title="Monter « {titre} »">Monter</button></li>'
        '<li><button type="submit" name="sens" value="bas" class="fr-btn fr-btn--tertiary-no-outline'
        ' fr-btn--sm fr-icon-arrow-down-line" title="Descendre « {titre} »">Descendre</button></li>'
        "</ul></form>",
        url=url,
        csrf=champ_csrf(context),
        type=type_,
        pk=element.pk,
        titre=element.titre,
    )


_LIGNE = "\n            "


@register.simple_tag
def details_action(action) -> SafeString:
    """The editor's line of an action's details (porteur, partners, deadline, cost, funding,
    site, indicators), for an action prepared by ``selectors.prepare_editor_rows``; "" when it
    has none. Every value is text typed by someone: escaped."""
    if not action.a_details:
        return ""
    e = html.escape
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
    return mark_safe(  # noqa: S308 — every value escaped above
        f'<p class="fr-text--xs fr-mb-0">{_LIGNE}{_LIGNE.join(parties)}\n          </p>'
    )
