"""Public side of the calls: list, call page, applying, the applicant's own candidature."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appels import selectors, services
from appels.documents import lettre_decision_pdf, recepisse_pdf, reponses_affichees
from appels.forms import CandidatureForm, RetraitForm
from appels.models import AppelACandidatures, Candidature, PieceJointe
from atelier.uploads import protected_download
from atelier.workflow import TransitionError


def appel_list(request):
    ouverts, passes = selectors.appels_publics()
    return render(
        request,
        "appels/appel_list.html",
        {
            "ouverts": ouverts,
            "a_venir": selectors.appels_a_venir(),
            "passes": passes,
            "breadcrumb": [(_("Appels à candidatures"), None)],
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
        "appels/appel_detail.html",
        {
            "appel": appel,
            "ouvert": services.appel_est_ouvert(appel),
            "pas_encore_ouvert": appel.ouverture > timezone.now(),
            "upload_max_mo": settings.UPLOAD_MAX_MO,
            "candidature": candidature,
            "breadcrumb": [(_("Appels à candidatures"), reverse("appels:appels")), (appel, None)],
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


def _attacher(request, form, candidature) -> bool:
    """Attach the files chosen in this submission to the saved draft; a refused file is an
    error on its slot (the draft and the other files are kept). True if all were taken."""
    ok = True
    for slot, fichier in form.fichiers():
        try:
            piece = services.piece_jointe_ajouter(
                candidature=candidature,
                by=request.user,
                fichier=fichier,
                piece_requise=slot.piece_requise,
                question=slot.question,
            )
        except ValidationError as error:
            form.add_error(slot.name, error.messages)
            ok = False
        else:
            messages.success(request, f"« {piece.nom_original} » est joint à votre candidature.")
    return ok


def _retirer_piece(request, candidature, action: str) -> None:
    piece_id = action.removeprefix("retirer-")
    piece = candidature.pieces_jointes.filter(pk=piece_id).first() if piece_id.isdigit() else None
    if piece is None:
        messages.info(request, "Ce fichier avait déjà été retiré.")
        return
    services.piece_jointe_supprimer(piece=piece, by=request.user)
    messages.success(request, f"« {piece.nom_original} » est retiré.")


@login_required
def candidater(request, slug: str):
    """The whole candidature in one form, saved as a draft by every button: « Enregistrer »,
    « Joindre » (files chosen are attached after the draft is saved), « Retirer » a file, and
    « Vérifier et déposer », which leads to the recap page where the deposit is confirmed."""
    appel = selectors.appel_public(slug=slug)
    candidature = selectors.brouillon_de(appel=appel, user=request.user)
    if candidature is not None and candidature.statut != Candidature.Statut.BROUILLON:
        if appel.nature != AppelACandidatures.Nature.A_LA_CARTE:
            messages.info(
                request, _("Votre candidature a été déposée ; elle n'est plus modifiable.")
            )
            return redirect("appels:ma_candidature", pk=candidature.pk)
        # The standing à-la-carte call takes candidatures as they come: a new one may start.
        candidature = None
    ouvert = services.appel_est_ouvert(appel)
    if candidature is None and not ouvert:
        messages.error(request, _("Cet appel n'est pas ouvert aux candidatures."))
        return redirect(appel.get_absolute_url())

    form = CandidatureForm(
        request.POST or None, request.FILES or None, appel=appel, initial=_initial(candidature)
    )
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
                fichiers_ok = _attacher(request, form, candidature)
                if action.startswith("retirer-"):
                    _retirer_piece(request, candidature, action)
            except TransitionError as error:
                form.add_error(None, error.message)
                status = 400
            else:
                if not fichiers_ok:
                    status = 400
                elif action == "verifier":
                    return redirect("appels:candidature_recapitulatif", slug=appel.slug)
                else:
                    if action == "enregistrer":
                        messages.success(request, "Brouillon enregistré.")
                    ancre = "#pieces" if action != "enregistrer" else ""
                    return redirect(reverse("appels:candidater", args=[appel.slug]) + ancre)
        else:
            status = 400
    return render(
        request,
        "appels/candidature_form.html",
        {
            "appel": appel,
            "candidature": candidature,
            "ouvert": ouvert,
            "form": form,
            "emplacements": _emplacements_remplis(form, candidature),
            "manquants": services.manquants_par_champ(candidature) if candidature else [],
            "upload_max_mo": settings.UPLOAD_MAX_MO,
            "breadcrumb": [
                (_("Appels à candidatures"), reverse("appels:appels")),
                (appel, appel.get_absolute_url()),
                (_("Candidater"), None),
            ],
        },
        status=status,
    )


def _emplacements_remplis(form, candidature):
    """(slot, its bound file field, the files already attached there) for the template."""
    pieces = list(candidature.pieces_jointes.all()) if candidature else []
    return [
        (slot, form[slot.name], [p for p in pieces if slot.accepte(p)])
        for slot in form.emplacements
    ]


def _own_draft(request, slug: str) -> Candidature:
    appel = selectors.appel_public(slug=slug)
    candidature = selectors.brouillon_de(appel=appel, user=request.user)
    if candidature is None or candidature.statut != Candidature.Statut.BROUILLON:
        raise Http404
    return candidature


@login_required
def candidature_recapitulatif(request, slug: str):
    """What will be submitted (answers, files with name and size, the declarations), then
    « Déposer ». What is missing is listed with a link back to the field."""
    candidature = _own_draft(request, slug)
    appel = candidature.appel
    status = 200
    certification_manquante = request.method == "POST" and not request.POST.get("certifie")
    if certification_manquante:
        status = 400
    elif request.method == "POST":
        try:
            services.candidature_deposer(candidature=candidature, by=request.user)
        except TransitionError as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(
                request,
                "Votre candidature est déposée. Le récépissé de dépôt vous est envoyé par "
                "courriel ; il est aussi téléchargeable ci-dessous.",
            )
            return redirect("appels:ma_candidature", pk=candidature.pk)
    return render(
        request,
        "appels/candidature_recapitulatif.html",
        {
            "appel": appel,
            "candidature": candidature,
            "reponses": reponses_affichees(candidature),
            "manquants": services.manquants_par_champ(candidature),
            "ouvert": services.appel_est_ouvert(appel),
            "certification_manquante": certification_manquante,
            "breadcrumb": [
                ("Appels à candidatures", reverse("appels:appels")),
                (appel, appel.get_absolute_url()),
                ("Candidater", reverse("appels:candidater", args=[appel.slug])),
                ("Vérifier et déposer", None),
            ],
        },
        status=status,
    )


@login_required
def piece_telecharger(request, piece_id: int):
    """A candidature's file, for its author, DGALN and its rapporteurs only."""
    piece = get_object_or_404(PieceJointe.objects.select_related("candidature"), pk=piece_id)
    if not request.user.has_perm("appels.view_candidature", piece.candidature):
        raise Http404
    return protected_download(piece.fichier, filename=piece.nom_original)


@login_required
def ma_candidature(request, pk: int):
    candidature = selectors.get_candidature_for_author(pk=pk, user=request.user)
    return render(
        request,
        "appels/candidature_detail.html",
        {
            "candidature": candidature,
            "appel": candidature.appel,
            "reponses": reponses_affichees(candidature),
            "chronologie": selectors.chronologie(candidature),
            "retirable": candidature.statut in services.RETIRABLES,
            "retrait_form": RetraitForm(),
            "breadcrumb": [("Mon espace", "/espace/"), (str(candidature), None)],
        },
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def recepisse(request, pk: int):
    """The receipt of a submitted candidature, for its author."""
    candidature = selectors.get_candidature_for_author(pk=pk, user=request.user)
    if candidature.deposee_le is None:
        raise Http404
    return _pdf(recepisse_pdf(candidature), f"recepisse-{candidature.pk}.pdf")


@login_required
def lettre_decision(request, pk: int):
    """The decision letter, for the author once the candidature is decided."""
    candidature = selectors.get_candidature_for_author(pk=pk, user=request.user)
    if candidature.statut not in (Candidature.Statut.RETENUE, Candidature.Statut.NON_RETENUE):
        raise Http404
    return _pdf(lettre_decision_pdf(candidature), f"decision-{candidature.pk}.pdf")


@login_required
@require_POST
def candidature_retirer(request, pk: int):
    candidature = selectors.get_candidature_for_author(pk=pk, user=request.user)
    form = RetraitForm(request.POST)
    form.is_valid()
    try:
        services.candidature_retirer(
            candidature=candidature, by=request.user, motif=form.cleaned_data.get("motif", "")
        )
    except TransitionError as error:
        messages.error(request, error.message)
        return redirect("appels:ma_candidature", pk=candidature.pk)
    messages.success(request, "Votre candidature est retirée.")
    return redirect("appels:ma_candidature", pk=candidature.pk)
