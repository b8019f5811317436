"""DGALN back-office for the AMI: dashboard, sessions, calls, candidatures and their
instruction. Rapporteurs who are not DGALN agents reach only the candidatures assigned to them.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from appels import selectors, services
from appels.filters import CandidatureFilter
from appels.forms import (
    AppelForm,
    AvisForm,
    CritereForm,
    DecisionForm,
    DocumentAppelForm,
    PieceRequiseForm,
    QuestionForm,
    RapporteursForm,
    RecevabiliteForm,
    SessionForm,
)
from appels.models import AppelACandidatures, Candidature
from appels.views import reponses_affichees
from atelier.csv import csv_response
from atelier.pagination import paginer
from atelier.pdf import render_pdf
from atelier.workflow import TransitionError
from ateliers.models import SessionNationale


def _require_dgaln(request) -> None:
    """The one gate of the DGALN back-office (add the staff MFA check here)."""
    if not request.user.has_perm("ateliers.manage_programme"):
        raise PermissionDenied


def dgaln_required(view):
    """Signed-in DGALN agents only; others are sent to the login page or refused (403)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        _require_dgaln(request)
        return view(request, *args, **kwargs)

    return wrapper


def _ctx(actif: str, breadcrumb: list, **extra) -> dict:
    return {
        "gestion_actif": actif,
        "breadcrumb": [(_("Gestion"), reverse("appels:gestion")), *breadcrumb],
        **extra,
    }


# --- Dashboard ------------------------------------------------------------------------------


@dgaln_required
def tableau(request):
    candidatures = selectors.candidatures_gestion(user=request.user)
    ouverts, _passes = selectors.appels_publics()
    return render(
        request,
        "appels/gestion/tableau.html",
        {
            "gestion_actif": "tableau",
            "breadcrumb": [(_("Gestion"), None)],
            "comptes": selectors.comptes_par_statut(candidatures),
            "appels_ouverts": ouverts,
            "brouillons": Candidature.objects.filter(statut=Candidature.Statut.BROUILLON).count(),
            "a_instruire": candidatures.filter(statut=Candidature.Statut.DEPOSEE)[:10],
        },
    )


# --- Sessions -------------------------------------------------------------------------------


@dgaln_required
def session_list(request):
    page = paginer(request, selectors.sessions_gestion())
    return render(
        request,
        "appels/gestion/session_list.html",
        _ctx(
            "sessions",
            [(_("Sessions nationales"), None)],
            sessions=page.object_list,
            page_obj=page,
        ),
    )


@dgaln_required
def session_form(request, pk: int | None = None):
    session = SessionNationale.objects.filter(pk=pk).first() if pk else None
    if pk and session is None:
        raise Http404
    initial = {name: getattr(session, name) for name in services.SESSION_FIELDS} if session else {}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        session = services.session_enregistrer(
            by=request.user, data=form.cleaned_data, session=session
        )
        messages.success(
            request, _("Session « %(titre)s » enregistrée.") % {"titre": session.titre}
        )
        return redirect("appels:gestion_sessions")
    return render(
        request,
        "appels/gestion/session_form.html",
        _ctx(
            "sessions",
            [
                (_("Sessions nationales"), reverse("appels:gestion_sessions")),
                (session.titre if session else "Nouvelle session", None),
            ],
            form=form,
            session=session,
        ),
        status=400 if request.method == "POST" else 200,
    )


# --- Calls ----------------------------------------------------------------------------------


@dgaln_required
def appel_list(request):
    page = paginer(request, selectors.appels_gestion())
    return render(
        request,
        "appels/gestion/appel_list.html",
        _ctx(
            "appels",
            [(_("Appels à candidatures"), None)],
            appels=page.object_list,
            page_obj=page,
        ),
    )


def _appel_initial(appel: AppelACandidatures | None) -> dict:
    if appel is None:
        return {"nature": AppelACandidatures.Nature.SESSION}
    initial = {name: getattr(appel, name) for name in services.APPEL_FIELDS}
    for name in ("ouverture", "cloture"):
        if initial[name]:
            initial[name] = timezone.localtime(initial[name])
    return initial


@dgaln_required
def appel_creer(request):
    form = AppelForm(request.POST or None, initial=_appel_initial(None))
    if request.method == "POST" and form.is_valid():
        appel = services.appel_enregistrer(by=request.user, data=form.cleaned_data)
        messages.success(request, _("Appel créé en brouillon : ajoutez ses questions et critères."))
        return redirect("appels:gestion_appel", pk=appel.pk)
    return render(
        request,
        "appels/gestion/appel_form.html",
        _ctx(
            "appels",
            [
                (_("Appels à candidatures"), reverse("appels:gestion_appels")),
                (_("Nouvel appel"), None),
            ],
            form=form,
        ),
        status=400 if request.method == "POST" else 200,
    )


ELEMENT_FORMS = {"question": QuestionForm, "piece": PieceRequiseForm, "critere": CritereForm}


@dgaln_required
def appel_detail(request, pk: int):
    """The call's settings, its questions, documents and criteria, and its state changes."""
    appel = selectors.get_appel_gestion(pk=pk)
    form = AppelForm(request.POST or None, initial=_appel_initial(appel))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.appel_enregistrer(by=request.user, data=form.cleaned_data, appel=appel)
            except TransitionError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Appel enregistré."))
            return redirect("appels:gestion_appel", pk=appel.pk)
        status = 400
    return render(
        request,
        "appels/gestion/appel_detail.html",
        _appel_context(appel, form=form),
        status=status,
    )


def _appel_context(appel, **forms) -> dict:
    element_forms = {kind: cls() for kind, cls in ELEMENT_FORMS.items()}
    element_forms.update({k: v for k, v in forms.items() if k in ELEMENT_FORMS})
    return _ctx(
        "appels",
        [(_("Appels à candidatures"), reverse("appels:gestion_appels")), (appel.titre, None)],
        appel=appel,
        form=forms.get("form") or AppelForm(initial=_appel_initial(appel)),
        element_forms=element_forms,
        document_form=forms.get("document_form") or DocumentAppelForm(),
        upload_max_mo=settings.UPLOAD_MAX_MO,
        modifiable=appel.statut == AppelACandidatures.Statut.BROUILLON,
        transitions=sorted(AppelACandidatures.TRANSITIONS.get(appel.statut, set())),
    )


@dgaln_required
@require_POST
def appel_element_ajouter(request, pk: int, kind: str):
    appel = selectors.get_appel_gestion(pk=pk)
    if kind not in ELEMENT_FORMS:
        raise Http404
    form = ELEMENT_FORMS[kind](request.POST)
    if not form.is_valid():
        return render(
            request,
            "appels/gestion/appel_detail.html",
            _appel_context(appel, **{kind: form}),
            status=400,
        )
    try:
        services.appel_ajouter_element(
            by=request.user, appel=appel, kind=kind, data=form.cleaned_data
        )
    except TransitionError as error:
        messages.error(request, error.message)
    return redirect(reverse("appels:gestion_appel", kwargs={"pk": appel.pk}) + f"#{kind}s")


@dgaln_required
@require_POST
def appel_element_supprimer(request, pk: int, kind: str, element_id: int):
    appel = selectors.get_appel_gestion(pk=pk)
    if kind not in ELEMENT_FORMS:
        raise Http404
    try:
        services.appel_supprimer_element(by=request.user, appel=appel, kind=kind, pk=element_id)
    except TransitionError as error:
        messages.error(request, error.message)
    return redirect(reverse("appels:gestion_appel", kwargs={"pk": appel.pk}) + f"#{kind}s")


@dgaln_required
@require_POST
def appel_document_ajouter(request, pk: int):
    """Attach a file to the call; a refused file keeps the page and the title typed (400)."""
    appel = selectors.get_appel_gestion(pk=pk)
    form = DocumentAppelForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.appel_document_ajouter(
                by=request.user,
                appel=appel,
                titre=form.cleaned_data["titre"],
                fichier=form.cleaned_data["fichier"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request, _("« %(titre)s » est joint à l'appel.") % {"titre": document.titre}
            )
            return redirect(reverse("appels:gestion_appel", kwargs={"pk": appel.pk}) + "#documents")
    return render(
        request,
        "appels/gestion/appel_detail.html",
        _appel_context(appel, document_form=form),
        status=400,
    )


@dgaln_required
@require_POST
def appel_document_supprimer(request, pk: int, document_id: int):
    appel = selectors.get_appel_gestion(pk=pk)
    document = services.appel_document_supprimer(by=request.user, appel=appel, pk=document_id)
    if document is None:
        messages.info(request, _("Ce document avait déjà été retiré."))
    else:
        messages.success(
            request, _("« %(titre)s » est retiré de l'appel.") % {"titre": document.titre}
        )
    return redirect(reverse("appels:gestion_appel", kwargs={"pk": appel.pk}) + "#documents")


APPEL_ACTIONS = {
    "publier": (services.appel_publier, "L'appel est publié."),
    "clore": (services.appel_clore, "L'appel est clos."),
    "rouvrir": (services.appel_rouvrir, "L'appel est rouvert."),
    "decider": (services.appel_decider, "L'appel est décidé."),
}


@dgaln_required
@require_POST
def appel_statut(request, pk: int):
    appel = selectors.get_appel_gestion(pk=pk)
    action = APPEL_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Action inconnue."))
    else:
        service, done = action
        try:
            service(appel=appel, by=request.user)
        except TransitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
    return redirect("appels:gestion_appel", pk=appel.pk)


# --- Candidatures ---------------------------------------------------------------------------


def _require_instructeur(request) -> None:
    """DGALN, or a rapporteur with at least one assigned candidature."""
    if not selectors.peut_acceder_gestion_candidatures(request.user):
        raise PermissionDenied


@login_required
def candidature_list(request):
    _require_instructeur(request)
    base = selectors.candidatures_gestion(user=request.user)
    filtre = CandidatureFilter(request.GET or None, queryset=base)
    candidatures = filtre.qs if filtre.is_bound else base
    if filtre.is_bound and not filtre.is_valid():
        candidatures = base.none()
    page = paginer(request, candidatures)
    return render(
        request,
        "appels/gestion/candidature_list.html",
        _ctx(
            "candidatures",
            [(_("Candidatures"), None)],
            filtre=filtre,
            candidatures=page.object_list,
            page_obj=page,
            comptes=selectors.comptes_par_statut(base),
            total=page.paginator.count,
            export_query=request.GET.urlencode(),
        ),
    )


CSV_COLUMNS = [
    ("Identifiant", lambda c: c.pk),
    ("Appel", lambda c: c.appel.titre),
    ("Session", lambda c: c.appel.session.titre if c.appel.session else ""),
    ("Territoire", lambda c: c.territoire_nom),
    ("Nature du territoire", lambda c: c.get_territoire_nature_display()),
    ("SIREN", lambda c: c.territoire_siren),
    ("Région", lambda c: c.region.nom),
    ("Département", lambda c: f"{c.departement.code} {c.departement.nom}"),
    ("Format demandé", lambda c: c.get_format_demande_display()),
    ("Collectivité porteuse", lambda c: c.porteur),
    ("Contact DDT/DREAL", lambda c: c.contact_etat_nom),
    ("Courriel du contact", lambda c: c.contact_etat_email),
    ("Service", lambda c: c.contact_etat_service),
    ("État", lambda c: c.get_statut_display()),
    (
        "Déposée le",
        lambda c: (
            timezone.localtime(c.deposee_le).strftime("%d/%m/%Y %H:%M") if c.deposee_le else ""
        ),
    ),
    ("Rapporteurs", lambda c: ", ".join(u.email for u in c.rapporteurs.all())),
    (
        "Note moyenne",
        lambda c: f"{c.moyenne:.2f}".replace(".", ",") if c.moyenne is not None else "",
    ),
    ("Motif d'irrecevabilité", lambda c: c.motif_irrecevabilite),
    ("Motivation de la décision", lambda c: c.motivation_decision),
]


@login_required
def candidature_csv(request):
    """The filtered list for a spreadsheet: UTF-8 with BOM and « ; » so accents open intact."""
    _require_instructeur(request)
    base = selectors.candidatures_gestion(user=request.user)
    filtre = CandidatureFilter(request.GET or None, queryset=base)
    candidatures = filtre.qs if filtre.is_bound and filtre.is_valid() else base
    return csv_response(
        filename="candidatures.csv",
        header=[name for name, _ in CSV_COLUMNS],
        rows=([value(c) for _, value in CSV_COLUMNS] for c in candidatures),
    )


def _candidature_context(request, candidature, **forms) -> dict:
    user = request.user
    instruire = user.has_perm("appels.instruct_candidature", candidature)
    donner_avis = user.has_perm("appels.give_avis", candidature)
    mon_avis = next((a for a in candidature.avis.all() if a.rapporteur_id == user.pk), None)
    avis_initial = {}
    if mon_avis:
        avis_initial = {f"note_{n.critere_id}": n.note for n in mon_avis.notes.all()}
        avis_initial["commentaire"] = mon_avis.commentaire
    statut = candidature.statut
    S = Candidature.Statut
    return _ctx(
        "candidatures",
        [(_("Candidatures"), reverse("appels:gestion_candidatures")), (str(candidature), None)],
        candidature=candidature,
        appel=candidature.appel,
        reponses=reponses_affichees(candidature),
        moyenne=selectors.moyenne(candidature),
        moyennes=selectors.moyennes_par_critere(candidature),
        instruire=instruire,
        recevabilite_form=forms.get("recevabilite")
        or (RecevabiliteForm() if instruire and statut == S.DEPOSEE else None),
        rapporteurs_form=forms.get("rapporteurs")
        or (
            RapporteursForm(
                candidature=candidature,
                initial={"rapporteurs": list(candidature.rapporteurs.all())},
            )
            if instruire and statut in (S.RECEVABLE, S.EN_INSTRUCTION)
            else None
        ),
        avis_form=forms.get("avis")
        or (
            AvisForm(criteres=candidature.appel.criteres.all(), initial=avis_initial)
            if donner_avis and statut == S.EN_INSTRUCTION
            else None
        ),
        decision_form=forms.get("decision")
        or (DecisionForm() if instruire and statut == S.EN_INSTRUCTION else None),
        atelier=getattr(candidature, "atelier", None) if statut == S.RETENUE else None,
    )


@login_required
def candidature_detail(request, pk: int):
    candidature = selectors.get_candidature_for_instruction(pk=pk, user=request.user)
    return render(
        request,
        "appels/gestion/candidature_detail.html",
        _candidature_context(request, candidature),
    )


def _instruction_action(request, pk: int, key: str, build_form, apply, *, perm: str):
    """Shared shape of the instruction POSTs: permission, form shape, then the service;
    errors keep the page with what was typed (400), success redirects."""
    candidature = selectors.get_candidature_for_instruction(pk=pk, user=request.user)
    if not request.user.has_perm(perm, candidature):
        raise PermissionDenied
    form = build_form(candidature)
    if form.is_valid():
        try:
            message = apply(candidature, form)
        except TransitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, message)
            return redirect("appels:gestion_candidature", pk=candidature.pk)
    return render(
        request,
        "appels/gestion/candidature_detail.html",
        _candidature_context(request, candidature, **{key: form}),
        status=400,
    )


@login_required
@require_POST
def candidature_recevabilite(request, pk: int):
    def apply(candidature, form):
        recevable = form.cleaned_data["decision"] == "recevable"
        services.candidature_statuer_recevabilite(
            candidature=candidature,
            by=request.user,
            recevable=recevable,
            motif=form.cleaned_data["motif"],
        )
        return "Candidature déclarée recevable." if recevable else "Candidature irrecevable."

    return _instruction_action(
        request,
        pk,
        "recevabilite",
        lambda c: RecevabiliteForm(request.POST),
        apply,
        perm="appels.instruct_candidature",
    )


@login_required
@require_POST
def candidature_rapporteurs(request, pk: int):
    def apply(candidature, form):
        services.candidature_assigner_rapporteurs(
            candidature=candidature, by=request.user, rapporteurs=form.selection()
        )
        return "Rapporteurs désignés. Les nouveaux rapporteurs sont prévenus par courriel."

    return _instruction_action(
        request,
        pk,
        "rapporteurs",
        lambda c: RapporteursForm(request.POST, candidature=c),
        apply,
        perm="appels.instruct_candidature",
    )


@login_required
@require_POST
def candidature_avis(request, pk: int):
    def apply(candidature, form):
        services.avis_donner(
            candidature=candidature,
            by=request.user,
            notes=form.notes(),
            commentaire=form.cleaned_data["commentaire"],
        )
        return "Votre avis est enregistré."

    return _instruction_action(
        request,
        pk,
        "avis",
        lambda c: AvisForm(request.POST, criteres=c.appel.criteres.all()),
        apply,
        perm="appels.give_avis",
    )


@login_required
@require_POST
def candidature_decision(request, pk: int):
    def apply(candidature, form):
        retenue = form.cleaned_data["decision"] == "retenue"
        atelier = services.candidature_decider(
            candidature=candidature,
            by=request.user,
            retenue=retenue,
            motivation=form.cleaned_data["motivation"],
        )
        if atelier:
            return f"Candidature retenue : l'atelier « {atelier.titre} » est créé."
        return "Candidature non retenue."

    return _instruction_action(
        request,
        pk,
        "decision",
        lambda c: DecisionForm(request.POST),
        apply,
        perm="appels.instruct_candidature",
    )


@login_required
def candidature_pdf(request, pk: int):
    """The candidature's dossier for the selection committee."""
    candidature = selectors.get_candidature_for_instruction(pk=pk, user=request.user)
    html = render_to_string(
        "appels/gestion/candidature_pdf.html",
        {
            "candidature": candidature,
            "appel": candidature.appel,
            "reponses": reponses_affichees(candidature),
            "moyenne": selectors.moyenne(candidature),
            "moyennes": selectors.moyennes_par_critere(candidature),
            "genere_le": timezone.localtime(),
        },
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="candidature-{candidature.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
