"""``{% confirmer "app:action" obj champ=valeur … %}``: an action's form and its trigger, which
carries what the page's one DSFR confirmation modal will say (``atelier.confirmation``);
``{% confirmation_modale %}`` (in ``base.html``, after the page) draws that modal once, on the
pages that have a trigger.

Options that are not form fields: ``formulaire="id"`` (the action's own form, already on the
page: only the trigger is rendered, to be placed inside that form), ``classe`` (extra classes
of the trigger button), ``taille`` (``"sm"``, the default, or ``"md"``).

A page may hold hundreds of triggers (one « Supprimer » per action of a roadmap): each is a
few lines of HTML built here, the modal's text is in its ``data-confirmation-*`` attributes,
and ``static/js/confirmation.js`` writes it into the modal (as text) when it is clicked.
"""

import json

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from atelier import confirmation as confirmations

register = template.Library()

_OPTIONS = {"formulaire", "classe", "taille"}
# The id of the page's one modal: every trigger's aria-controls.
MODALE = "confirmation-modale"


class _Page:
    """What the triggers of one page share: a counter for their ids, the CSRF field, and
    whether ``{% confirmation_modale %}`` must draw the modal. Kept on the request, the one
    object every template of the page (includes too) sees."""

    __slots__ = ("compteur", "csrf", "modale")

    def __init__(self, csrf_token) -> None:
        self.compteur = 0
        self.modale = False
        self.csrf = (
            format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', str(csrf_token)
            )
            if csrf_token and str(csrf_token) != "NOTPROVIDED"
            else ""
        )


def champ_csrf(context) -> SafeString:
    """The hidden CSRF field of a form built in Python, as ``{% csrf_token %}`` renders it;
    made once per page."""
    page = _page(context)
    return page.csrf if page is not None else _Page(context.get("csrf_token")).csrf


def _page(context) -> _Page | None:
    request = context.get("request")
    if request is None:
        return None
    page = getattr(request, "_confirmations", None)
    if page is None:
        page = request._confirmations = _Page(context.get("csrf_token"))
    return page


@register.simple_tag(takes_context=True)
def confirmer(context, nom: str, obj, **options) -> SafeString:
    champs = {k: v for k, v in options.items() if k not in _OPTIONS}
    conf = confirmations.build(nom, obj, champs)
    page = _page(context)
    if page is None:  # no request (a template rendered alone): no modal, the page's way
        page = context.render_context.setdefault("confirmations", _Page(context.get("csrf_token")))
        modale = ""
    else:
        modale = MODALE
    page.compteur += 1
    ident = f"confirmation-{page.compteur}"
    classes = "fr-btn"
    if options.get("taille", "sm") == "sm":
        classes += " fr-btn--sm"
    if options.get("classe"):
        classes += " " + options["classe"]
    elif conf.danger:
        classes += " fr-btn--secondary"
    libelle = (
        format_html('{}<span class="fr-sr-only"> {}</span>', conf.libelle, conf.cible)
        if conf.cible
        else conf.libelle
    )
    if conf.impossible:
        bouton = format_html(
            '<button class="{}" type="submit" name="confirmation" value="{}" disabled '
            'aria-describedby="{}-raison">{}</button>',
            classes,
            confirmations.DEMANDEE,
            ident,
            libelle,
        )
        apres = format_html(
            '<p class="fr-hint-text fr-mt-1v" id="{}-raison">{}</p>', ident, conf.impossible
        )
    else:
        # Without JavaScript (or without the modal) the button posts confirmation=demandee
        # and the server answers with the confirmation page.
        modale_attrs = ""
        if modale:
            page.modale = True
            modale_attrs = format_html(' aria-controls="{}" data-fr-opened="false"', modale)
        bouton = format_html(
            '<button class="{}" type="submit" name="confirmation" value="{}"{}'
            ' data-confirmation-titre="{}" data-confirmation-consequences="{}"'
            ' data-confirmation-bouton="{}"{}>{}</button>',
            classes,
            confirmations.DEMANDEE,
            modale_attrs,
            conf.titre,
            json.dumps([str(p) for p in conf.consequences], ensure_ascii=False),
            conf.bouton,
            format_html(' data-confirmation-choix="{}"', conf.choix) if conf.choix else "",
            libelle,
        )
        apres = ""
    if options.get("formulaire"):
        return format_html("{}{}", bouton, apres)
    return format_html(
        '<form method="post" action="{}" id="{}-form" class="confirmation-form">{}{}{}</form>{}',
        conf.url,
        ident,
        page.csrf,
        format_html_join("", '<input type="hidden" name="{}" value="{}">', conf.champs.items()),
        bouton,
        apres,
    )


@register.simple_tag(takes_context=True)
def confirmation_modale(context) -> SafeString:
    """The page's one confirmation modal, empty, if the page has a trigger: the script fills
    it from the trigger clicked."""
    page = _page(context)
    if page is None or not page.modale:
        return ""
    return render_to_string("includes/confirmation.html", {"modale": MODALE})
