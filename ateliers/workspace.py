"""The shell shared by every tab of an atelier's workspace, whichever app serves the tab.

Every workspace page renders a template that extends ``ateliers/base_espace.html`` (the
header: territory, format, title and tabs) with the context built here; each app adds what
its own tab needs (what the user may do there, the page's objects).
"""

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Atelier

Crumb = tuple[str, str | None]


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
        "breadcrumb": [
            (_("Mon espace"), reverse("acteurs:espace")),
            (str(atelier), atelier.get_absolute_url() if trail else None),
            *trail,
        ],
        **extra,
    }
