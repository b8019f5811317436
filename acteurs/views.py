"""Views of the acteurs app: my workspace, participants, invitations, the audit log."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from atelier.pagination import paginer
from atelier.workflow import TransitionError
from ateliers.models import Atelier

from . import selectors, services
from .adapter import INVITATION_SESSION_KEY
from .decorators import staff_mfa_required
from .filters import JournalFilter
from .forms import InvitationForm, RoleForm
from .invitations import InvitationLinkError, invitation_from_token
from .mfa import lacks_required_mfa
from .models import Invitation, Participation, Role

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
        return reverse("acteurs:participants", kwargs={"atelier_id": atelier.pk})


@login_required
def espace(request: HttpRequest) -> HttpResponse:
    from ateliers.selectors.appels import peut_acceder_gestion_candidatures

    data = selectors.espace_for_user(request.user)
    return render(
        request,
        "acteurs/espace.html",
        {
            "espace": data,
            "instruit_candidatures": peut_acceder_gestion_candidatures(request.user),
            "breadcrumb": [("Mon espace", None)],
        },
    )


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
            from .decorators import redirect_to_mfa_setup

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
                    f"Invitation envoyée à {invitation.email} ({invitation.get_role_display()}).",
                )
                return redirect("acteurs:participants", atelier_id=atelier.pk)
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
            ("Mon espace", reverse("acteurs:espace")),
            (atelier.titre, atelier_workspace_url(atelier)),
            ("Participants", None),
        ],
    }
    return render(request, "acteurs/participants.html", context, status=400 if form.errors else 200)


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
        messages.error(request, "Choisissez un rôle dans la liste.")
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
                f"{participation.acteur} est désormais {participation.get_role_display()}.",
            )
    return redirect("acteurs:participants", atelier_id=atelier_id)


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
        messages.success(request, f"{participation.acteur} a été retiré·e de l'atelier.")
    return redirect("acteurs:participants", atelier_id=atelier_id)


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
        messages.error(request, "Cette invitation n'est plus en attente.")
    else:
        messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("acteurs:participants", atelier_id=atelier_id)


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Follow an invitation link: explain, then sign in/up, then join the atelier (POST)."""
    from allauth.account.adapter import get_adapter

    try:
        invitation = invitation_from_token(token)
    except InvitationLinkError as exc:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return render(
            request,
            "acteurs/invitation_invalide.html",
            {"message": exc.message},
            status=exc.status,
        )
    user = request.user
    if not user.is_authenticated:
        # Whoever holds the link received it at the invited address: that proves the
        # address, so signing up with it needs no second verification e-mail.
        request.session[INVITATION_SESSION_KEY] = token
        get_adapter(request).stash_verified_email(request, invitation.email)
        from allauth.account.models import EmailAddress

        compte_existe = EmailAddress.objects.filter(email__iexact=invitation.email).exists()
        return render(
            request,
            "acteurs/invitation.html",
            {"invitation": invitation, "compte_existe": compte_existe, "token": token},
        )
    if user.email.lower() != invitation.email.lower():
        return render(
            request,
            "acteurs/invitation.html",
            {"invitation": invitation, "autre_compte": True, "token": token},
            status=403,
        )
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except services.ParticipationError as exc:
            return render(
                request, "acteurs/invitation_invalide.html", {"message": exc.message}, status=410
            )
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(
            request,
            f"Bienvenue dans l'atelier « {invitation.atelier.titre} », en tant que "
            f"{invitation.get_role_display()}.",
        )
        return redirect(atelier_workspace_url(invitation.atelier))
    return render(request, "acteurs/invitation.html", {"invitation": invitation, "token": token})


@login_required
def journal(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("acteurs.view_journal"):
        raise PermissionDenied
    filtre = JournalFilter(request.GET or None, queryset=selectors.journal())
    qs = filtre.qs if filtre.is_bound and filtre.is_valid() else selectors.journal()
    page = paginer(request, qs)
    return render(
        request,
        "acteurs/journal.html",
        {
            "filtre": filtre,
            "page_obj": page,
            "evenements": selectors.libeller(page.object_list),
            "gestion_actif": "journal",
            "breadcrumb": [("Gestion", "/gestion/"), ("Journal d'audit", None)],
        },
    )
