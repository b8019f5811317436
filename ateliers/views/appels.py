"""Public side of the calls: list, call page, applying, the applicant's own candidature."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from atelier.uploads import protected_download
from atelier.workflow import TransitionError
from ateliers.forms.appels import CandidatureForm, PieceJointeForm
from ateliers.models import AppelACandidatures, Candidature, PieceJointe, Question
from ateliers.selectors import appels as selectors
from ateliers.services import appels as services


def appel_list(request):
    ouverts, passes = selectors.appels_publics()
    return render(
        request,
        "ateliers/appels/appel_list.html",
        {
            "ouverts": ouverts,
            "passes": passes,
            "breadcrumb": [("Appels à candidatures", None)],
        },
    )


def appel_detail(request, slug: str):
    appel = selectors.appel_public(slug=slug)
    candidature = (
        selectors.brouillon_de(appel=appel, user=request.user)
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "ateliers/appels/appel_detail.html",
        {
            "appel": appel,
            "ouvert": services.appel_est_ouvert(appel),
            "pas_encore_ouvert": appel.ouverture > timezone.now(),
            "upload_max_mo": settings.UPLOAD_MAX_MO,
            "candidature": candidature,
            "breadcrumb": [("Appels à candidatures", reverse("ateliers:appels")), (appel, None)],
        },
    )


def appel_document(request, slug: str, document_id: int):
    """A call's file: public once the call is published; a draft's files are 404 (DGALN
    excepted). Always through this view, never a media URL."""
    document = selectors.document_appel_pour(user=request.user, slug=slug, pk=document_id)
    return protected_download(document.fichier, filename=document.nom_original)


def _initial(candidature: Candidature | None) -> dict:
    if candidature is None:
        return {}
    initial = {name: getattr(candidature, name) for name in services.CANDIDATURE_FIELDS}
    initial["region"] = candidature.region_id
    initial["departement"] = candidature.departement_id
    initial["lieux"] = [f"commune:{c.code}" for c in candidature.communes.all()] + [
        f"epci:{e.siren}" for e in candidature.epci.all()
    ]
    for key, value in (candidature.reponses or {}).items():
        initial[f"q_{key}"] = value
    return initial


@login_required
def candidater(request, slug: str):
    """Fill the candidature in several saves; submit it; read-only once submitted."""
    appel = selectors.appel_public(slug=slug)
    candidature = selectors.brouillon_de(appel=appel, user=request.user)
    if candidature is not None and candidature.statut != Candidature.Statut.BROUILLON:
        if appel.nature != AppelACandidatures.Nature.A_LA_CARTE:
            messages.info(request, "Votre candidature a été déposée ; elle n'est plus modifiable.")
            return redirect("ateliers:ma_candidature", pk=candidature.pk)
        # The standing à-la-carte call takes candidatures as they come: a new one may start.
        candidature = None
    ouvert = services.appel_est_ouvert(appel)
    if candidature is None and not ouvert:
        messages.error(request, "Cet appel n'est pas ouvert aux candidatures.")
        return redirect(appel.get_absolute_url())

    form = CandidatureForm(request.POST or None, appel=appel, initial=_initial(candidature))
    status = 200
    if request.POST.get("action") == "chercher_lieux":
        # The places search without JavaScript: the same page, nothing saved, what was typed
        # kept, the matches offered as checkboxes beside the places already chosen.
        saisie = {
            k: request.POST.getlist(k) if k == "lieux" else v for k, v in request.POST.items()
        }
        form = CandidatureForm(appel=appel, initial={**_initial(candidature), **saisie})
    elif request.method == "POST":
        action = request.POST.get("action", "enregistrer")
        if form.is_valid():
            try:
                candidature = services.candidature_enregistrer(
                    appel=appel,
                    by=request.user,
                    data=form.identification(),
                    reponses=form.reponses(),
                    candidature=candidature,
                )
                if action == "deposer":
                    services.candidature_deposer(candidature=candidature, by=request.user)
                    messages.success(
                        request,
                        "Votre candidature est déposée. Un accusé de réception vous est envoyé "
                        "par courriel.",
                    )
                    return redirect("ateliers:ma_candidature", pk=candidature.pk)
                messages.success(request, "Brouillon enregistré.")
                return redirect("ateliers:candidater", slug=appel.slug)
            except TransitionError as error:
                # The draft is saved; the message says what blocks submission.
                form.add_error(None, error.message)
                status = 400
        else:
            status = 400
    return render(
        request,
        "ateliers/appels/candidature_form.html",
        {
            "appel": appel,
            "candidature": candidature,
            "ouvert": ouvert,
            "form": form,
            "piece_form": PieceJointeForm(appel=appel) if candidature else None,
            "manquants": services.manquants(candidature) if candidature else [],
            "upload_max_mo": settings.UPLOAD_MAX_MO,
            "breadcrumb": [
                ("Appels à candidatures", reverse("ateliers:appels")),
                (appel, appel.get_absolute_url()),
                ("Candidater", None),
            ],
        },
        status=status,
    )


def _own_draft(request, slug: str) -> Candidature:
    appel = selectors.appel_public(slug=slug)
    candidature = selectors.brouillon_de(appel=appel, user=request.user)
    if candidature is None or candidature.statut != Candidature.Statut.BROUILLON:
        raise Http404
    return candidature


@login_required
@require_POST
def piece_ajouter(request, slug: str):
    candidature = _own_draft(request, slug)
    form = PieceJointeForm(request.POST, request.FILES, appel=candidature.appel)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("ateliers:candidater", slug=slug)
    piece_requise, question = form.cible_objets()
    try:
        piece = services.piece_jointe_ajouter(
            candidature=candidature,
            by=request.user,
            fichier=form.cleaned_data["fichier"],
            piece_requise=piece_requise,
            question=question,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"« {piece.nom_original} » est ajouté à votre candidature.")
    return redirect("ateliers:candidater", slug=slug)


@login_required
@require_POST
def piece_supprimer(request, slug: str, piece_id: int):
    candidature = _own_draft(request, slug)
    piece = get_object_or_404(PieceJointe, pk=piece_id, candidature=candidature)
    try:
        services.piece_jointe_supprimer(piece=piece, by=request.user)
    except TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"« {piece.nom_original} » est retiré.")
    return redirect("ateliers:candidater", slug=slug)


@login_required
def piece_telecharger(request, piece_id: int):
    """A candidature's file, for its author, DGALN and its rapporteurs only."""
    piece = get_object_or_404(PieceJointe.objects.select_related("candidature"), pk=piece_id)
    if not request.user.has_perm("ateliers.view_candidature", piece.candidature):
        raise Http404
    return protected_download(piece.fichier, filename=piece.nom_original)


@login_required
def ma_candidature(request, pk: int):
    candidature = selectors.get_candidature_for_author(pk=pk, user=request.user)
    return render(
        request,
        "ateliers/appels/candidature_detail.html",
        {
            "candidature": candidature,
            "appel": candidature.appel,
            "reponses": reponses_affichees(candidature),
            "breadcrumb": [("Mon espace", "/espace/"), (str(candidature), None)],
        },
    )


def reponses_affichees(candidature: Candidature) -> list[tuple[Question, object, list]]:
    """(question, answer, files) in the call's order, for read-only pages and the PDF."""
    pieces = list(candidature.pieces_jointes.all())
    rows = []
    for question in candidature.appel.questions.all():
        if question.type == Question.Type.FICHIER:
            rows.append((question, None, [p for p in pieces if p.question_id == question.pk]))
        else:
            rows.append((question, (candidature.reponses or {}).get(str(question.pk), ""), []))
    return rows
