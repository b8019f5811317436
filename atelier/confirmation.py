"""Nothing irreversible in one click: the one way an action asks for confirmation.

An action (delete, publish, close, decide…) keeps its POST-only view. What it will do is said
once, by a *builder* an app registers under the action's URL name::

    @confirmation.register("ateliers:site_supprimer")
    def _site_supprimer(site, donnees):
        return Confirmation(url=..., titre=..., consequences=[...], bouton=..., retour=...)

and shown two ways from that one text:

- with JavaScript, a DSFR modal (``{% confirmer "ateliers:site_supprimer" site %}`` renders
  the form and its trigger, which carries the text; ``{% confirmation_modale %}`` in
  ``base.html`` draws one modal for the whole page, and ``static/js/confirmation.js`` fills it
  from the trigger clicked and opens it instead of submitting);
- without it, a confirmation page: the trigger submits ``confirmation=demandee`` (or the URL
  is opened with GET), and the view answers :func:`page` instead of acting. Its POST button,
  like the modal's, sends the form without ``confirmation``: only that changes anything.

A builder receives the object and the form fields that the action posts (``donnees``, e.g.
``{"publier": "0"}``); they are also the hidden fields of the confirmation form.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

# The value of the trigger button: a POST carrying it only asks what would happen.
DEMANDEE = "demandee"
_NON_TRANSMIS = {"csrfmiddlewaretoken", "confirmation"}


@dataclass(frozen=True)
class Confirmation:
    """What an action will do, in French, and where it is sent."""

    url: str
    titre: str  # the question: « Supprimer le site « Friche Sud » ? »
    consequences: list[str]  # what will happen, one sentence each
    bouton: str  # the confirming button: « Supprimer le site »
    retour: str  # where « Annuler » leads on the confirmation page
    declencheur: str = ""  # the trigger's label on the page (the button's by default)
    cible: str = ""  # read after a short trigger's label by screen readers: « Retirer Jean Dupont »
    champs: Mapping[str, str] = field(default_factory=dict)  # hidden fields, posted again
    danger: bool = True  # a deletion or a withdrawal (the trigger is not the main action)
    impossible: str = ""  # why the action cannot be done now: the trigger is disabled
    # A field of the action's own form whose chosen label the modal repeats (« Retenue »).
    choix: str = ""

    @property
    def libelle(self) -> str:
        return self.declencheur or self.bouton


_BUILDERS: dict[str, Callable[..., Confirmation]] = {}


def register(nom: str) -> Callable[[Callable[..., Confirmation]], Callable[..., Confirmation]]:
    """Register the builder of the confirmation of the action at URL name ``nom``."""

    def decorator(builder: Callable[..., Confirmation]) -> Callable[..., Confirmation]:
        _BUILDERS[nom] = builder
        return builder

    return decorator


def build(nom: str, obj: Any, donnees: Mapping[str, Any] | None = None) -> Confirmation:
    donnees = {k: str(v) for k, v in (donnees or {}).items() if k not in _NON_TRANSMIS}
    confirmation = _BUILDERS[nom](obj, donnees)
    if not confirmation.champs and donnees:
        confirmation = Confirmation(**{**confirmation.__dict__, "champs": donnees})
    return confirmation


def demandee(request: HttpRequest) -> bool:
    """True when the request only asks what the action would do (nothing may change)."""
    return request.method != "POST" or request.POST.get("confirmation") == DEMANDEE


def _donnees(data: QueryDict) -> dict[str, str]:
    return {k: v for k, v in data.items() if k not in _NON_TRANSMIS}


def page(request: HttpRequest, nom: str, obj: Any, **contexte: Any) -> HttpResponse:
    """The confirmation page of action ``nom`` on ``obj`` (for a browser without JavaScript):
    what will happen and a POST button; the fields asked for are posted again."""
    data = request.POST if request.method == "POST" else request.GET
    confirmation = build(nom, obj, _donnees(data))
    return render(
        request,
        "confirmation.html",
        {
            "confirmation": confirmation,
            "breadcrumb": [("Confirmation", None)],
            **contexte,
        },
        status=409 if confirmation.impossible else 200,
    )
