"""``{% confirmer "app:action" obj champ=valeur … %}``: an action's form, its trigger and its
DSFR confirmation modal, from the text its app registered (``atelier.confirmation``).

Options that are not form fields: ``formulaire="id"`` (the action's own form, already on the
page: only the trigger and the modal are rendered, the trigger goes inside that form),
``classe`` (extra classes of the trigger button), ``modale_seule`` (only the modal, for a
trigger written in the form by ``{% confirmer_bouton %}``).
"""

from django import template

from atelier import confirmation as confirmations

register = template.Library()

_OPTIONS = {"formulaire", "classe", "taille"}


def _ident(context, prefix: str) -> str:
    # Unique on the page, stable from one rendering to the next (tests, caches).
    compteur = context.render_context.setdefault("confirmation_compteur", [0])
    compteur[0] += 1
    return f"{prefix}-{compteur[0]}"


@register.inclusion_tag("includes/confirmation.html", takes_context=True)
def confirmer(context, nom: str, obj, **options):
    champs = {k: v for k, v in options.items() if k not in _OPTIONS}
    conf = confirmations.build(nom, obj, champs)
    modale = _ident(context, "confirmation")
    return {
        "confirmation": conf,
        "modale": modale,
        "formulaire": options.get("formulaire") or f"{modale}-form",
        "formulaire_existant": bool(options.get("formulaire")),
        "classe": options.get("classe", ""),
        "taille": options.get("taille", "sm"),
        "csrf_token": context.get("csrf_token"),
    }
