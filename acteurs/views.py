"""Views of the acteurs app: my workspace and following an invitation link."""

import logging
import re

from allauth.account.views import SignupView as AllauthSignupView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .adapter import INVITATION_SESSION_KEY
from .invitations import InvitationLinkError, invitation_from_token

logger = logging.getLogger("atelier.securite")


class SignupView(AllauthSignupView):
    """allauth's signup, with the names the pilote typed for an invited person filled in."""

    def get_initial(self) -> dict:
        initial = super().get_initial()
        token = self.request.session.get(INVITATION_SESSION_KEY)
        if token:
            try:
                invitation = invitation_from_token(token)
            except InvitationLinkError:
                return initial
            initial.setdefault("email", invitation.email)
            if invitation.prenom:
                initial.setdefault("first_name", invitation.prenom)
            if invitation.nom:
                initial.setdefault("last_name", invitation.nom)
        return initial


signup = SignupView.as_view()


@login_required
def espace(request: HttpRequest) -> HttpResponse:
    data = selectors.espace_for_user(request.user)
    return render(
        request,
        "acteurs/espace.html",
        {
            "espace": data,
            "instruit_candidatures": data.instruit_candidatures,
            "frequences": services.Utilisateur.FrequenceResume.choices,
            "breadcrumb": [(_("Mon espace"), None)],
        },
    )


@login_required
def mfa_suite(request: HttpRequest) -> HttpResponse:
    """After setting up the second factor, back to the page that asked for it (a new pilote
    who accepted their invitation lands in their atelier); only a path of the pages the
    second factor guards is followed, else « Mon espace »."""
    from .decorators import MFA_SUITE_KEY
    from .middleware import MfaObligatoireMiddleware

    suite = request.session.pop(MFA_SUITE_KEY, "")
    if suite.startswith(MfaObligatoireMiddleware.PREFIXES):
        return redirect(suite)
    return redirect("acteurs:espace")


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
    from allauth.account.models import EmailAddress

    verifiee = EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()
    if not verifiee:
        # An account made elsewhere than through this link has not proved the address yet.
        return render(
            request,
            "acteurs/invitation.html",
            {"invitation": invitation, "token": token, "non_verifiee": True},
            status=403 if request.method == "POST" else 200,
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


@login_required
def mes_donnees(request: HttpRequest) -> HttpResponse:
    """Everything the platform holds about me, readable; ``?format=json`` to download it."""
    import json

    from django.utils import timezone

    from .donnees import personal_data

    data = personal_data(request.user)
    if request.GET.get("format") == "json":
        response = HttpResponse(
            json.dumps(
                {"exporte_le": timezone.localtime().isoformat(timespec="seconds"), **data},
                ensure_ascii=False,
                indent=2,
            ),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-atelier.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    response = render(
        request,
        "acteurs/mes_donnees.html",
        {
            "sections": {
                titre: [
                    [(cle, _texte(valeur)) for cle, valeur in ligne.items()] for ligne in lignes
                ]
                for titre, lignes in data.items()
            },
            "breadcrumb": [("Mon espace", "/espace/"), ("Mes données personnelles", None)],
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _texte(valeur) -> str:
    """A value of the personal data export, as one line of text for the HTML page."""
    if valeur is None or valeur == "" or valeur == []:
        return "—"
    if valeur is True or valeur is False:
        return "oui" if valeur else "non"
    if isinstance(valeur, dict):
        return ", ".join(f"{k} : {_texte(v)}" for k, v in valeur.items())
    if isinstance(valeur, list):
        return " ; ".join(_texte(v) for v in valeur)
    texte = str(valeur)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}", texte):
        # The export's ISO dates, as a person reads them.
        import datetime as dt

        from django.utils.formats import date_format

        return date_format(dt.datetime.fromisoformat(texte), "j F Y à H:i")
    return texte


@login_required
def cloturer_compte(request: HttpRequest) -> HttpResponse:
    """Close my account: the reasons first (what goes, what stays and why), then a
    re-authenticated confirmation."""
    from django.contrib.auth import logout

    from .donnees import RAISONS, ClotureError, cloture_blockers, compte_close, pseudonyme
    from .forms import ClotureCompteForm

    user = request.user
    form = ClotureCompteForm(request.POST or None, user=user)
    blockers = cloture_blockers(user)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            compte_close(user=user)
        except ClotureError as exc:
            blockers = [exc.message]
        else:
            logout(request)
            messages.success(
                request,
                "Votre compte est clos. Ce qui devait être conservé l'est sous le pseudonyme "
                f"« {pseudonyme(user)} » ; le reste est supprimé.",
            )
            return redirect("home")
    return render(
        request,
        "acteurs/cloturer_compte.html",
        {
            "form": form,
            "raisons": RAISONS,
            "blockers": blockers,
            "pseudonyme": pseudonyme(user),
            "breadcrumb": [("Mon espace", "/espace/"), ("Clore mon compte", None)],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_safe
def organisations(request: HttpRequest) -> JsonResponse:
    """The organisations autocomplete of the forms (``?q=`` a part of the name): what
    static/js/lieux.js offers as one types. Without JavaScript the forms search on the
    server with the same selector."""
    resultats = [
        {"valeur": str(o.pk), "libelle": f"{o.nom} ({o.get_nature_display()})"}
        for o in selectors.organisations_search(request.GET.get("q", "")[:100])
    ]
    response = JsonResponse({"resultats": resultats})
    response["Cache-Control"] = "private, max-age=60"
    return response


@login_required
@require_POST
def resume_preference(request: HttpRequest) -> HttpResponse:
    """How often « Ce qui m'attend » comes by e-mail (chosen in « Mon compte » of /espace/)."""
    frequence = request.POST.get("resume_frequence", "")
    if frequence not in services.Utilisateur.FrequenceResume.values:
        messages.error(request, _("Choisissez une fréquence dans la liste."))
        return redirect(reverse("acteurs:espace") + "#titre-compte")
    services.resume_frequence_set(user=request.user, frequence=frequence)
    messages.success(
        request,
        _("Vous ne recevrez plus le résumé par courriel.")
        if frequence == services.Utilisateur.FrequenceResume.AUCUN
        else _("Le résumé vous sera envoyé : %(f)s.")
        % {"f": services.Utilisateur.FrequenceResume(frequence).label.lower()},
    )
    return redirect(reverse("acteurs:espace") + "#titre-compte")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def resume_desabonnement(request: HttpRequest, jeton: str) -> HttpResponse:
    """The digest's unsubscribe link, without signing in: the signed token names the
    account. A GET only asks (mail scanners open links); the POST switches it off.

    Also the digest's ``List-Unsubscribe`` address, which the mail client POSTs to in one
    click (RFC 8058) with no cookie nor CSRF token: the token is the credential, and all a
    POST can do is switch off that one account's digest."""
    user = services.resume_user_from_token(jeton)
    if user is None:
        return render(request, "acteurs/resume_desabonnement.html", {"invalide": True}, status=404)
    fait = False
    if request.method == "POST":
        services.resume_frequence_set(
            user=user, frequence=services.Utilisateur.FrequenceResume.AUCUN
        )
        fait = True
    return render(
        request,
        "acteurs/resume_desabonnement.html",
        {"compte": user, "fait": fait or user.resume_frequence == "aucun"},
    )
