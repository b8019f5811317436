"""Views of the roadmap: they connect forms, selectors and services, nothing more."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from acteurs.permissions import roles_in_atelier
from acteurs.services import ParticipationError
from atelier import confirmation, signing
from atelier.csv import csv_response
from atelier.pagination import paginer
from atelier.tri import Colonne, trier
from atelier.uploads import protected_download
from atelier.workflow import TransitionError
from atelier.xlsx import xlsx_response
from ateliers.models import Atelier
from ateliers.selectors import get_atelier_for_user
from ateliers.workspace import workspace_context

from . import canonical, financements, indicateurs, selectors, services
from . import export_actions as export_actions_module
from .forms import (
    ActionForm,
    AxeForm,
    CommentaireForm,
    ConsultationForm,
    DeliberationForm,
    EnvoiSignatureForm,
    FeuilleForm,
    FinancementForm,
    FinancementFormSet,
    MasquageForm,
    PointSuiviForm,
    ReponseForm,
    SignatureForm,
    VerifierForm,
)
from .models import (
    Action,
    Axe,
    CarnetDeSuivi,
    Cible,
    Commentaire,
    Consultation,
    Rapport,
    RegenerationDue,
    StatutSuivi,
    Version,
)
from .permissions import follow_up_scope

# --- Access helpers ------------------------------------------------------------------------


def _context(request: HttpRequest, atelier: Atelier, **extra: Any) -> dict[str, Any]:
    sous_page = extra.get("sous_page")
    base = reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk})
    return workspace_context(
        request,
        atelier,
        onglet="feuille",
        trail=[("Feuille de route", base if sous_page else None)]
        + ([(sous_page, None)] if sous_page else []),
        peut_editer=request.user.has_perm("feuilles_de_route.edit_feuille", atelier),
        peut_envoyer=request.user.has_perm("feuilles_de_route.send_for_signature", atelier),
        peut_publier=request.user.has_perm("feuilles_de_route.publish_feuille", atelier),
        peut_generer=request.user.has_perm("feuilles_de_route.generate_rapport", atelier),
        peut_exporter=request.user.has_perm("feuilles_de_route.view_brouillon", atelier),
        **extra,
    )


def _error(request: HttpRequest, exc: TransitionError) -> None:
    messages.error(request, exc.message)


# --- The roadmap page and its editor --------------------------------------------------------


@login_required
@require_GET
def feuille(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk)
    feuille = services.feuille_get_or_create(atelier=atelier)
    voit_brouillon = request.user.has_perm("feuilles_de_route.view_brouillon", atelier)
    axes = selectors.axes_with_actions(feuille) if voit_brouillon else []
    selectors.prepare_editor_rows(axes)
    # Without their content: the page reads none of it, and each one is the whole document
    # (200 actions on a large roadmap) decoded from JSON.
    versions = list(selectors.versions_of(feuille).defer("contenu")[:5])
    # The last version, for the refusals below (before the list is cut to what one may see).
    derniere_version = versions[0] if versions else None
    if not voit_brouillon:
        versions = [v for v in versions if selectors.version_shown_to_all(v)]
    en_signature = next((v for v in versions if v.statut == Version.Statut.EN_SIGNATURE), None)
    a_signer = None
    if en_signature is not None and selectors.pending_signature_for(request.user, en_signature):
        a_signer = en_signature
    # The draft's fingerprint is only compared with the last version: without any version,
    # nothing to compare it with (the refusals below and brouillon_modifie do not read it).
    brouillon = (
        canonical.empreinte(
            canonical.snapshot(feuille, axes if voit_brouillon else None), normalise_deja=True
        )
        if derniere_version is not None
        else ""
    )
    derniere = versions[0] if versions else None
    rapport = selectors.rapport_of(atelier)
    # A concertation is held on a version: none without any.
    concertation = (
        Consultation.objects.filter(version__feuille=feuille, statut=Consultation.Statut.OUVERTE)
        .select_related("version")
        .defer("version__contenu")
        .first()
        if derniere_version is not None
        else None
    )
    carnets = list(CarnetDeSuivi.objects.filter(atelier=atelier).order_by("-numero")[:5])
    peut = request.user.has_perm
    # What the buttons below would be refused for now: shown disabled with the reason.
    refus = {
        "figer": services.version_create_refusal(
            feuille, empreinte=brouillon, derniere=derniere_version
        ),
        "envoi": services.envoi_signature_refusal(
            feuille,
            empreinte=brouillon,
            derniere=derniere_version,
            # The draft's actions are loaded for whoever sees the draft.
            a_des_actions=any(axe.actions.all() for axe in axes) if voit_brouillon else None,
        )
        if peut("feuilles_de_route.send_for_signature", atelier)
        else "",
        "publication": services.publication_refusal(feuille),
        "rapport": services.rapport_refusal(rapport) if rapport else "",
        "rapport_demande": "" if feuille.version_adoptee_id else services.RAPPORT_SANS_ADOPTION,
        "carnet": next(
            (
                _(
                    "L'édition %(n)s est en cours de génération : attendez qu'elle soit "
                    "prête pour en demander une autre."
                )
                % {"n": c.numero}
                for c in carnets
                if c.statut in (CarnetDeSuivi.Statut.EN_ATTENTE, CarnetDeSuivi.Statut.EN_COURS)
            ),
            "",
        ),
    }
    return render(
        request,
        "feuilles_de_route/feuille_detail.html",
        _context(
            request,
            atelier,
            feuille=feuille,
            axes=axes,
            totaux_financements=financements.annoter(axes),
            versions=versions,
            derniere=derniere,
            brouillon_modifie=derniere is None or derniere.empreinte != brouillon,
            en_signature=en_signature,
            a_signer=a_signer,
            rapport=rapport,
            refus=refus,
            rapport_message=rapport_progress_message(rapport) if rapport else "",
            avancement=selectors.avancement(atelier, feuille=feuille),
            voit_brouillon=voit_brouillon,
            carnets=carnets,
            peut_carnet=peut("feuilles_de_route.generate_carnet", atelier),
            concertation=concertation,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def feuille_modifier(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.edit_feuille")
    feuille = services.feuille_get_or_create(atelier=atelier)
    form = FeuilleForm(
        request.POST or None, initial={"titre": feuille.titre, "preambule": feuille.preambule}
    )
    if request.method == "POST" and form.is_valid():
        services.feuille_update(feuille=feuille, by=request.user, **form.cleaned_data)
        messages.success(request, _("La feuille de route a été modifiée."))
        return redirect("feuilles_de_route:feuille", pk=atelier.pk)
    return render(
        request,
        "feuilles_de_route/form.html",
        _context(
            request, atelier, form=form, titre="Titre et préambule", sous_page="Titre et préambule"
        ),
        status=400 if request.method == "POST" else 200,
    )


def _axe(atelier: Atelier, axe_id: int) -> Axe:
    return get_object_or_404(
        Axe.objects.select_related("feuille__atelier"), pk=axe_id, feuille__atelier=atelier
    )


def _action(atelier: Atelier, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("axe__feuille__atelier"),
        pk=action_id,
        axe__feuille__atelier=atelier,
    )


@login_required
@require_http_methods(["GET", "POST"])
def axe_editer(request: HttpRequest, pk: int, axe_id: int | None = None) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.edit_feuille")
    feuille = services.feuille_get_or_create(atelier=atelier)
    axe = _axe(atelier, axe_id) if axe_id else None
    initial = {"titre": axe.titre, "description": axe.description} if axe else None
    form = AxeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.axe_save(feuille=feuille, by=request.user, axe=axe, **form.cleaned_data)
        messages.success(request, _("L'axe a été enregistré."))
        return redirect(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + "#axes")
    titre = "Modifier l'axe" if axe else "Ajouter un axe stratégique"
    return render(
        request,
        "feuilles_de_route/form.html",
        _context(request, atelier, form=form, titre=titre, sous_page=titre),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def axe_supprimer(request: HttpRequest, pk: int, axe_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.edit_feuille")
    axe = _axe(atelier, axe_id)
    if confirmation.demandee(request):
        return confirmation.page(request, "feuilles_de_route:axe_supprimer", axe)
    try:
        services.axe_delete(axe=axe, by=request.user)
        messages.success(request, _("L'axe a été supprimé du brouillon."))
    except TransitionError as exc:
        _error(request, exc)
    return redirect("feuilles_de_route:feuille", pk=atelier.pk)


@login_required
@require_http_methods(["GET", "POST"])
def action_editer(request: HttpRequest, pk: int, action_id: int | None = None) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.edit_feuille")
    feuille = services.feuille_get_or_create(atelier=atelier)
    action = _action(atelier, action_id) if action_id else None
    if action:
        initial = ActionForm.initial_for(action)
    else:
        initial = {"axe": request.GET.get("axe"), "priorite": Action.Priorite.MOYENNE}
    form = ActionForm(request.POST or None, initial=initial, feuille=feuille)
    # A post without the funding lines (an older form, a script) leaves them as they are.
    avec_lignes = "financements-TOTAL_FORMS" in request.POST
    lignes = FinancementFormSet(
        request.POST if avec_lignes else None,
        initial=FinancementForm.initial_for(action) if action else None,
        prefix="financements",
    )
    if not form.fields["axe"].queryset.exists():
        messages.info(request, _("Ajoutez d'abord un axe stratégique."))
        return redirect("feuilles_de_route:axe_ajouter", pk=atelier.pk)
    bouton = request.POST.get("action", "")
    if bouton in ("chercher_organisations", "ajouter_porteur", "ajouter_partenaire"):
        # Searching or adding an organisation without JavaScript: the same page, nothing
        # saved, what was typed kept.
        form = _action_form_organisations(request, atelier, feuille, initial, bouton)
    elif request.method == "POST" and form.is_valid() and (not avec_lignes or lignes.is_valid()):
        data = dict(form.cleaned_data)
        for name in ActionForm.AUXILIAIRES:
            data.pop(name, None)
        axe = data.pop("axe")
        partenaires = data.pop("partenaires")
        action = services.action_save(
            axe=axe,
            by=request.user,
            data=data,
            partenaires=partenaires,
            financements=lignes.lignes() if avec_lignes else None,
            action=action,
        )
        messages.success(
            request, _("L'action « %(titre)s » a été enregistrée.") % {"titre": action.titre}
        )
        return redirect(
            reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + f"#action-{action.pk}"
        )
    titre = "Modifier l'action" if action else "Ajouter une action"
    erreur = request.method == "POST" and bool(
        (form.is_bound and form.errors) or (lignes.is_bound and not lignes.is_valid())
    )
    return render(
        request,
        "feuilles_de_route/action_form.html",
        _context(
            request,
            atelier,
            form=form,
            lignes=lignes,
            totaux=financements.totaux_action(action.financements.all(), action.cout_estime)
            if action
            else None,
            titre=titre,
            sous_page=titre,
        ),
        status=400 if erreur else 200,
    )


def _action_form_organisations(
    request: HttpRequest, atelier: Atelier, feuille: Any, initial: dict, bouton: str
) -> ActionForm:
    """The action form re-shown after a search or an organisation added (nothing saved)."""
    saisie = {
        k: request.POST.getlist(k) if k == "partenaires" else v for k, v in request.POST.items()
    }
    if bouton != "chercher_organisations":
        try:
            organisation = services.organisation_add_for_action(
                atelier=atelier,
                by=request.user,
                nom=request.POST.get("organisation_nom", ""),
                nature=request.POST.get("organisation_nature", ""),
            )
        except ParticipationError as exc:
            form = ActionForm(request.POST, initial=initial, feuille=feuille)
            form.cleaned_data, form._errors = {}, ErrorDict()
            champ = {"nom": "organisation_nom", "nature": "organisation_nature"}.get(exc.field)
            form.add_error(champ, exc.message)
            return form
        if bouton == "ajouter_porteur":
            saisie["porteur"] = str(organisation.pk)
        else:
            saisie["partenaires"] = [*saisie.get("partenaires", []), str(organisation.pk)]
        saisie["organisation_nom"] = saisie["organisation_nature"] = ""
        messages.success(
            request,
            _(
                "« %(nom)s » est ajoutée à la liste des organisations et choisie ; enregistrez l'action."
            )
            % {"nom": organisation.nom},
        )
    return ActionForm(initial={**initial, **saisie}, feuille=feuille)


@login_required
@require_http_methods(["GET", "POST"])
def action_supprimer(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.edit_feuille")
    action = _action(atelier, action_id)
    if confirmation.demandee(request):
        return confirmation.page(request, "feuilles_de_route:action_supprimer", action)
    try:
        services.action_delete(action=action, by=request.user)
        messages.success(request, _("L'action a été supprimée du brouillon."))
    except TransitionError as exc:
        _error(request, exc)
    return redirect("feuilles_de_route:feuille", pk=atelier.pk)


@login_required
@require_POST
def deplacer(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an axis or an action up or down: JSON for the editor's fetch(), a redirect otherwise."""
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.edit_feuille")
    wants_json = "application/json" in request.headers.get("Accept", "")
    kind, direction = request.POST.get("type"), request.POST.get("sens")
    try:
        element_id = int(request.POST.get("id", ""))
    except ValueError:
        element_id = None
    if kind not in ("axe", "action") or direction not in ("haut", "bas") or element_id is None:
        if wants_json:
            return JsonResponse(
                {"ok": False, "message": "Demande de déplacement invalide."}, status=400
            )
        messages.error(request, _("Demande de déplacement invalide."))
        return redirect("feuilles_de_route:feuille", pk=atelier.pk)
    element = _axe(atelier, element_id) if kind == "axe" else _action(atelier, element_id)
    moved = services.element_move(element=element, by=request.user, direction=direction)
    if wants_json:
        return JsonResponse({"ok": True, "deplace": moved})
    anchor = f"#{kind}-{element_id}"
    return redirect(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + anchor)


# --- Versions ------------------------------------------------------------------------------


def _version(atelier: Atelier, numero: int, user: Any = None) -> Version:
    """The version ``numero``; a frozen draft not yet put before everyone is a 404 for those
    who may not read drafts (``user`` given)."""
    version = Version.objects.filter(feuille__atelier=atelier, numero=numero).first()
    if version is None:
        raise Http404
    if (
        user is not None
        and not user.has_perm("feuilles_de_route.view_brouillon", atelier)
        and not selectors.version_shown_to_all(version)
    ):
        raise Http404
    version = selectors.version_with_signatures(version.pk)
    version.signes_ids = {s.signataire_id for s in version.signatures.all()}
    return version


@login_required
@require_GET
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk)
    feuille = services.feuille_get_or_create(atelier=atelier)
    items = list(selectors.versions_of(feuille))
    if not request.user.has_perm("feuilles_de_route.view_brouillon", atelier):
        items = [v for v in items if selectors.version_shown_to_all(v)]
    comparaison = None
    numeros = {v.numero: v for v in items}
    de, a = request.GET.get("de"), request.GET.get("a")
    if de and a:
        try:
            v1, v2 = numeros[int(de)], numeros[int(a)]
        except (KeyError, ValueError):
            messages.error(request, _("Choisissez deux versions existantes à comparer."))
        else:
            comparaison = {"de": v1, "a": v2, "diff": canonical.diff(v1.contenu, v2.contenu)}
    return render(
        request,
        "feuilles_de_route/version_list.html",
        _context(
            request,
            atelier,
            feuille=feuille,
            versions=items,
            comparaison=comparaison,
            sous_page="Versions",
        ),
    )


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk)
    version = _version(atelier, numero, request.user)
    return render(
        request,
        "feuilles_de_route/version_detail.html",
        _context(
            request,
            atelier,
            version=version,
            contenu=version.contenu,
            a_signer=selectors.pending_signature_for(request.user, version),
            consultation=selectors.consultation_of(version),
            peut_consulter=request.user.has_perm("feuilles_de_route.manage_consultation", atelier),
            refus_consultation=services.consultation_refusal(version),
            deliberation_form=DeliberationForm(
                initial={
                    "reference": version.deliberation_reference,
                    "date": version.deliberation_date,
                }
            ),
            sous_page=f"Version {version.numero}",
        ),
    )


@login_required
@require_POST
def version_figer(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.edit_feuille")
    feuille = services.feuille_get_or_create(atelier=atelier)
    if refus := services.version_create_refusal(feuille):
        messages.info(request, refus)
        return redirect("feuilles_de_route:feuille", pk=atelier.pk)
    version = services.version_create(feuille=feuille, by=request.user)
    messages.success(request, _("Version %(numero)s figée.") % {"numero": version.numero})
    return redirect("feuilles_de_route:version", pk=atelier.pk, numero=version.numero)


@login_required
@require_http_methods(["GET", "POST"])
def envoyer_signature(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.send_for_signature")
    feuille = services.feuille_get_or_create(atelier=atelier)
    form = EnvoiSignatureForm(
        request.POST or None, candidates=selectors.signatory_candidates(atelier)
    )
    refus = services.envoi_signature_refusal(feuille)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_send_for_signature(
                feuille=feuille,
                by=request.user,
                signataires=form.signataires(),
                signer_avant=form.cleaned_data.get("signer_avant"),
            )
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _(
                    "La version %(numero)s a été envoyée pour signature ; chaque signataire reçoit un courriel."
                )
                % {"numero": version.numero},
            )
            return redirect("feuilles_de_route:version", pk=atelier.pk, numero=version.numero)
    return render(
        request,
        "feuilles_de_route/envoi_signature.html",
        _context(
            request,
            atelier,
            feuille=feuille,
            form=form,
            refus=refus,
            sous_page="Envoyer pour signature",
        ),
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def signer(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    """The read-and-sign page: the version in full, then the signature form."""
    atelier = get_atelier_for_user(request.user, pk)
    version = _version(atelier, numero, request.user)
    requis = selectors.pending_signature_for(request.user, version)
    deja = next((s for s in version.signatures.all() if s.signataire_id == request.user.pk), None)
    mfa = selectors.uses_mfa(request.user)
    form = None
    status = 200
    capacite = attestation = refus = ""
    if requis is not None and version.statut == Version.Statut.EN_SIGNATURE:
        try:
            capacite, attestation = services.signing_capacity(
                user=request.user, atelier=atelier, qualite=requis.qualite
            )
        except TransitionError as exc:
            # Named, but no longer entitled (a revoked agent): say so, offer no form.
            refus = exc.message
            requis = None
    if requis is not None and version.statut == Version.Statut.EN_SIGNATURE:
        form = SignatureForm(request.POST or None, mfa=mfa)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.version_sign(
                        version=version,
                        by=request.user,
                        password=form.cleaned_data.get("password", ""),
                        code=form.cleaned_data.get("code", ""),
                    )
                except TransitionError as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Votre signature est enregistrée. Merci."))
                    return redirect("feuilles_de_route:signer", pk=atelier.pk, numero=numero)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "feuilles_de_route/version_signer.html",
        _context(
            request,
            atelier,
            version=version,
            contenu=version.contenu,
            requis=requis,
            deja=deja,
            form=form,
            capacite=capacite,
            attestation=attestation,
            refus=refus,
            nb_actions=sum(len(a.get("actions", [])) for a in version.contenu.get("axes", [])),
            sous_page=f"Signer la version {numero}",
        ),
        status=status,
    )


@login_required
@require_GET
def version_pdf(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    """The version as a PDF to read offline; once signed, with the signatures and seals."""
    from .rendering import version_pdf as render_version_pdf  # WeasyPrint loads only here

    atelier = get_atelier_for_user(request.user, pk)
    version = _version(atelier, numero, request.user)
    response = HttpResponse(render_version_pdf(version), content_type="application/pdf")
    nom = (
        f"feuille-de-route-{atelier.territoire.slug}-v{version.numero}-{version.empreinte[:8]}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response


@login_required
@require_POST
def deliberation(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.send_for_signature")
    version = _version(atelier, numero)
    form = DeliberationForm(request.POST)
    if form.is_valid():
        try:
            services.version_set_deliberation(version=version, by=request.user, **form.cleaned_data)
            messages.success(request, _("La délibération a été enregistrée."))
        except TransitionError as exc:
            _error(request, exc)
    else:
        messages.error(request, _("Date de délibération invalide."))
    return redirect("feuilles_de_route:version", pk=atelier.pk, numero=numero)


@login_required
@require_http_methods(["GET", "POST"])
def publier(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.publish_feuille")
    feuille = services.feuille_get_or_create(atelier=atelier)
    if confirmation.demandee(request):
        return confirmation.page(request, "feuilles_de_route:publier", feuille)
    publier = request.POST.get("publier", "1") == "1"
    try:
        services.feuille_publish(feuille=feuille, by=request.user, publier=publier)
        messages.success(
            request,
            "La feuille de route est publiée."
            if publier
            else "La feuille de route n'est plus publiée.",
        )
    except TransitionError as exc:
        _error(request, exc)
    return redirect("feuilles_de_route:feuille", pk=atelier.pk)


# --- Restitution report --------------------------------------------------------------------


def _rapport(atelier: Atelier, rapport_id: int) -> Rapport:
    return get_object_or_404(
        Rapport.objects.select_related("atelier", "version"), pk=rapport_id, atelier=atelier
    )


@login_required
@require_POST
def rapport_demander(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.generate_rapport")
    try:
        rapport = services.rapport_request(atelier=atelier, by=request.user)
        messages.info(request, selectors.rapport_queue_message(rapport))
    except TransitionError as exc:
        _error(request, exc)
    return redirect(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + "#rapport")


# After this long still queued, no worker is taking the job: say so plainly.
RAPPORT_SANS_WORKER_SECONDES = 60


def rapport_progress_message(rapport: Rapport) -> str:
    """Where the report's generation stands, with the elapsed time, for the page and its poll."""
    ecoule = int((timezone.now() - rapport.demande_le).total_seconds())
    duree = f"{ecoule // 60} min {ecoule % 60:02d} s" if ecoule >= 60 else f"{ecoule} s"
    if rapport.statut == Rapport.Statut.EN_ATTENTE:
        if ecoule >= RAPPORT_SANS_WORKER_SECONDES:
            return (
                f"En file d'attente depuis {duree} : aucun worker n'a encore pris la génération "
                "en charge. La file des tâches semble arrêtée ; prévenez l'administrateur de la "
                "plateforme."
            )
        return f"En file d'attente depuis {duree}."
    if rapport.statut == Rapport.Statut.EN_COURS:
        return f"Rendu du PDF en cours (demandé il y a {duree}) ; cette page se met à jour seule."
    if rapport.statut == Rapport.Statut.ECHEC:
        return rapport.erreur
    return ""


def rapport_etat_data(rapport: Rapport | None, atelier: Atelier) -> dict[str, Any]:
    if rapport is None:
        return {"statut": None}
    data = {
        "id": rapport.pk,
        "statut": rapport.statut,
        "libelle": rapport.get_statut_display(),
        "termine": rapport.statut in (Rapport.Statut.PRET, Rapport.Statut.ECHEC),
        "erreur": rapport.erreur,
        "publie": rapport.publie,
        "message": rapport_progress_message(rapport),
    }
    if rapport.statut == Rapport.Statut.PRET:
        data["telecharger"] = reverse(
            "feuilles_de_route:rapport_telecharger",
            kwargs={"pk": atelier.pk, "rapport_id": rapport.pk},
        )
        data["empreinte"] = rapport.empreinte
        data["taille"] = rapport.taille
    return data


@login_required
@require_GET
def rapport_etat(request: HttpRequest, pk: int, rapport_id: int) -> JsonResponse:
    atelier = get_atelier_for_user(request.user, pk)
    response = JsonResponse(rapport_etat_data(_rapport(atelier, rapport_id), atelier))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def rapport_telecharger(request: HttpRequest, pk: int, rapport_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk)
    rapport = _rapport(atelier, rapport_id)
    if rapport.statut != Rapport.Statut.PRET:
        raise Http404
    return protected_download(
        rapport.fichier, filename=f"rapport-restitution-{atelier.territoire.slug}.pdf"
    )


@login_required
@require_POST
def gestion_regeneration_relancer(request: HttpRequest, regeneration_id: int) -> HttpResponse:
    if not request.user.has_perm("feuilles_de_route.manage_regenerations"):
        raise PermissionDenied
    regeneration = get_object_or_404(RegenerationDue, pk=regeneration_id)
    try:
        services.regeneration_retry(regeneration=regeneration, by=request.user)
        messages.success(request, _("La régénération est relancée."))
    except TransitionError as exc:
        _error(request, exc)
    return redirect(reverse("appels:gestion") + "#regenerations-titre")


@login_required
@require_POST
def rapport_relancer(request: HttpRequest, pk: int, rapport_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.generate_rapport")
    try:
        rapport = _rapport(atelier, rapport_id)
        services.rapport_retry(rapport=rapport, by=request.user)
        messages.info(request, selectors.rapport_queue_message(rapport))
    except TransitionError as exc:
        _error(request, exc)
    return redirect(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + "#rapport")


@login_required
@require_http_methods(["GET", "POST"])
def rapport_publier(request: HttpRequest, pk: int, rapport_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.publish_feuille")
    rapport = _rapport(atelier, rapport_id)
    if confirmation.demandee(request):
        return confirmation.page(request, "feuilles_de_route:rapport_publier", rapport)
    publier = request.POST.get("publier", "1") == "1"
    try:
        services.rapport_publish(rapport=rapport, by=request.user, publier=publier)
        messages.success(
            request, "Le rapport est publié." if publier else "Le rapport n'est plus publié."
        )
    except TransitionError as exc:
        _error(request, exc)
    return redirect(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + "#rapport")


@require_GET
def rapport_public(request: HttpRequest, rapport_id: int) -> HttpResponse:
    """Anyone may download a published report of a published atelier; anything else does not
    exist here (participants download the others from the workspace, ``rapport_telecharger``)."""
    rapport = get_object_or_404(selectors.rapports_publics(), pk=rapport_id)
    return protected_download(
        rapport.fichier, filename=f"rapport-restitution-{rapport.atelier.territoire.slug}.pdf"
    )


# --- Follow-up -----------------------------------------------------------------------------


@login_required
@require_GET
def suivi(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk)
    feuille = services.feuille_get_or_create(atelier=atelier)
    axes = selectors.axes_for_follow_up(feuille)
    tous, organisations = follow_up_scope(request.user, atelier)
    progressions = indicateurs.progression_par_axe(axes)
    suivis = indicateurs.suivis_of_actions(feuille=feuille)
    # get_statut_suivi_display() rebuilds the choices (and translates them) at each call:
    # once per page instead of once per action.
    etats = {code: str(label) for code, label in StatutSuivi.choices}
    for axe in axes:
        axe.progression = progressions.get(axe.pk)
        for action in axe.actions.all():
            action.peut_suivre = tous or action.porteur_id in organisations
            action.suivis = suivis.get(action.pk, [])
            action.libelle_statut_suivi = etats.get(action.statut_suivi, action.statut_suivi)
    return render(
        request,
        "feuilles_de_route/suivi.html",
        _context(
            request,
            atelier,
            feuille=feuille,
            axes=axes,
            totaux_financements=financements.annoter(axes),
            avancement=selectors.avancement(atelier, feuille=feuille),
            sous_page="Suivi de la mise en œuvre",
        ),
    )


@login_required
@require_GET
def export_actions(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The roadmap's actions with their follow-up, one row per action (XLSX or CSV). The live
    actions are the draft: for those who may read it."""
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.view_brouillon")
    if extension not in ("xlsx", "csv"):
        raise Http404
    feuille = services.feuille_get_or_create(atelier=atelier)
    rows = [
        [_cellule(row[nom]) for nom in export_actions_module.NOMS]
        for row in export_actions_module.de_la_feuille(feuille)
    ]
    nom = f"actions-{atelier.territoire.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"
    if extension == "csv":
        response = csv_response(
            filename=nom, header=export_actions_module.TITRES, rows=rows, decimal_comma=True
        )
        response["Cache-Control"] = "private, no-store"
        return response
    return xlsx_response(filename=nom, sheets=[("Actions", export_actions_module.TITRES, rows)])


def _cellule(value: Any) -> Any:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value


@login_required
@require_http_methods(["GET", "POST"])
def point_suivi(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk)
    action = _action(atelier, action_id)
    if not request.user.has_perm("feuilles_de_route.follow_up_action", action):
        raise PermissionDenied
    from django.utils import timezone

    form = PointSuiviForm(
        request.POST or None,
        initial={
            "etat": action.statut_suivi,
            "date": timezone.localdate(),
            "pourcentage": action.avancement,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.point_suivi_add(action=action, by=request.user, **form.cleaned_data)
            except TransitionError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Le point de suivi a été enregistré."))
                return redirect(
                    reverse("feuilles_de_route:suivi", kwargs={"pk": atelier.pk})
                    + f"#action-{action.pk}"
                )
    return render(
        request,
        "feuilles_de_route/point_suivi.html",
        _context(
            request,
            atelier,
            action=action,
            points=selectors.points_of(action),
            form=form,
            sous_page="Point de suivi",
        ),
        status=status,
    )


COLONNES_SUIVI = [
    Colonne(_("Atelier"), "atelier", ("atelier__titre",), "fr-col--md"),
    Colonne(_("Territoire"), "territoire", ("atelier__territoire__nom",)),
    Colonne(_("Adoptée le"), "adoption", ("version_adoptee__adoptee_le",)),
    Colonne(_("Actions")),
    Colonne(_("Réalisées")),
    Colonne(_("Bloquées")),
    Colonne(_("Avancement")),
]


@login_required
@require_GET
def gestion_suivi(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("feuilles_de_route.view_suivi_national"):
        raise PermissionDenied
    feuilles, entetes = trier(request, selectors.feuilles_adoptees(), COLONNES_SUIVI)
    page = paginer(request, feuilles)
    return render(
        request,
        "feuilles_de_route/gestion_suivi.html",
        {
            "lignes": selectors.avancement_national(page.object_list),
            "page_obj": page,
            "entetes": entetes,
            "gestion_actif": "suivi",
            "breadcrumb": [(_("Gestion"), "/gestion/"), (_("Suivi des feuilles de route"), None)],
        },
    )


# --- Public verification -------------------------------------------------------------------


@require_GET
def verifier_formulaire(request: HttpRequest) -> HttpResponse:
    form = VerifierForm(request.GET or None)
    if form.is_valid():
        value = "".join(form.cleaned_data["empreinte"].split()).lower()
        if len(value) == 64 and all(c in "0123456789abcdef" for c in value):
            return redirect("feuilles_de_route:verifier", empreinte=value)
        form.add_error(
            "empreinte", _("Une empreinte SHA-256 compte 64 caractères hexadécimaux (0-9, a-f).")
        )
    return render(
        request,
        "feuilles_de_route/verifier.html",
        {"form": form, "breadcrumb": [(_("Vérifier un document"), None)]},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
def verifier(request: HttpRequest, empreinte: str) -> HttpResponse:
    """What a hash designates, and whether it is genuine: the hash recomputed from the stored
    content and every seal checked against the platform's public keys, each check named.

    The content (and who signed) is shown only when it is public; otherwise the page says
    the hash is known and nothing else.
    """
    found = selectors.verify_hash(empreinte)
    public = found is not None and selectors.is_public(found)
    controles = selectors.checks_of(found) if public else []
    return render(
        request,
        "feuilles_de_route/verifier.html",
        {
            "form": VerifierForm(initial={"empreinte": empreinte}),
            "empreinte": empreinte,
            "resultat": found if public else None,
            "connue_non_publique": found is not None and not public,
            "controles": controles,
            "authentique": all(c.ok for c in controles),
            "breadcrumb": [
                (_("Vérifier un document"), reverse("feuilles_de_route:verifier_formulaire")),
                (_("Résultat"), None),
            ],
        },
        status=200 if found else 404,
    )


@require_GET
def verifier_preuve(request: HttpRequest, empreinte: str) -> HttpResponse:
    """The proof of a public hash, for ``scripts/verifier_sceau.py`` (offline check)."""
    found = selectors.verify_hash(empreinte)
    if found is None or not selectors.is_public(found):
        raise Http404
    response = JsonResponse(selectors.proof(found), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="preuve-{empreinte[:12]}.json"'
    return response


@require_GET
def cle_publique(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "feuilles_de_route/cle_publique.html",
        {
            "cles": signing.public_keys(),
            "breadcrumb": [
                ("Vérifier un document", reverse("feuilles_de_route:verifier_formulaire")),
                ("Clés publiques", None),
            ],
        },
    )


@require_GET
def cle_publique_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {
            "schema": "atelier-des-territoires/cles/1",
            "cles": [k.as_json() for k in signing.public_keys()],
        }
    )


# --- Concertation ----------------------------------------------------------------------------


def _consultation_render(
    request: HttpRequest,
    atelier: Atelier,
    version: Version,
    *,
    status: int = 200,
    ouverture_form: ConsultationForm | None = None,
    erreur: str = "",
    brouillon: dict[str, Any] | None = None,
) -> HttpResponse:
    """The concertation page; ``brouillon`` keeps a refused comment's text in its form."""
    consultation = selectors.consultation_of(version)
    peut_moderer = request.user.has_perm("feuilles_de_route.manage_consultation", atelier)
    invite = False
    if consultation is not None:
        invite = (
            consultation.statut == Consultation.Statut.OUVERTE
            and request.user.has_perm("feuilles_de_route.comment_consultation", atelier)
            and bool(set(consultation.roles) & roles_in_atelier(request.user, atelier))
        )
    return render(
        request,
        "feuilles_de_route/consultation.html",
        _context(
            request,
            atelier,
            version=version,
            consultation=consultation,
            elements=selectors.consultation_page(consultation, request.user)
            if consultation
            else [],
            synthese=(consultation.synthese or selectors.consultation_summary(consultation))
            if consultation
            else None,
            peut_moderer=peut_moderer,
            invite=invite,
            ouverture_form=ouverture_form
            or (ConsultationForm() if consultation is None and peut_moderer else None),
            reponse_form=ReponseForm(),
            masquage_form=MasquageForm(),
            erreur=erreur,
            brouillon=brouillon or {},
            sous_page=f"Concertation sur la version {version.numero}",
        ),
        status=status,
    )


def _consultation(atelier: Atelier, numero: int) -> tuple[Version, Consultation]:
    version = _version(atelier, numero)
    consultation = selectors.consultation_of(version)
    if consultation is None:
        raise Http404
    return version, consultation


@login_required
@require_http_methods(["GET", "POST"])
def consultation(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    """The concertation on a version; the pilote opens it here (POST)."""
    atelier = get_atelier_for_user(request.user, pk)
    version = _version(atelier, numero, request.user)
    if request.method == "GET":
        return _consultation_render(request, atelier, version)
    if not request.user.has_perm("feuilles_de_route.manage_consultation", atelier):
        raise PermissionDenied
    form = ConsultationForm(request.POST)
    if form.is_valid():
        cloture = timezone.make_aware(
            dt.datetime.combine(form.cleaned_data["cloture"], dt.time.max)
        )
        try:
            services.consultation_open(
                version=version,
                by=request.user,
                cloture_prevue=cloture,
                roles=form.cleaned_data["roles"],
            )
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "La concertation est ouverte.")
            return redirect("feuilles_de_route:consultation", pk=atelier.pk, numero=numero)
    return _consultation_render(request, atelier, version, status=400, ouverture_form=form)


def _element(request: HttpRequest) -> tuple[str, int] | None:
    cible = request.POST.get("cible", "")
    try:
        ref = int(request.POST.get("ref", ""))
    except ValueError:
        return None
    return (cible, ref) if cible in Cible.values else None


@login_required
@require_POST
def consultation_commenter(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.comment_consultation")
    version, consultation = _consultation(atelier, numero)
    element = _element(request)
    form = CommentaireForm(request.POST)
    brouillon = {
        "cible": request.POST.get("cible"),
        "ref": request.POST.get("ref"),
        "texte": request.POST.get("texte", ""),
    }
    if element is None:
        erreur = "Choisissez l'axe ou l'action que vous commentez."
    elif not form.is_valid():
        erreur = " ".join(e for errs in form.errors.values() for e in errs)
    else:
        try:
            services.commentaire_add(
                consultation=consultation,
                by=request.user,
                cible=element[0],
                ref=element[1],
                texte=form.cleaned_data["texte"],
            )
        except TransitionError as exc:
            erreur = exc.message
        else:
            messages.success(request, "Votre commentaire est publié pour les participants.")
            return redirect(
                reverse(
                    "feuilles_de_route:consultation", kwargs={"pk": atelier.pk, "numero": numero}
                )
                + f"#{element[0]}-{element[1]}"
            )
    return _consultation_render(
        request, atelier, version, status=400, erreur=erreur, brouillon=brouillon
    )


@login_required
@require_POST
def consultation_soutenir(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.comment_consultation")
    version, consultation = _consultation(atelier, numero)
    element = _element(request)
    try:
        if element is None:
            raise TransitionError("Choisissez l'axe ou l'action que vous soutenez.")
        services.soutien_add(
            consultation=consultation, by=request.user, cible=element[0], ref=element[1]
        )
    except TransitionError as exc:
        return _consultation_render(request, atelier, version, status=400, erreur=exc.message)
    messages.success(request, "Votre soutien est enregistré.")
    return redirect(
        reverse("feuilles_de_route:consultation", kwargs={"pk": atelier.pk, "numero": numero})
        + f"#{element[0]}-{element[1]}"
    )


def _commentaire(consultation: Consultation, commentaire_id: int) -> Commentaire:
    return get_object_or_404(Commentaire, pk=commentaire_id, consultation=consultation)


@login_required
@require_POST
def consultation_repondre(
    request: HttpRequest, pk: int, numero: int, commentaire_id: int
) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.manage_consultation")
    version, consultation = _consultation(atelier, numero)
    commentaire = _commentaire(consultation, commentaire_id)
    form = ReponseForm(request.POST)
    if form.is_valid():
        try:
            services.commentaire_answer(
                commentaire=commentaire, by=request.user, **form.cleaned_data
            )
        except TransitionError as exc:
            return _consultation_render(request, atelier, version, status=400, erreur=exc.message)
        messages.success(request, "Votre réponse est enregistrée.")
        return redirect(
            reverse("feuilles_de_route:consultation", kwargs={"pk": atelier.pk, "numero": numero})
            + f"#commentaire-{commentaire.pk}"
        )
    erreur = " ".join(e for errs in form.errors.values() for e in errs)
    return _consultation_render(request, atelier, version, status=400, erreur=erreur)


@login_required
@require_POST
def consultation_masquer(
    request: HttpRequest, pk: int, numero: int, commentaire_id: int
) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.manage_consultation")
    version, consultation = _consultation(atelier, numero)
    commentaire = _commentaire(consultation, commentaire_id)
    try:
        services.commentaire_hide(
            commentaire=commentaire, by=request.user, motif=request.POST.get("motif", "")
        )
    except TransitionError as exc:
        return _consultation_render(request, atelier, version, status=400, erreur=exc.message)
    messages.success(request, "Le commentaire est masqué ; son auteur voit le motif.")
    return redirect("feuilles_de_route:consultation", pk=atelier.pk, numero=numero)


@login_required
@require_POST
def consultation_clore(request: HttpRequest, pk: int, numero: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.manage_consultation")
    version, consultation = _consultation(atelier, numero)
    try:
        services.consultation_close(consultation=consultation, by=request.user)
    except TransitionError as exc:
        return _consultation_render(request, atelier, version, status=409, erreur=exc.message)
    messages.success(request, "La concertation est close ; sa synthèse est jointe à la version.")
    return redirect("feuilles_de_route:consultation", pk=atelier.pk, numero=numero)


# --- The carnet de suivi ----------------------------------------------------------------------


@login_required
@require_POST
def carnet_demander(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.generate_carnet")
    carnet = services.carnet_request(atelier=atelier, by=request.user)
    messages.success(
        request,
        f"L'édition {carnet.numero} du carnet de suivi est demandée ; elle sera prête sous peu.",
    )
    return redirect(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + "#carnet")


def _carnet(atelier: Atelier, carnet_id: int) -> CarnetDeSuivi:
    return get_object_or_404(CarnetDeSuivi, pk=carnet_id, atelier=atelier)


@login_required
@require_GET
def carnet_telecharger(request: HttpRequest, pk: int, carnet_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk)
    carnet = _carnet(atelier, carnet_id)
    if carnet.statut != CarnetDeSuivi.Statut.PRET:
        raise Http404
    return protected_download(
        carnet.fichier, filename=f"carnet-de-suivi-{atelier.territoire.slug}-{carnet.numero}.pdf"
    )


@login_required
@require_http_methods(["GET", "POST"])
def carnet_publier(request: HttpRequest, pk: int, carnet_id: int) -> HttpResponse:
    atelier = get_atelier_for_user(request.user, pk, "feuilles_de_route.publish_feuille")
    carnet = _carnet(atelier, carnet_id)
    if confirmation.demandee(request):
        return confirmation.page(request, "feuilles_de_route:carnet_publier", carnet)
    try:
        services.carnet_publish(
            carnet=carnet, by=request.user, publier=request.POST.get("publier") != "0"
        )
    except TransitionError as exc:
        _error(request, exc)
    return redirect(reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk}) + "#carnet")
