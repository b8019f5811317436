"""The fiche de capitalisation page of an atelier's workspace (the pilote writes, submits)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from atelier.workflow import TransitionError

from . import fiches
from . import selectors as sel
from .forms_fiche import FicheCapitalisationForm
from .views import _context


@login_required
@require_http_methods(["GET", "POST"])
def fiche_capitalisation(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    fiche = fiches.fiche_of(atelier)
    peut_editer = request.user.has_perm("ateliers.edit_fiche", atelier)
    editable = peut_editer and (fiche is None or fiche.statut in fiches.EDITABLE)
    ouverte = atelier.statut in fiches.STATUTS_ATELIER
    initial = {name: getattr(fiche, name) for name in fiches.CHAMPS} if fiche else {}
    form = FicheCapitalisationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if not peut_editer:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            try:
                fiche = fiches.fiche_save(atelier=atelier, by=request.user, **form.cleaned_data)
                if "soumettre" in request.POST:
                    fiches.fiche_submit(fiche=fiche, by=request.user)
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    "La fiche est soumise à la DGALN."
                    if "soumettre" in request.POST
                    else "La fiche est enregistrée.",
                )
                return redirect(reverse("ateliers:fiche_capitalisation", kwargs={"pk": atelier.pk}))
    return render(
        request,
        "ateliers/fiche_capitalisation.html",
        _context(
            request,
            atelier,
            "apercu",
            "Fiche de capitalisation",
            fiche=fiche,
            form=form,
            editable=editable and ouverte,
            ouverte=ouverte,
        ),
        status=status,
    )
