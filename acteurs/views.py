"""Views of the acteurs app: my workspace and following an invitation link."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .adapter import INVITATION_SESSION_KEY
from .invitations import InvitationLinkError, invitation_from_token

logger = logging.getLogger("atelier.securite")


@login_required
def espace(request: HttpRequest) -> HttpResponse:
    data = selectors.espace_for_user(request.user)
    return render(
        request,
        "acteurs/espace.html",
        {
            "espace": data,
            "instruit_candidatures": data.instruit_candidatures,
            "breadcrumb": [(_("Mon espace"), None)],
        },
    )


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
            _("Bienvenue dans l'atelier « %(titre)s », en tant que %(role)s.")
            % {"titre": invitation.atelier.titre, "role": invitation.get_role_display()},
        )
        return redirect("ateliers:atelier", pk=invitation.atelier_id)
    return render(request, "acteurs/invitation.html", {"invitation": invitation, "token": token})
