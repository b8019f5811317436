"""The roadmap editor's per-row controls, built in Python: the editor shows every axis and
action of the draft (200 on a large roadmap), and an included template per row was most of
its rendering time. ``{% load fdr_editeur %}``."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from atelier.templatetags.confirmation import champ_csrf

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
