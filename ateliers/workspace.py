"""The shell shared by every tab of an atelier's workspace, whichever app serves the tab.

Every workspace page renders a template that extends ``ateliers/base_espace.html`` (the
header: territory, format and title; the side menu of its sections) with the context built
here; each app adds what its own section needs (what the user may do there, its objects).
"""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .models import Atelier

Crumb = tuple[str, str | None]

# The sections of a workspace, in its side menu: (``onglet``, label, URL name taking the pk).
SECTIONS = [
    ("apercu", _lazy("Vue d'ensemble"), "ateliers:atelier"),
    ("etapes", _lazy("Étapes"), "ateliers:etapes"),
    ("participants", _lazy("Participants"), "ateliers:participants"),
    ("documents", _lazy("Documents"), "ateliers:documents"),
    ("journal", _lazy("Cahier de suivi"), "ateliers:journal"),
    ("sites", _lazy("Sites démonstrateurs"), "ateliers:sites"),
    ("feuille", _lazy("Feuille de route"), "feuilles_de_route:feuille"),
]


def workspace_context(
    request: HttpRequest,
    atelier: Atelier,
    *,
    onglet: str,
    trail: Iterable[Crumb] = (),
    **extra: Any,
) -> dict[str, Any]:
    """The context of a workspace page: ``onglet`` names the current tab (``apercu``,
    ``etapes``, ``participants``, ``documents``, ``journal``, ``sites``, ``feuille``);
    ``trail`` is the breadcrumb after the atelier (empty on its overview page)."""
    trail = list(trail)
    return {
        "atelier": atelier,
        "onglet": onglet,
        "sections_atelier": SECTIONS,
        "breadcrumb": [
            (_("Mon espace"), reverse("acteurs:espace")),
            (str(atelier), atelier.get_absolute_url() if trail else None),
            *trail,
        ],
        **extra,
    }
