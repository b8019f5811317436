"""The participants tab of an atelier's workspace: who takes part, with which role, and the
invitations still pending. People, roles and invitations are written by ``acteurs.services``."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from acteurs import selectors, services
from acteurs.decorators import staff_mfa_required
from acteurs.forms import InvitationForm, RoleForm
from acteurs.mfa import lacks_required_mfa
from acteurs.models import Invitation, Participation, Role
from atelier.workflow import TransitionError

from .models import Atelier

logger = logging.getLogger("atelier.securite")


def get_atelier_for_user(user, atelier_id: int, perm: str = "ateliers.view_atelier") -> Atelier:
    """The atelier if ``user`` may see it; 404 otherwise (its existence is not revealed).

    With a stronger ``perm`` than viewing, a participant who lacks it gets a 403.
    """
    atelier = get_object_or_404(Atelier.objects.select_related("territoire"), pk=atelier_id)
    if not user.has_perm("ateliers.view_atelier", atelier):
        # A refused access, answered as "not found" so as not to reveal the atelier.
        logger.warning("acces_refuse_404 user=%s atelier=%s", user.pk, atelier.pk)
        raise Http404
    if perm != "ateliers.view_atelier" and not user.has_perm(perm, atelier):
        raise PermissionDenied
    return atelier


def atelier_workspace_url(atelier: Atelier) -> str:
    try:
        return atelier.get_absolute_url()
    except NoReverseMatch:
        return reverse("ateliers:participants", kwargs={"atelier_id": atelier.pk})


@login_required
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, atelier_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, atelier_id)
    peut_inviter = request.user.has_perm("ateliers.invite", atelier)
    form = InvitationForm()
    if request.method == "POST":
        if not peut_inviter:
            raise PermissionDenied
        if lacks_required_mfa(request.user):
            from acteurs.decorators import redirect_to_mfa_setup

            return redirect_to_mfa_setup(request)
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    atelier=atelier, by=request.user, **form.cleaned_data
                )
            except services.ParticipationError as exc:
                form.add_error("email", exc.message)
                form.set_autofocus_on_first_error()
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(email)s (%(role)s).")
                    % {"email": invitation.email, "role": invitation.get_role_display()},
                )
                return redirect("ateliers:participants", atelier_id=atelier.pk)
    participations = list(selectors.participations_of_atelier(atelier))
    groupes = []
    for role in Role:
        membres = [p for p in participations if p.role == role]
        if membres:
            groupes.append((role.label, membres))
    context = {
        "atelier": atelier,
        "atelier_id_str": str(atelier.pk),
        "onglet": "participants",
        "groupes": groupes,
        "nombre": len(participations),
        "invitations": list(selectors.pending_invitations_of_atelier(atelier))
        if peut_inviter
        else [],
        "peut_inviter": peut_inviter,
        "form": form,
        "role_choices": Role.choices,
        "breadcrumb": [
            (_("Mon espace"), reverse("acteurs:espace")),
            (atelier.titre, atelier_workspace_url(atelier)),
            (_("Participants"), None),
        ],
    }
    return render(
        request, "ateliers/participants.html", context, status=400 if form.errors else 200
    )


def _participation_for_user(request, atelier_id: int, pk: int) -> Participation:
    atelier = get_atelier_for_user(request.user, atelier_id, perm="ateliers.invite")
    return get_object_or_404(
        Participation.objects.select_related("acteur", "atelier"), pk=pk, atelier=atelier
    )


@login_required
@require_POST
@staff_mfa_required
def participation_role(request: HttpRequest, atelier_id: int, pk: int) -> HttpResponse:
    participation = _participation_for_user(request, atelier_id, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle dans la liste."))
    else:
        try:
            services.participation_change_role(
                participation=participation, by=request.user, role=form.cleaned_data["role"]
            )
        except services.ParticipationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(acteur)s est désormais %(role)s.")
                % {"acteur": participation.acteur, "role": participation.get_role_display()},
            )
    return redirect("ateliers:participants", atelier_id=atelier_id)


@login_required
@require_POST
@staff_mfa_required
def participation_retirer(request: HttpRequest, atelier_id: int, pk: int) -> HttpResponse:
    participation = _participation_for_user(request, atelier_id, pk)
    try:
        services.participation_remove(participation=participation, by=request.user)
    except services.ParticipationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(acteur)s a été retiré·e de l'atelier.") % {"acteur": participation.acteur}
        )
    return redirect("ateliers:participants", atelier_id=atelier_id)


@login_required
@require_POST
@staff_mfa_required
def invitation_annuler(request: HttpRequest, atelier_id: int, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, atelier_id, perm="ateliers.invite")
    invitation = get_object_or_404(
        Invitation.objects.select_related("atelier"), pk=pk, atelier=atelier
    )
    try:
        services.invitation_cancel(invitation=invitation, by=request.user)
    except TransitionError:
        messages.error(request, _("Cette invitation n'est plus en attente."))
    else:
        messages.success(
            request, _("L'invitation de %(email)s est annulée.") % {"email": invitation.email}
        )
    return redirect("ateliers:participants", atelier_id=atelier_id)
