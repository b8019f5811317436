"""The participants tab of an atelier's workspace: who takes part, with which role, and the
invitations still pending. People, roles and invitations are written by ``acteurs.services``."""

import html
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Q, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from acteurs import selectors, services
from acteurs.forms import InvitationForm, RoleForm
from acteurs.models import Invitation, Participation, Role
from atelier import confirmation
from atelier.pagination import paginer
from atelier.workflow import TransitionError

from .selectors import get_atelier_for_user
from .workspace import workspace_context


@login_required
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, atelier_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, atelier_id)
    peut_inviter = request.user.has_perm("ateliers.invite", atelier)
    form = InvitationForm()
    if request.method == "POST":
        if not peut_inviter:
            raise PermissionDenied
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    atelier=atelier, by=request.user, **form.cleaned_data
                )
            except services.ParticipationError as exc:
                form.add_error(exc.field, exc.message)
                form.set_autofocus_on_first_error()
            else:
                messages.success(
                    request,
                    _("Invitation envoyée à %(email)s (%(role)s).")
                    % {"email": invitation.email, "role": invitation.get_role_display()},
                )
                return redirect("ateliers:participants", atelier_id=atelier.pk)
    groupes, nombre, autres_habitants, page_obj = _participants_page(request, atelier)
    context = workspace_context(
        request,
        atelier,
        onglet="participants",
        trail=[("Participants", None)],
        groupes=groupes,
        page_obj=page_obj,
        nombre=nombre,
        autres_habitants=autres_habitants,
        invitations=list(selectors.pending_invitations_of_atelier(atelier)) if peut_inviter else [],
        peut_inviter=peut_inviter,
        form=form,
    )
    return render(
        request, "ateliers/participants.html", context, status=400 if form.errors else 200
    )


def _participants_page(request, atelier):
    """One page of participants (50), grouped by role in the order of ``Role``, with the
    number of people of each role in the whole atelier (a group may go on over two pages)."""
    voit_habitants = request.user.has_perm("acteurs.view_habitants", atelier)
    rows = selectors.participations_of_atelier(atelier).order_by(
        Case(*(When(role=role, then=i) for i, role in enumerate(Role))),
        "acteur__organisation__nom",
        "acteur__nom",
        "acteur__prenom",
        "pk",
    )
    # Only what a row shows (ateliers.templatetags.liste_participants and the removal's
    # confirmation): the user account behind each person is not read, only whether it is
    # the reader's (acteur.utilisateur_id).
    rows = (
        rows.select_related(None)
        .select_related("acteur__organisation")
        .only(
            "atelier_id",
            "role",
            "mandat",
            "collectivite",
            "atteste_le",
            "atteste_par_nom",
            "acteur__prenom",
            "acteur__nom",
            "acteur__fonction",
            "acteur__utilisateur_id",
            "acteur__organisation__nom",
        )
    )
    par_role = {
        c["role"]: c
        for c in Participation.objects.filter(atelier=atelier)
        .values("role")
        .annotate(n=Count("pk"), miens=Count("pk", filter=Q(acteur__utilisateur=request.user)))
    }
    nombre = sum(c["n"] for c in par_role.values())
    autres_habitants = 0
    if not voit_habitants:
        # Inhabitants are private people: another inhabitant sees only how many they are.
        habitants = par_role.get(Role.HABITANT, {"n": 0, "miens": 0})
        autres_habitants = habitants["n"] - habitants["miens"]
        rows = rows.exclude(Q(role=Role.HABITANT) & ~Q(acteur__utilisateur=request.user))
    # The list's length is known from the counts: the paginator does not count again.
    page_obj = paginer(request, rows, nombre=nombre - autres_habitants)
    pilotes = par_role.get(Role.PILOTE, {"n": 0})["n"]
    options = _options_role()
    for p in page_obj:
        # The "Changer" and "Retirer" buttons of the last pilote are shown disabled, with the
        # reason: from the pilotes counted above (ateliers.confirmations reads them).
        p.pilotes_de_l_atelier = pilotes
        p.refus_role = services.participation_role_refusal(p, pilotes=pilotes)
        p.options_role = options.get(p.role) or options[""]
    groupes = []
    for role, membres in groupby(page_obj, key=lambda p: p.role):
        total = par_role[role]["n"] if voit_habitants or role != Role.HABITANT else None
        groupes.append((Role(role).label, list(membres), total))
    return groupes, nombre, autres_habitants, page_obj


def _options_role() -> dict[str, SafeString]:
    """The ``<option>``s of a row's role select, for each role it may hold (``""``: none
    selected), written once per page: fifty rows of seven options through the template
    language were a sixth of the page's time."""
    choix = [(str(valeur), html.escape(str(libelle))) for valeur, libelle in Role.choices]

    def options(role: str) -> SafeString:
        # Every value and label is escaped above (html.escape, as atelier.forms.SelectRapide).
        return mark_safe(  # noqa: S308
            "".join(
                f'<option value="{html.escape(valeur)}"{" selected" if valeur == role else ""}>'
                f"{libelle}</option>"
                for valeur, libelle in choix
            )
        )

    return {role: options(role) for role in ["", *(valeur for valeur, _libelle in choix)]}


def _participation_for_user(request, atelier_id: int, pk: int) -> Participation:
    atelier = get_atelier_for_user(request.user, atelier_id, perm="ateliers.invite")
    return get_object_or_404(
        Participation.objects.select_related("acteur", "atelier"), pk=pk, atelier=atelier
    )


@login_required
@require_POST
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
@require_http_methods(["GET", "POST"])
def participation_retirer(request: HttpRequest, atelier_id: int, pk: int) -> HttpResponse:
    participation = _participation_for_user(request, atelier_id, pk)
    if confirmation.demandee(request):
        return confirmation.page(request, "ateliers:participation_retirer", participation)
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
