"""Follow-up pages of an action's indicators: link an indicator, record measured values."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from atelier.workflow import TransitionError
from ateliers.selectors import get_atelier_for_user

from . import indicateurs
from .forms import IndicateurActionForm, MesureForm
from .models import IndicateurAction
from .views import _action, _context


def _page(request, atelier, action, *, form=None, mesure_forms=None, status=200):
    suivis = indicateurs.suivis_of_actions([action.pk]).get(action.pk, [])
    mesure_forms = mesure_forms or {}
    for suivi in suivis:
        suivi.form = mesure_forms.get(suivi.pk) or MesureForm(
            initial={"date": timezone.localdate()}, prefix=f"m{suivi.pk}"
        )
        suivi.historique = suivi.mesures.order_by("-date", "-cree_le")[:10]
    return render(
        request,
        "feuilles_de_route/indicateurs_action.html",
        _context(
            request,
            atelier,
            action=action,
            suivis=suivis,
            form=form or IndicateurActionForm(),
            adoptee=action.axe.feuille.version_adoptee_id is not None,
            sous_page="Indicateurs de l'action",
        ),
        status=status,
    )


def _get(request: HttpRequest, pk: int, action_id: int):
    atelier = get_atelier_for_user(request.user, pk)
    action = _action(atelier, action_id)
    if not request.user.has_perm("feuilles_de_route.follow_up_action", action):
        raise PermissionDenied
    return atelier, action


def _back(atelier, action) -> HttpResponse:
    return redirect(
        reverse(
            "feuilles_de_route:indicateurs_action",
            kwargs={"pk": atelier.pk, "action_id": action.pk},
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicateurs_action(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    atelier, action = _get(request, pk, action_id)
    if request.method == "GET":
        return _page(request, atelier, action)
    form = IndicateurActionForm(request.POST)
    if form.is_valid():
        try:
            indicateurs.indicateur_action_save(by=request.user, action=action, **form.cleaned_data)
        except TransitionError as exc:  # ValeurInvalide included: which value is in the message
            form.add_error(None, exc.message)
        else:
            messages.success(request, "L'indicateur est suivi pour cette action.")
            return _back(atelier, action)
    return _page(request, atelier, action, form=form, status=400)


@login_required
@require_POST
def mesure_ajouter(request: HttpRequest, pk: int, action_id: int, suivi_id: int) -> HttpResponse:
    atelier, action = _get(request, pk, action_id)
    suivi = get_object_or_404(
        IndicateurAction.objects.select_related("indicateur", "action__axe__feuille"),
        pk=suivi_id,
        action=action,
    )
    form = MesureForm(request.POST, prefix=f"m{suivi.pk}")
    if form.is_valid():
        try:
            indicateurs.mesure_add(by=request.user, suivi=suivi, **form.cleaned_data)
        except indicateurs.ValeurInvalide as exc:
            form.add_error("valeur", exc.message)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "La mesure est enregistrée.")
            return _back(atelier, action)
    return _page(request, atelier, action, mesure_forms={suivi.pk: form}, status=400)
