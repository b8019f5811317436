"""DGALN's national capitalisation pages: the indicator catalogue (more to come: dashboard,
comparison, synthesis). Views connect forms, selectors and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from atelier.csv import csv_response
from atelier.dates import format_date
from atelier.pagination import paginer
from atelier.tri import Colonne, trier
from atelier.uploads import protected_download
from atelier.workflow import TransitionError
from ateliers import fiches as ateliers_fiches
from ateliers.models import FicheCapitalisation
from feuilles_de_route import indicateurs
from feuilles_de_route import syntheses as fdr_syntheses
from feuilles_de_route.comparaison import MAX_ATELIERS, comparer
from feuilles_de_route.forms import IndicateurForm
from feuilles_de_route.models import Indicateur, Synthese

from . import selectors
from .exports import xlsx_response
from .forms import RevueFicheForm, SyntheseForm, SyntheseSelectionForm, TableauDeBordFiltres

PERM_CATALOGUE = "feuilles_de_route.manage_indicateurs"
PERM_SYNTHESE = "feuilles_de_route.manage_syntheses"


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _breadcrumb(*items):
    return [("Gestion", "/gestion/"), *items]


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    _require(request, PERM_CATALOGUE)
    rows = (
        Indicateur.objects.filter(local=False)
        .annotate(nb_actions=Count("suivis", distinct=True))
        .order_by("-actif", "nom")
    )
    rows, entetes = trier(request, rows, COLONNES_INDICATEURS)
    page = paginer(request, rows)
    locaux = Indicateur.objects.filter(local=True).annotate(
        nb_actions=Count("suivis", distinct=True)
    )
    return render(
        request,
        "capitalisation/catalogue.html",
        {
            "indicateurs": page.object_list,
            "page_obj": page,
            "entetes": entetes,
            "locaux": locaux.order_by("nom"),
            "gestion_actif": "indicateurs",
            "breadcrumb": _breadcrumb(("Catalogue des indicateurs", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicateur_editer(request: HttpRequest, indicateur_id: int | None = None) -> HttpResponse:
    _require(request, PERM_CATALOGUE)
    indicateur = (
        get_object_or_404(Indicateur, pk=indicateur_id, local=False) if indicateur_id else None
    )
    initial = {"actif": True}
    if indicateur is not None:
        initial = {name: getattr(indicateur, name) for name in indicateurs.CHAMPS_CATALOGUE}
    form = IndicateurForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = indicateurs.indicateur_save(
                    by=request.user, indicateur=indicateur, **form.cleaned_data
                )
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"L'indicateur « {saved.nom} » est enregistré.")
                return redirect(reverse("capitalisation:catalogue"))
    titre = "Modifier l'indicateur" if indicateur else "Ajouter un indicateur"
    return render(
        request,
        "capitalisation/indicateur_form.html",
        {
            "form": form,
            "indicateur": indicateur,
            "titre": titre,
            "gestion_actif": "indicateurs",
            "breadcrumb": _breadcrumb(
                ("Catalogue des indicateurs", reverse("capitalisation:catalogue")), (titre, None)
            ),
        },
        status=status,
    )


@login_required
@require_POST
def indicateur_supprimer(request: HttpRequest, indicateur_id: int) -> HttpResponse:
    _require(request, PERM_CATALOGUE)
    indicateur = get_object_or_404(Indicateur, pk=indicateur_id, local=False)
    try:
        indicateurs.indicateur_delete(by=request.user, indicateur=indicateur)
    except TransitionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"L'indicateur « {indicateur.nom} » est supprimé.")
    return redirect(reverse("capitalisation:catalogue"))


# --- DGALN's review of the fiches de capitalisation --------------------------------------------

PERM_REVUE = "ateliers.review_fiche"


COLONNES_FICHES = [
    Colonne("Atelier", "atelier", ("atelier__titre",), "fr-col--md"),
    Colonne("Territoire", "territoire", ("atelier__territoire__nom",)),
    Colonne("Session", "session", ("atelier__session__titre",)),
    Colonne("Thèmes"),
    Colonne("État", "etat", ("statut",)),
    Colonne("Modifiée le", "modification", ("modifiee_le",)),
]
COLONNES_INDICATEURS = [
    Colonne("Nom", "nom", ("nom",), "fr-col--md"),
    Colonne("Unité", "unite", ("unite",)),
    Colonne("Périodicité", "periodicite", ("periodicite",)),
    Colonne("Sens", "sens", ("sens",)),
    Colonne("Thèmes"),
    Colonne("Cible nationale", "cible", ("cible_nationale",)),
    Colonne("Actions qui le suivent", "actions", ("nb_actions",)),
    Colonne("État", "etat", ("actif",)),
    Colonne("Gérer", masquee=True),
]


@login_required
@require_GET
def fiches(request: HttpRequest) -> HttpResponse:
    _require(request, PERM_REVUE)
    rows = FicheCapitalisation.objects.select_related(
        "atelier__territoire", "atelier__session"
    ).order_by(
        # Those waiting for DGALN first.
        Case(When(statut=FicheCapitalisation.Statut.SOUMISE, then=0), default=1),
        "-modifiee_le",
    )
    rows, entetes = trier(request, rows, COLONNES_FICHES)
    page = paginer(request, rows)
    return render(
        request,
        "capitalisation/fiches.html",
        {
            "fiches": page.object_list,
            "page_obj": page,
            "entetes": entetes,
            "gestion_actif": "fiches",
            "breadcrumb": _breadcrumb(("Fiches de capitalisation", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def fiche_revue(request: HttpRequest, fiche_id: int) -> HttpResponse:
    _require(request, PERM_REVUE)
    fiche = get_object_or_404(
        FicheCapitalisation.objects.select_related("atelier__territoire"), pk=fiche_id
    )
    form = RevueFicheForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                ateliers_fiches.fiche_review(
                    fiche=fiche,
                    by=request.user,
                    valider=form.cleaned_data["decision"] == "valider",
                    motif=form.cleaned_data["motif"],
                )
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, f"Fiche « {fiche.atelier} » : {fiche.get_statut_display()}."
                )
                return redirect(reverse("capitalisation:fiches"))
    return render(
        request,
        "capitalisation/fiche_revue.html",
        {
            "fiche": fiche,
            "form": form,
            "gestion_actif": "fiches",
            "breadcrumb": _breadcrumb(
                ("Fiches de capitalisation", reverse("capitalisation:fiches")),
                (str(fiche.atelier), None),
            ),
        },
        status=status,
    )


# --- The national dashboard -----------------------------------------------------------------

PERM_TABLEAU = "feuilles_de_route.view_suivi_national"


def _filtres(request: HttpRequest) -> tuple[TableauDeBordFiltres, dict]:
    form = TableauDeBordFiltres(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    return form, {}


@login_required
@require_GET
def tableau_national(request: HttpRequest) -> HttpResponse:
    _require(request, PERM_TABLEAU)
    form, filtres = _filtres(request)
    if form.is_bound and not form.is_valid():
        status = 400
        tableaux, points = [], []
    else:
        status = 200
        tableaux = selectors.tableau_de_bord(filtres)
        points = selectors.carte_ateliers(filtres)
    return render(
        request,
        "capitalisation/tableau_national.html",
        {
            "form": form,
            "tableaux": tableaux,
            "points": points,
            "requete": request.GET.urlencode(),
            "gestion_actif": "tableau_national",
            "breadcrumb": _breadcrumb(("Tableau de bord national", None)),
        },
        status=status,
    )


@login_required
@require_GET
def tableau_export(request: HttpRequest, cle: str, extension: str) -> HttpResponse:
    _require(request, PERM_TABLEAU)
    if cle not in selectors.SECTIONS:
        raise Http404
    form, filtres = _filtres(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "Filtres invalides : corrigez-les sur le tableau de bord.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    t = selectors.tableau(cle, filtres)
    filename = f"tableau-national-{cle}-{t.date:%Y-%m-%d}.{extension}"
    source = f"Source : {t.source}, {format_date(t.date)}."
    if extension == "xlsx":
        return xlsx_response(
            filename=filename, title=t.titre, header=t.colonnes, rows=t.lignes, source=source
        )
    return csv_response(filename=filename, header=t.colonnes, rows=t.lignes)


# --- Comparison across ateliers -----------------------------------------------------------------


@login_required
@require_GET
def comparaison(request: HttpRequest) -> HttpResponse:
    """A session's lauréats side by side by default; any dashboard filter, or ``?atelier=``
    ids, chooses others."""
    _require(request, PERM_TABLEAU)
    form, filtres = _filtres(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    choisis = [v for v in request.GET.getlist("atelier") if v.isdigit()]
    ateliers = selectors.ateliers_filtres(filtres)
    if choisis:
        ateliers = ateliers.filter(pk__in=choisis)
    elif not filtres:
        session = selectors.derniere_session()
        if session is not None:
            ateliers = ateliers.filter(session=session)
            form = TableauDeBordFiltres(initial={"session": session})
    return _comparaison_page(request, form, ateliers, status=status)


def _comparaison_page(
    request: HttpRequest,
    form: TableauDeBordFiltres,
    ateliers,
    *,
    status: int = 200,
    synthese_form: SyntheseSelectionForm | None = None,
) -> HttpResponse:
    total = ateliers.count()
    # Filters refused: nothing compared. A refused synthesis: the same ateliers shown again.
    montrer = status == 200 or synthese_form is not None
    colonnes = comparer(ateliers.order_by("territoire__nom", "pk")) if montrer else []
    return render(
        request,
        "capitalisation/comparaison.html",
        {
            "form": form,
            "colonnes": colonnes,
            "total": total,
            "max_ateliers": MAX_ATELIERS,
            "peut_synthese": request.user.has_perm(PERM_SYNTHESE),
            "synthese_form": synthese_form or SyntheseSelectionForm(),
            "gestion_actif": "comparaison",
            "breadcrumb": _breadcrumb(("Comparer les ateliers", None)),
        },
        status=status,
    )


@login_required
@require_POST
def comparaison_synthese(request: HttpRequest) -> HttpResponse:
    """« Générer la synthèse de cette sélection »: the ateliers compared, as the worker's
    synthesis PDF (a new version for the same selection asked again)."""
    _require(request, PERM_SYNTHESE)
    form = SyntheseSelectionForm(request.POST)
    if form.is_valid():
        try:
            synthese = fdr_syntheses.synthese_request(
                by=request.user,
                ateliers=list(form.cleaned_data["atelier"]),
                lecons=form.cleaned_data["lecons"],
            )
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "La synthèse « %(titre)s » (version %(n)s) est en préparation : elle sera "
                    "téléchargeable ici dès qu'elle sera prête."
                )
                % {"titre": synthese.titre, "n": synthese.numero},
            )
            return redirect(reverse("capitalisation:syntheses"))
    # Back on the same comparison, with the message and the lessons typed kept.
    choisis = [v for v in request.POST.getlist("atelier") if v.isdigit()]
    ateliers = selectors.ateliers_filtres({}).filter(pk__in=choisis)
    return _comparaison_page(
        request, TableauDeBordFiltres(), ateliers, status=400, synthese_form=form
    )


# --- The national synthesis PDF ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def syntheses(request: HttpRequest) -> HttpResponse:
    _require(request, PERM_SYNTHESE)
    form = SyntheseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                fdr_syntheses.synthese_request(by=request.user, **form.cleaned_data)
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "La synthèse est en préparation.")
                return redirect(reverse("capitalisation:syntheses"))
    return render(
        request,
        "capitalisation/syntheses.html",
        {
            "form": form,
            "syntheses": Synthese.objects.select_related("session", "demande_par")[:100],
            "gestion_actif": "syntheses",
            "breadcrumb": _breadcrumb(("Synthèses nationales", None)),
        },
        status=status,
    )


@login_required
@require_POST
def synthese_action(request: HttpRequest, synthese_id: int, action: str) -> HttpResponse:
    _require(request, PERM_SYNTHESE)
    synthese = get_object_or_404(Synthese, pk=synthese_id)
    try:
        if action == "relancer":
            fdr_syntheses.synthese_retry(synthese=synthese, by=request.user)
        else:
            fdr_syntheses.synthese_publish(
                synthese=synthese, by=request.user, publier=action == "publier"
            )
    except TransitionError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("capitalisation:syntheses"))


@login_required
@require_GET
def synthese_telecharger(request: HttpRequest, synthese_id: int) -> HttpResponse:
    _require(request, PERM_SYNTHESE)
    synthese = get_object_or_404(Synthese, pk=synthese_id, statut=Synthese.Statut.PRET)
    return protected_download(synthese.fichier, filename=f"synthese-{synthese.pk}.pdf")


@require_GET
def synthese_publique(request: HttpRequest, synthese_id: int) -> HttpResponse:
    """Anyone downloads a published synthesis; any other does not exist here."""
    synthese = get_object_or_404(Synthese, pk=synthese_id, publie=True)
    return protected_download(
        synthese.fichier, filename=f"synthese-nationale-v{synthese.numero}.pdf"
    )
