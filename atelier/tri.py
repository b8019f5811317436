"""One way to sort a back-office list by its column headers, without JavaScript.

``?tri=<clé>`` sorts ascending, ``?tri=-<clé>`` descending. Each header is a link that keeps
the other parameters of the page (its filters) and drops ``page`` (a new order starts at the
first page); the sorted column carries ``aria-sort``. Shown by
``templates/includes/tableau_entetes.html``, used with :func:`atelier.pagination.paginer`.
"""

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

PARAM = "tri"


@dataclass(frozen=True)
class Colonne:
    """A column header. ``champs`` are the ``order_by`` fields of its ascending order; a
    column without ``cle`` is not sortable; a ``masquee`` one says its name to screen readers
    only (a column of buttons)."""

    libelle: str
    cle: str = ""
    champs: tuple[str, ...] = ()
    classe: str = ""
    masquee: bool = False


@dataclass(frozen=True)
class Entete:
    libelle: str
    classe: str = ""
    lien: str = ""
    aria_sort: str = ""
    consigne: str = ""
    masquee: bool = False


def trier(
    request: HttpRequest, qs: QuerySet, colonnes: list[Colonne], *, defaut: str = ""
) -> tuple[QuerySet, list[Entete]]:
    """``qs`` ordered as ``?tri=`` asks, and the headers. Without a valid ``?tri=``, the
    ``defaut`` column's order, or the queryset's own order (no column marked) when ``defaut``
    is empty. The primary key ends every order, so that pages do not overlap."""
    par_cle = {c.cle: c for c in colonnes if c.cle}
    demande = request.GET.get(PARAM, "")
    if demande.lstrip("-") not in par_cle:
        demande = defaut
    descendant = demande.startswith("-")
    cle = demande.lstrip("-")
    if cle:
        ordre = [
            F(champ).desc(nulls_last=True) if descendant else F(champ).asc(nulls_last=True)
            for champ in par_cle[cle].champs
        ]
        qs = qs.order_by(*ordre, "-pk" if descendant else "pk")
    return qs, [_entete(request, c, cle, descendant) for c in colonnes]


def _entete(request: HttpRequest, colonne: Colonne, cle: str, descendant: bool) -> Entete:
    if not colonne.cle:
        return Entete(colonne.libelle, colonne.classe, masquee=colonne.masquee)
    actif = colonne.cle == cle
    suivant_descendant = actif and not descendant
    params = request.GET.copy()
    params.pop("page", None)
    params[PARAM] = ("-" if suivant_descendant else "") + colonne.cle
    aria_sort = ("descending" if descendant else "ascending") if actif else ""
    consigne = (
        _("Trier par «\u00a0%(colonne)s\u00a0», ordre décroissant")
        if suivant_descendant
        else _("Trier par «\u00a0%(colonne)s\u00a0», ordre croissant")
    ) % {"colonne": colonne.libelle}
    return Entete(colonne.libelle, colonne.classe, "?" + params.urlencode(), aria_sort, consigne)
