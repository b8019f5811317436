"""The DGALN audit log."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from atelier.pagination import paginer
from atelier.tri import Colonne, trier

from . import selectors
from .filters import JournalFilter

COLONNES = [
    Colonne(_("Date (heure de Paris)"), "date", ("quand",)),
    Colonne(_("Auteur"), "auteur", ("auteur_repr",)),
    Colonne(_("Action"), "action", ("action",)),
    Colonne(_("Objet")),
    Colonne(_("Changement")),
    Colonne(_("Atelier"), "atelier", ("atelier__titre",)),
]


@login_required
def journal(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("journal.view_journal"):
        raise PermissionDenied
    filtre = JournalFilter(request.GET or None, queryset=selectors.journal())
    qs = filtre.qs if filtre.is_bound and filtre.is_valid() else selectors.journal()
    qs, entetes = trier(request, qs, COLONNES)
    page = paginer(request, qs)
    return render(
        request,
        "journal/journal.html",
        {
            "filtre": filtre,
            "page_obj": page,
            "entetes": entetes,
            "evenements": selectors.libeller(page.object_list),
            "gestion_actif": "journal",
            "breadcrumb": [(_("Gestion"), "/gestion/"), (_("Journal d'audit"), None)],
        },
    )
