"""DGALN overview of every atelier: ``/gestion/ateliers/``, with filters and a CSV export."""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from atelier.csv import csv_response
from atelier.pagination import paginer
from atelier.tri import Colonne, trier
from ateliers import selectors as sel
from ateliers.filters import GestionAteliersFilter, dsfr_selects
from ateliers.models import Atelier


def _require_dgaln(request: HttpRequest) -> None:
    if not request.user.has_perm("ateliers.manage_programme"):
        raise PermissionDenied


def _filtre(request: HttpRequest) -> GestionAteliersFilter:
    filtre = GestionAteliersFilter(request.GET or None, queryset=sel.ateliers_gestion())
    dsfr_selects(filtre.form)
    return filtre


def _lignes(ateliers: list[Atelier]) -> list[Atelier]:
    manquants = sel.nb_livrables_manquants([a.pk for a in ateliers])
    for atelier in ateliers:
        atelier.avancement = sel.avancement(atelier)
        atelier.nb_manquants = manquants.get(atelier.pk, 0)
    return ateliers


COLONNES = [
    Colonne(_("Atelier"), "titre", ("titre",), "fr-col--md"),
    Colonne(_("Format"), "format", ("format",)),
    Colonne(_("État"), "etat", ("statut",)),
    Colonne(_("Avancement")),
    Colonne(_("Étapes"), "etapes", ("nb_realisees", "nb_etapes")),
    Colonne(_("Livrables manquants"), "livrables", ("a_livrables_manquants",)),
    Colonne(_("Participants"), "participants", ("nb_participants",)),
]


@login_required
def gestion_ateliers(request: HttpRequest) -> HttpResponse:
    _require_dgaln(request)
    filtre = _filtre(request)
    qs = filtre.qs if filtre.is_valid() else sel.ateliers_gestion()
    trie, entetes = trier(request, qs, COLONNES)
    chiffres = _chiffres(qs)
    page = paginer(request, trie, nombre=chiffres["total"])
    lignes = _lignes(list(page.object_list))
    total = page.paginator.count
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "gestion_actif": "ateliers",
        "breadcrumb": [(_("Gestion"), "/gestion/"), (_("Ateliers"), None)],
        "filtre": filtre,
        "page_obj": page,
        "entetes": entetes,
        "ateliers": lignes,
        "total": total,
        "chiffres": chiffres,
        "params": params.urlencode(),
    }
    return render(request, "ateliers/gestion_ateliers.html", context)


def _chiffres(qs) -> dict:
    """Counts over the whole filtered set (not only the page shown)."""
    # One query, grouped by state, each count filtered.
    lignes = (
        qs.order_by()
        .values("statut")
        .annotate(
            n=Count("pk"),
            en_retard=Count("pk", filter=sel.retard_q()),
            manquants=Count("pk", filter=Q(a_livrables_manquants=True)),
        )
    )
    par_etat = {ligne["statut"]: ligne for ligne in lignes}
    return {
        "total": sum(ligne["n"] for ligne in par_etat.values()),
        "en_retard": sum(ligne["en_retard"] for ligne in par_etat.values()),
        "livrables_manquants": sum(ligne["manquants"] for ligne in par_etat.values()),
        "par_etat": [
            (libelle, par_etat[code]["n"] if code in par_etat else 0)
            for code, libelle in Atelier.Statut.choices
        ],
    }


@login_required
def gestion_ateliers_csv(request: HttpRequest) -> HttpResponse:
    """CSV for spreadsheet users: UTF-8 with BOM and ``;`` so that Excel in French opens it."""
    _require_dgaln(request)
    filtre = _filtre(request)
    qs = filtre.qs if filtre.is_valid() else sel.ateliers_gestion()
    nom = f"ateliers-{timezone.localdate():%Y-%m-%d}.csv"
    entete = [
        "id",
        "titre",
        "territoire",
        "région",
        "format",
        "session",
        "état",
        "service pilote",
        "date de début",
        "fin attendue",
        "avancement (%)",
        "en retard",
        "étapes réalisées",
        "étapes prévues",
        "livrables manquants",
        "participants",
    ]
    return csv_response(filename=nom, header=entete, rows=_lignes_csv(list(qs)))


def _lignes_csv(ateliers: list[Atelier]) -> Iterator[list]:
    for chunk_start in range(0, len(ateliers), 500):
        for a in _lignes(ateliers[chunk_start : chunk_start + 500]):
            yield [
                a.pk,
                a.titre,
                a.territoire.nom,
                a.territoire.region.nom if a.territoire.region_id else "",
                a.get_format_display(),
                a.session.titre if a.session_id else "",
                a.get_statut_display(),
                a.service_pilote.nom if a.service_pilote_id else "",
                a.date_debut.isoformat() if a.date_debut else "",
                a.avancement.fin_attendue.isoformat() if a.avancement.fin_attendue else "",
                a.avancement.pourcentage,
                "oui" if a.avancement.en_retard else "non",
                a.nb_realisees,
                a.nb_etapes,
                a.nb_manquants,
                a.nb_participants,
            ]
