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

import html
import json
from functools import lru_cache

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from atelier import confirmation as confirmations
from atelier.confirmation import DEMANDEE

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


def _numeroter(context) -> tuple[_Page, str, str]:
    """The page's next trigger: its page, its id, and the id of the modal it would open (""
    without a request: no modal, the page's way)."""
    page = _page(context)
    if page is None:
        page = context.render_context.setdefault("confirmations", _Page(context.get("csrf_token")))
        modale = ""
    else:
        modale = MODALE
    page.compteur += 1
    return page, f"confirmation-{page.compteur}", modale


def prochain_declencheur(context) -> tuple[str, str]:
    """The id of the page's next trigger and of the modal it opens, numbered and noted as
    ``{% confirmer %}`` does: for a tag that writes many triggers of one kind itself (the
    editor's « Supprimer » of each action)."""
    page, ident, modale = _numeroter(context)
    page.modale = page.modale or bool(modale)
    return ident, modale


def _texte(valeur) -> str:
    # Every value below is text (a title, a name typed by someone): escaped, never trusted.
    # html.escape directly: format_html's lazy-aware escaping, at ten values per trigger and
    # hundreds of triggers, was most of the tag's time.
    return html.escape(str(valeur))


@lru_cache(maxsize=512)
def _constant(valeur: str) -> str:
    """``_texte`` of what every trigger of a kind shares (classes, button text): escaped once
    per process, not once per row."""
    return html.escape(valeur)


@lru_cache(maxsize=256)
def _consequences(paragraphes: tuple[str, ...]) -> str:
    return html.escape(json.dumps(list(paragraphes), ensure_ascii=False))


@register.simple_tag(takes_context=True)
def confirmer(context, nom: str, obj, **options) -> SafeString:
    champs = {k: v for k, v in options.items() if k not in _OPTIONS}
    conf = confirmations.build(nom, obj, champs)
    page, ident, modale = _numeroter(context)
    classes = "fr-btn"
    if options.get("taille", "sm") == "sm":
        classes += " fr-btn--sm"
    if options.get("classe"):
        classes += " " + options["classe"]
    elif conf.danger:
        classes += " fr-btn--secondary"
    libelle = _constant(str(conf.libelle))
    if conf.cible:
        libelle += f'<span class="fr-sr-only"> {_texte(conf.cible)}</span>'
    debut = (
        f'<button class="{_constant(classes)}" type="submit" name="confirmation" value="{DEMANDEE}"'
    )
    if conf.impossible:
        html_ = (
            f'{debut} disabled aria-describedby="{ident}-raison">{libelle}</button>',
            f'<p class="fr-hint-text fr-mt-1v" id="{ident}-raison">{_texte(conf.impossible)}</p>',
        )
    else:
        # Without JavaScript (or without the modal) the button posts confirmation=demandee
        # and the server answers with the confirmation page.
        attributs = ""
        if modale:
            page.modale = True
            attributs = f' aria-controls="{modale}" data-fr-opened="false"'
        consequences = _consequences(tuple(str(p) for p in conf.consequences))
        attributs += (
            f' data-confirmation-titre="{_texte(conf.titre)}"'
            f' data-confirmation-consequences="{consequences}"'
            f' data-confirmation-bouton="{_constant(str(conf.bouton))}"'
        )
        if conf.choix:
            attributs += f' data-confirmation-choix="{_texte(conf.choix)}"'
        html_ = (f"{debut}{attributs}>{libelle}</button>", "")
    bouton, apres = html_
    if options.get("formulaire"):
        return mark_safe(bouton + apres)  # noqa: S308 — every value escaped above
    caches = "".join(
        f'<input type="hidden" name="{_texte(k)}" value="{_texte(v)}">'
        for k, v in conf.champs.items()
    )
    return mark_safe(  # noqa: S308 — every value escaped above
        f'<form method="post" action="{_texte(conf.url)}" id="{ident}-form"'
        f' class="confirmation-form">{page.csrf}{caches}{bouton}</form>{apres}'
    )


@register.simple_tag(takes_context=True)
def confirmation_modale(context) -> SafeString:
    """The page's one confirmation modal, empty, if the page has a trigger: the script fills
    it from the trigger clicked. A page without trigger reads no CSRF token (a public page
    that asks for one sets a cookie, and is no longer cached)."""
    page = getattr(context.get("request"), "_confirmations", None)
    if page is None or not page.modale:
        return ""
    return render_to_string("includes/confirmation.html", {"modale": MODALE})
