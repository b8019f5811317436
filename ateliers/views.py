"""The atelier workspace: ``/espace/ateliers/<id>/`` and its stages, documents, logbook,
demonstrator sites and calendar feeds.

Views only connect forms and services: permissions are ``rules`` checked through
``get_atelier_for_user`` (404 when the atelier is not visible to the user, 403 when a right
is missing), business rules live in ``ateliers.services``.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from acteurs.models import Participation
from atelier import confirmation, contributions
from atelier.dates import format_date
from atelier.pagination import paginer
from atelier.uploads import protected_download
from atelier.workflow import TransitionError, available_actions
from ateliers import calendrier, services
from ateliers import selectors as sel
from ateliers.filters import JournalFilter, dsfr_selects
from ateliers.formats import spec
from ateliers.forms import (
    DocumentForm,
    EquipeForm,
    EtapeAnnulerForm,
    EtapePlanifierForm,
    EtapeRealiserForm,
    EtapeReplanifierForm,
    InterAtelierForm,
    JournalForm,
    JournalRetraitForm,
    NouvelleVersionForm,
    PresencesForm,
    SiteForm,
)
from ateliers.markdown import render_markdown
from ateliers.models import (
    Atelier,
    Document,
    EntreeJournal,
    Etape,
    JetonCalendrier,
    Livrable,
    SiteDemonstrateur,
)
from ateliers.workspace import workspace_context
from journal.selectors import historique_atelier
from territoires.geo import simplify_for_display
from territoires.referentiel import communes_du_territoire

PERM_GERER = "ateliers.manage_atelier"
PERM_ETAPES = "ateliers.edit_etapes"
PERM_DEPOSER = "ateliers.upload_document"
PERM_JOURNAL = "ateliers.write_journal"
PERM_PUBLIER = "ateliers.publish_atelier"


def _context(request: HttpRequest, atelier: Atelier, onglet: str, titre: str, **extra) -> dict:
    user = request.user
    return workspace_context(
        request,
        atelier,
        onglet=onglet,
        trail=[(titre, None)] if titre != str(atelier) else [],
        peut_gerer=user.has_perm(PERM_GERER, atelier),
        peut_publier=user.has_perm(PERM_PUBLIER, atelier),
        peut_editer_etapes=user.has_perm(PERM_ETAPES, atelier),
        peut_deposer=user.has_perm(PERM_DEPOSER, atelier),
        peut_ecrire=user.has_perm(PERM_JOURNAL, atelier),
        optionnelles={m.nature for m in spec(atelier.format).etapes if m.optionnelle},
        **extra,
    )


def _erreur(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, getattr(exc, "message", str(exc)))


def _form_errors(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form fields it names (or the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Overview -------------------------------------------------------------------------------


@login_required
def atelier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    etapes = sel.etapes(atelier)
    equipe = sel.equipe(atelier)
    effectifs = sel.effectifs(atelier)
    ctx = _context(
        request,
        atelier,
        "apercu",
        str(atelier),
        spec=spec(atelier.format),
        avancement=sel.avancement(atelier),
        etapes=etapes,
        courante=sel.etape_courante(etapes),
        comptes=effectifs.par_type,
        # No attendance alarm before any stage has been held.
        presences_significatives=sel.une_etape_a_eu_lieu(etapes),
        equipe=equipe,
        carte=_donnees_carte(atelier),
        transitions=available_actions(atelier, request.user),
        refus_publication=services.publication_refusal(atelier),
        **contributions.gather(contributions.APERCU_ATELIER, atelier=atelier, user=request.user),
    )
    if ctx.get("peut_gerer") and (
        atelier.statut == Atelier.Statut.EN_PREPARATION or not ctx["presences_significatives"]
    ):
        # A new atelier says what to do first, to those who run it.
        ctx["premiers_pas"] = sel.premiers_pas(
            atelier, etapes=etapes, equipe=equipe, par_role=effectifs.par_role
        )
    if request.user.has_perm("acteurs.view_historique", atelier):
        ctx["historique"] = historique_atelier(atelier)
    return render(request, "ateliers/atelier_detail.html", ctx)


def _donnees_carte(atelier: Atelier) -> dict:
    territoire = atelier.territoire
    return {
        "territoire": {
            "nom": territoire.nom,
            "perimetre": territoire.perimetre,
            "point": [territoire.longitude, territoire.latitude]
            if territoire.latitude is not None and territoire.longitude is not None
            else None,
        },
        "sites": [
            {
                "nom": s.nom,
                "description": s.description,
                "geometrie": simplify_for_display(s.geometrie),
            }
            for s in sel.sites(atelier)
        ],
        "communes": communes_du_territoire(territoire),
    }


@login_required
@require_POST
def atelier_statut(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk, PERM_GERER)
    vers = request.POST.get("vers", "")
    if vers not in Atelier.Statut.values:
        messages.error(request, _("État demandé inconnu."))
        return redirect(atelier)
    try:
        services.atelier_changer_statut(atelier=atelier, by=request.user, to=vers)
    except (TransitionError, ValidationError) as exc:
        _erreur(request, exc)
    else:
        messages.success(
            request,
            _("L'atelier est maintenant « %(etat)s ».") % {"etat": atelier.get_statut_display()},
        )
    return redirect(atelier)


@login_required
@require_http_methods(["GET", "POST"])
def atelier_publication(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the atelier on the public site, or withdraw it (``publier`` = 1 or 0), once
    confirmed."""
    atelier = sel.get_atelier_for_user(request.user, pk, PERM_PUBLIER)
    if confirmation.demandee(request):
        return confirmation.page(request, "ateliers:atelier_publication", atelier)
    publie = request.POST.get("publier") == "1"
    try:
        services.atelier_publier(atelier=atelier, by=request.user, publie=publie)
    except TransitionError as exc:
        _erreur(request, exc)
    else:
        messages.success(
            request,
            _("Le territoire est visible sur le site public.")
            if publie
            else _("L'atelier est retiré du site public."),
        )
    return redirect(atelier)


@login_required
def atelier_equipe(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk, PERM_GERER)
    form = EquipeForm(
        request.POST or None,
        initial={
            "equipe_nom": atelier.equipe_nom,
            "contrat_debut": atelier.contrat_debut,
            "contrat_fin": atelier.contrat_fin,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.atelier_modifier_equipe(atelier=atelier, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("L'équipe et son contrat sont enregistrés."))
            return redirect(atelier)
    ctx = _context(request, atelier, "apercu", _("Équipe"), form=form, equipe=sel.equipe(atelier))
    return render(request, "ateliers/equipe.html", ctx, status=400 if form.errors else 200)


# --- Stages ---------------------------------------------------------------------------------


@login_required
def etapes(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    liste = sel.etapes(atelier)
    par_type = sel.presences_par_etape(atelier, liste)
    for etape in liste:
        etape.manquants = services.livrables_manquants(etape)
        etape.presences_par_type = [
            (libelle, par_type.get(etape.pk, {}).get(cle, 0)) for cle, libelle in sel.TYPES_ACTEUR
        ]
    ctx = _context(
        request,
        atelier,
        "etapes",
        _("Étapes"),
        etapes=liste,
        courante=sel.etape_courante(liste),
    )
    return render(request, "ateliers/etapes.html", ctx)


def _get_etape(atelier: Atelier, etape_id: int) -> Etape:
    etape = get_object_or_404(
        Etape.objects.prefetch_related(
            Prefetch("livrables", queryset=Livrable.objects.select_related("document"))
        ),
        pk=etape_id,
        atelier=atelier,
    )
    etape.atelier = atelier
    return etape


def _render_etape(request, atelier, etape, status=200, **forms) -> HttpResponse:
    participations = sel.participations(atelier)
    presents = {p.participation_id: p.present for p in etape.presences.all()}
    ctx = _context(
        request,
        atelier,
        "etapes",
        str(etape),
        etape=etape,
        # Offered to those who edit the stages, each with the reason when refused now.
        etape_actions={a.to: a for a in available_actions(etape, request.user)}
        if request.user.has_perm(PERM_ETAPES, atelier)
        else {},
        manquants=services.livrables_manquants(etape),
        documents=etape.documents.select_related("depose_par").order_by("-cree_le"),
        planifier_form=forms.get("planifier_form")
        or EtapePlanifierForm(
            initial={"debut": etape.debut, "fin": etape.fin, "lieu": etape.lieu},
            auto_id="planifier_%s",
        ),
        annuler_form=forms.get("annuler_form") or EtapeAnnulerForm(auto_id="annuler_%s"),
        replanifier_form=forms.get("replanifier_form") or _replanifier_form(etape),
        realiser_form=forms.get("realiser_form")
        or EtapeRealiserForm(initial={"resume": etape.resume}, auto_id="realiser_%s"),
        presences_form=forms.get("presences_form")
        or PresencesForm(
            participations=participations,
            presents_ids=[pk for pk, present in presents.items() if present],
            auto_id="presences_%s",
        ),
        nb_presents=sum(1 for present in presents.values() if present),
        etape_a_venir=etape.debut is None or etape.debut > timezone.now(),
        nb_participants=len(participations),
        resume_html=render_markdown(etape.resume) if etape.resume else "",
    )
    ctx["breadcrumb"].insert(2, (_("Étapes"), reverse("ateliers:etapes", args=[atelier.pk])))
    return render(request, "ateliers/etape_detail.html", ctx, status=status)


def _replanifier_form(etape: Etape) -> EtapeReplanifierForm:
    """Prefilled with the stage's date while it is still to come (else a new one is asked)."""
    initial = {"lieu": etape.lieu}
    if etape.debut is not None and etape.debut > timezone.now():
        initial.update(debut=etape.debut, fin=etape.fin)
    return EtapeReplanifierForm(etape=etape, initial=initial, auto_id="replanifier_%s")


@login_required
def etape_detail(request: HttpRequest, pk: int, etape_id: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    etape = _get_etape(atelier, etape_id)
    return _render_etape(request, atelier, etape)


def _get_pour_etapes(request, pk, etape_id=None):
    atelier = sel.get_atelier_for_user(request.user, pk, PERM_ETAPES)
    if etape_id is None:
        return atelier, None
    return atelier, _get_etape(atelier, etape_id)


@login_required
@require_POST
def etape_planifier(request: HttpRequest, pk: int, etape_id: int) -> HttpResponse:
    atelier, etape = _get_pour_etapes(request, pk, etape_id)
    form = EtapePlanifierForm(request.POST, auto_id="planifier_%s")
    if form.is_valid():
        try:
            services.etape_planifier(etape=etape, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("« %(etape)s » est planifiée ; les participants sont prévenus par courriel.")
                % {"etape": etape},
            )
            return redirect("ateliers:etape", pk=atelier.pk, etape_id=etape.pk)
    return _render_etape(request, atelier, etape, status=400, planifier_form=form)


@login_required
@require_POST
def etape_annuler(request: HttpRequest, pk: int, etape_id: int) -> HttpResponse:
    atelier, etape = _get_pour_etapes(request, pk, etape_id)
    form = EtapeAnnulerForm(request.POST, auto_id="annuler_%s")
    if form.is_valid():
        try:
            services.etape_annuler(etape=etape, by=request.user, motif=form.cleaned_data["motif"])
        except ValidationError as exc:
            _form_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("« %(etape)s » est annulée.") % {"etape": etape})
            return redirect("ateliers:etape", pk=atelier.pk, etape_id=etape.pk)
    return _render_etape(request, atelier, etape, status=400, annuler_form=form)


@login_required
@require_POST
def etape_replanifier(request: HttpRequest, pk: int, etape_id: int) -> HttpResponse:
    atelier, etape = _get_pour_etapes(request, pk, etape_id)
    form = EtapeReplanifierForm(request.POST, etape=etape, auto_id="replanifier_%s")
    if form.is_valid():
        try:
            services.etape_replanifier(etape=etape, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        except TransitionError as exc:
            # At the top of the page: the form is not shown on a stage that is not cancelled.
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _(
                    "« %(etape)s » est de nouveau prévue le %(debut)s ; les participants sont "
                    "prévenus par courriel."
                )
                % {"etape": etape, "debut": format_date(etape.debut, "SHORT_DATETIME_FORMAT")},
            )
            return redirect("ateliers:etape", pk=atelier.pk, etape_id=etape.pk)
    return _render_etape(request, atelier, etape, status=400, replanifier_form=form)


@login_required
@require_POST
def etape_realiser(request: HttpRequest, pk: int, etape_id: int) -> HttpResponse:
    atelier, etape = _get_pour_etapes(request, pk, etape_id)
    form = EtapeRealiserForm(request.POST, auto_id="realiser_%s")
    if form.is_valid():
        try:
            services.etape_marquer_realisee(
                etape=etape, by=request.user, resume=form.cleaned_data["resume"]
            )
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("« %(etape)s » est réalisée.") % {"etape": etape})
            return redirect("ateliers:etapes", pk=atelier.pk)
    return _render_etape(request, atelier, etape, status=400, realiser_form=form)


@login_required
@require_POST
def etape_presences(request: HttpRequest, pk: int, etape_id: int) -> HttpResponse:
    atelier, etape = _get_pour_etapes(request, pk, etape_id)
    form = PresencesForm(
        request.POST, participations=sel.participations(atelier), auto_id="presences_%s"
    )
    if form.is_valid():
        try:
            n = services.presences_enregistrer(
                etape=etape,
                by=request.user,
                presents={p.pk for p in form.cleaned_data["presents"]},
            )
        except (ValidationError, TransitionError) as exc:
            form.add_error(None, getattr(exc, "message", None) or exc.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "Présences enregistrées : %(n)s personne présente.",
                    "Présences enregistrées : %(n)s personnes présentes.",
                    n,
                )
                % {"n": n},
            )
            return redirect("ateliers:etape", pk=atelier.pk, etape_id=etape.pk)
    return _render_etape(request, atelier, etape, status=400, presences_form=form)


@login_required
def etape_ajouter(request: HttpRequest, pk: int) -> HttpResponse:
    atelier, _etape = _get_pour_etapes(request, pk)
    form = InterAtelierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            etape = services.etape_ajouter_inter_atelier(
                atelier=atelier, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("L'inter-atelier « %(t)s » est ajouté.") % {"t": etape})
            return redirect("ateliers:etapes", pk=atelier.pk)
    ctx = _context(request, atelier, "etapes", _("Ajouter un inter-atelier"), form=form)
    ctx["breadcrumb"].insert(2, (_("Étapes"), reverse("ateliers:etapes", args=[atelier.pk])))
    return render(request, "ateliers/etape_ajouter.html", ctx, status=400 if form.errors else 200)


# --- Documents ------------------------------------------------------------------------------


@login_required
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    liste_etapes = sel.etapes(atelier)
    # Compared as text: "²" passes str.isdigit() but not int(), and must not be a 500.
    livrable_demande = request.GET.get("livrable", "")
    livrable_initial = next(
        (lv for e in liste_etapes for lv in e.livrables.all() if str(lv.pk) == livrable_demande),
        None,
    )
    form = None
    status = 200
    if request.user.has_perm(PERM_DEPOSER, atelier):
        form = DocumentForm(
            request.POST or None,
            request.FILES or None,
            atelier=atelier,
            etapes=liste_etapes,
            livrable_initial=livrable_initial,
        )
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    document = services.document_deposer(
                        atelier=atelier,
                        by=request.user,
                        fichier=data["fichier"],
                        titre=data["titre"],
                        categorie=data["categorie"],
                        etape=data["etape"],
                        livrable=data["livrable"],
                    )
                except ValidationError as exc:
                    _form_errors(form, exc)
                except PermissionDenied:
                    raise
                else:
                    messages.success(
                        request, _("« %(titre)s » est déposé.") % {"titre": document.titre}
                    )
                    if document.etape_id:
                        return redirect("ateliers:etape", pk=atelier.pk, etape_id=document.etape_id)
                    return redirect("ateliers:documents", pk=atelier.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    ctx = _context(
        request,
        atelier,
        "documents",
        _("Documents"),
        page_obj=paginer(request, sel.documents(atelier)),
        form=form,
    )
    return render(request, "ateliers/documents.html", ctx, status=status)


def _get_document(request, pk: int, document_id: int) -> tuple[Atelier, Document]:
    atelier = sel.get_atelier_for_user(request.user, pk)
    document = get_object_or_404(
        Document.objects.select_related("etape", "depose_par", "serie"),
        pk=document_id,
        atelier=atelier,
    )
    return atelier, document


@login_required
def document_detail(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    atelier, document = _get_document(request, pk, document_id)
    serie = document.serie or document
    versions = list(
        Document.objects.filter(pk=serie.pk).select_related("depose_par")
        | Document.objects.filter(serie=serie).select_related("depose_par")
    )
    versions.sort(key=lambda d: d.version, reverse=True)
    form = None
    status = 200
    if request.user.has_perm(PERM_DEPOSER, atelier):
        form = NouvelleVersionForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if form.is_valid():
                try:
                    nouveau = services.document_deposer(
                        atelier=atelier,
                        by=request.user,
                        fichier=form.cleaned_data["fichier"],
                        titre="",
                        categorie="",
                        precedent=document,
                        publie=versions[0].publie,
                    )
                except ValidationError as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, _("Version %(v)s déposée.") % {"v": nouveau.version})
                    return redirect("ateliers:document", pk=atelier.pk, document_id=nouveau.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    ctx = _context(
        request,
        atelier,
        "documents",
        document.titre,
        document=document,
        versions=versions,
        courante=versions[0],
        form=form,
    )
    ctx["breadcrumb"].insert(2, (_("Documents"), reverse("ateliers:documents", args=[atelier.pk])))
    return render(request, "ateliers/document_detail.html", ctx, status=status)


def document_telecharger(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """Download a document: published ones by anyone, others by the atelier's people (404).

    A visitor not signed in is sent to sign in and brought back, for any document that is
    not public, existing or not (the redirect confirms nothing).
    """
    try:
        document = sel.get_document_for_user(request.user, document_id)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    if document.atelier_id != pk:
        raise Http404
    return protected_download(document.fichier, filename=document.nom_original)


@login_required
@require_http_methods(["GET", "POST"])
def document_publier(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    atelier, document = _get_document(request, pk, document_id)
    if not request.user.has_perm(PERM_GERER, atelier):
        raise PermissionDenied
    if confirmation.demandee(request):
        return confirmation.page(request, "ateliers:document_publier", document)
    try:
        services.document_publier(
            document=document, by=request.user, publie=request.POST.get("publie") == "1"
        )
    except PermissionDenied:
        raise
    messages.success(
        request,
        _("Le document est publié.") if document.publie else _("Le document n'est plus publié."),
    )
    return redirect("ateliers:document", pk=atelier.pk, document_id=document.pk)


# --- Logbook --------------------------------------------------------------------------------


@login_required
def journal(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    filtre = JournalFilter(request.GET or None, queryset=sel.journal(atelier), atelier=atelier)
    dsfr_selects(filtre.form)
    form = None
    status = 200
    if request.user.has_perm(PERM_JOURNAL, atelier):
        form = JournalForm(request.POST or None, atelier=atelier)
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.journal_ecrire(atelier=atelier, by=request.user, **form.cleaned_data)
                except ValidationError as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, _("L'entrée est ajoutée au cahier de suivi."))
                    return redirect("ateliers:journal", pk=atelier.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    entrees = list(filtre.qs) if filtre.is_valid() else list(sel.journal(atelier))
    moderateur = request.user.has_perm(PERM_GERER, atelier)
    historiques = sel.journal_historiques(entrees)
    for entree in entrees:
        if entree.retiree_le is None:
            entree.html = render_markdown(entree.texte)
            auteur = form is not None and entree.auteur_id == request.user.pk
            entree.peut_modifier = auteur
            entree.peut_retirer = auteur or moderateur
            entree.historique = [
                (revision, render_markdown(revision.texte))
                for revision in historiques.get(entree.pk, [])
            ]
    ctx = _context(
        request,
        atelier,
        "journal",
        _("Cahier de suivi"),
        filtre=filtre,
        entrees=entrees,
        form=form,
    )
    return render(request, "ateliers/journal.html", ctx, status=status)


def _entree(atelier: Atelier, entree_id: int) -> EntreeJournal:
    return get_object_or_404(
        EntreeJournal.objects.select_related("auteur", "etape"),
        pk=entree_id,
        atelier=atelier,
        retiree_le__isnull=True,
    )


def _journal_entree_page(request, atelier, entree, form, mode: str, save) -> HttpResponse:
    """The edit or removal page of a logbook entry: ``save()`` called on a valid POST, the
    service's refusal attached to the form, back to the entry in the logbook once done."""
    if request.method == "POST" and form.is_valid():
        try:
            message = save()
        except ValidationError as exc:
            _form_errors(form, exc)
        except TransitionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            url = reverse("ateliers:journal", kwargs={"pk": atelier.pk})
            return redirect(f"{url}#entree-{entree.pk}")
    entree.html = render_markdown(entree.texte)
    titre = _("Retirer une entrée") if mode == "retirer" else _("Modifier une entrée")
    ctx = _context(request, atelier, "journal", titre, entree=entree, form=form, mode=mode)
    status = 400 if request.method == "POST" else 200
    return render(request, "ateliers/journal_entree.html", ctx, status=status)


@login_required
def journal_modifier(request: HttpRequest, pk: int, entree_id: int) -> HttpResponse:
    """Edit one's own logbook entry (the earlier text is kept and shown as its history)."""
    atelier = sel.get_atelier_for_user(request.user, pk, PERM_JOURNAL)
    entree = _entree(atelier, entree_id)
    if entree.auteur_id != request.user.pk:
        raise PermissionDenied
    form = JournalForm(
        request.POST or None,
        atelier=atelier,
        initial={"date": entree.date, "etape": entree.etape, "texte": entree.texte},
    )

    def save() -> str:
        services.journal_entree_modifier(entree=entree, by=request.user, **form.cleaned_data)
        return _("L'entrée est modifiée ; son texte précédent est conservé.")

    return _journal_entree_page(request, atelier, entree, form, "modifier", save)


@login_required
def journal_retirer(request: HttpRequest, pk: int, entree_id: int) -> HttpResponse:
    """Remove a logbook entry with a reason (its author, or the pilote / DGALN)."""
    atelier = sel.get_atelier_for_user(request.user, pk)
    entree = _entree(atelier, entree_id)
    auteur = entree.auteur_id == request.user.pk and request.user.has_perm(PERM_JOURNAL, atelier)
    if not (auteur or request.user.has_perm(PERM_GERER, atelier)):
        raise PermissionDenied
    form = JournalRetraitForm(request.POST or None)

    def save() -> str:
        motif = form.cleaned_data["motif"]
        services.journal_entree_retirer(entree=entree, by=request.user, motif=motif)
        return _("L'entrée est retirée du cahier de suivi.")

    return _journal_entree_page(request, atelier, entree, form, "retirer", save)


# --- Demonstrator sites ---------------------------------------------------------------------


@login_required
def sites(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    form = None
    status = 200
    if request.user.has_perm(PERM_DEPOSER, atelier):
        form = SiteForm(request.POST or None)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.site_creer(
                        atelier=atelier,
                        by=request.user,
                        nom=data["nom"],
                        description=data["description"],
                        geometrie=data["geometrie"],
                    )
                except ValidationError as exc:
                    _form_errors(form, exc)
                else:
                    messages.success(request, _("Le site démonstrateur est ajouté."))
                    return redirect("ateliers:sites", pk=atelier.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    ctx = _context(
        request,
        atelier,
        "sites",
        _("Sites démonstrateurs"),
        sites=list(sel.sites(atelier)),
        carte=_donnees_carte(atelier),
        form=form,
    )
    return render(request, "ateliers/sites.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def site_supprimer(request: HttpRequest, pk: int, site_id: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk, PERM_GERER)
    site = get_object_or_404(SiteDemonstrateur, pk=site_id, atelier=atelier)
    site.atelier = atelier
    if confirmation.demandee(request):
        return confirmation.page(request, "ateliers:site_supprimer", site)
    services.site_supprimer(site=site, by=request.user)
    messages.success(request, _("Le site « %(nom)s » est supprimé.") % {"nom": site.nom})
    return redirect("ateliers:sites", pk=atelier.pk)


# --- Calendar -------------------------------------------------------------------------------


def _jetons_post(request: HttpRequest, atelier: Atelier | None) -> HttpResponse | None:
    if request.method != "POST":
        return None
    if request.POST.get("action") == "revoquer":
        jeton_id = request.POST.get("jeton", "")
        if not (jeton_id.isascii() and jeton_id.isdigit()):
            raise Http404  # not an id: no such link, as for someone else's
        jeton = get_object_or_404(JetonCalendrier, pk=jeton_id, utilisateur=request.user)
        services.jeton_calendrier_revoquer(jeton=jeton, by=request.user)
        messages.success(request, _("Le lien d'abonnement est révoqué : il ne fonctionne plus."))
    else:
        services.jeton_calendrier_creer(by=request.user, atelier=atelier)
        messages.success(
            request,
            _("Un nouveau lien d'abonnement est créé ; l'ancien éventuel ne fonctionne plus."),
        )
    return redirect(request.path)


def _jeton_actif(user, atelier: Atelier | None) -> JetonCalendrier | None:
    return (
        JetonCalendrier.objects.filter(utilisateur=user, atelier=atelier, revoque_le__isnull=True)
        .order_by("-cree_le")
        .first()
    )


@login_required
def atelier_calendrier(request: HttpRequest, pk: int) -> HttpResponse:
    atelier = sel.get_atelier_for_user(request.user, pk)
    reponse = _jetons_post(request, atelier)
    if reponse:
        return reponse
    jeton = _jeton_actif(request.user, atelier)
    ctx = _context(
        request,
        atelier,
        "etapes",
        _("Calendrier"),
        jeton=jeton,
        url_flux=request.build_absolute_uri(reverse("ateliers:flux_ical", args=[jeton.jeton]))
        if jeton
        else "",
        personnel=False,
    )
    return render(request, "ateliers/calendrier.html", ctx)


@login_required
def calendrier_personnel(request: HttpRequest) -> HttpResponse:
    reponse = _jetons_post(request, None)
    if reponse:
        return reponse
    jeton = _jeton_actif(request.user, None)
    ctx = {
        "breadcrumb": [(_("Mon espace"), "/espace/"), (_("Mon calendrier"), None)],
        "jeton": jeton,
        "url_flux": request.build_absolute_uri(reverse("ateliers:flux_ical", args=[jeton.jeton]))
        if jeton
        else "",
        "personnel": True,
    }
    return render(request, "ateliers/calendrier.html", ctx)


_JETON = re.compile(r"[A-Za-z0-9_-]{1,64}")


def flux_ical(request: HttpRequest, jeton: str) -> HttpResponse:
    """The iCalendar feed behind a secret URL; 404 for a revoked or unknown token, and when
    the owner no longer has access to the atelier."""
    if not _JETON.fullmatch(jeton):
        # Tokens are URL-safe base64: anything else (a NUL byte, which PostgreSQL refuses in
        # a query) cannot name one.
        raise Http404
    token = (
        JetonCalendrier.objects.select_related("utilisateur", "atelier")
        .filter(jeton=jeton, revoque_le__isnull=True, utilisateur__is_active=True)
        .first()
    )
    if token is None:
        raise Http404
    user = token.utilisateur
    if token.atelier is not None:
        if not user.has_perm("ateliers.view_atelier", token.atelier):
            raise Http404
        ateliers_ids = [token.atelier.pk]
        nom = f"{token.atelier} — Atelier des territoires"
    else:
        ateliers_ids = list(
            Participation.objects.filter(acteur__utilisateur=user).values_list(
                "atelier_id", flat=True
            )
        )
        nom = _("Mes ateliers — Atelier des territoires")
    etapes_qs = (
        Etape.objects.filter(atelier_id__in=ateliers_ids, debut__isnull=False)
        .select_related("atelier")
        .order_by("debut")
    )
    reponse = HttpResponse(
        calendrier.ics_flux(str(nom), etapes_qs), content_type="text/calendar; charset=utf-8"
    )
    reponse["Cache-Control"] = "private, max-age=300"
    reponse["Content-Disposition"] = 'inline; filename="atelier-des-territoires.ics"'
    return reponse
