"""DGALN back-office for the AMI: dashboard, sessions, calls, candidatures and their
instruction. Rapporteurs who are not DGALN agents reach only the candidatures assigned to them.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from appels import selectors, services
from appels.documents import dossier_comite_pdf, reponses_affichees
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
    RapporteursMasseForm,
    RecevabiliteForm,
    SessionForm,
)
from appels.models import AppelACandidatures, Candidature, DocumentAppel
from appels.permissions import peut_acceder_gestion_candidatures
from atelier import confirmation, contributions
from atelier.csv import csv_response
from atelier.pagination import paginer
from atelier.tri import Colonne, trier
from atelier.workflow import TransitionError, allowed_targets, available_actions
from atelier.xlsx import xlsx_response
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
            **contributions.gather(contributions.GESTION),
        },
    )


# --- Sessions -------------------------------------------------------------------------------


COLONNES_SESSIONS = [
    Colonne(_("Session"), "titre", ("titre",)),
    Colonne(_("Années"), "annees", ("annee_debut", "annee_fin")),
    Colonne(_("Thème"), "theme", ("theme",)),
    Colonne(_("Appels"), "appels", ("nb_appels",)),
    Colonne(_("Ateliers"), "ateliers", ("nb_ateliers",)),
]


@dgaln_required
def session_list(request):
    sessions, entetes = trier(
        request, selectors.sessions_gestion(), COLONNES_SESSIONS, defaut="-annees"
    )
    page = paginer(request, sessions)
    return render(
        request,
        "appels/gestion/session_list.html",
        _ctx(
            "sessions",
            [(_("Sessions nationales"), None)],
            sessions=page.object_list,
            page_obj=page,
            entetes=entetes,
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


COLONNES_APPELS = [
    Colonne(_("Appel"), "titre", ("titre",)),
    Colonne(_("Nature"), "nature", ("nature",)),
    Colonne(_("Ouverture (heure de Paris)"), "ouverture", ("ouverture",)),
    Colonne(_("Clôture (heure de Paris)"), "cloture", ("cloture",)),
    Colonne(_("État"), "etat", ("statut",)),
    Colonne(_("Déposées"), "deposees", ("nb_candidatures",)),
    Colonne(_("Brouillons"), "brouillons", ("nb_brouillons",)),
]


@dgaln_required
def appel_list(request):
    appels, entetes = trier(
        request, selectors.appels_gestion(), COLONNES_APPELS, defaut="-ouverture"
    )
    page = paginer(request, appels)
    return render(
        request,
        "appels/gestion/appel_list.html",
        _ctx(
            "appels",
            [(_("Appels à candidatures"), None)],
            appels=page.object_list,
            page_obj=page,
            entetes=entetes,
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
        _appel_context(request, appel, form=form),
        status=status,
    )


def _appel_context(request, appel, **forms) -> dict:
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
        criteres_modifiables=services.criteres_modifiables(appel),
        transitions=[a.to for a in available_actions(appel, request.user) if a.allowed],
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
            _appel_context(request, appel, **{kind: form}),
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
        _appel_context(request, appel, document_form=form),
        status=400,
    )


@dgaln_required
@require_http_methods(["GET", "POST"])
def appel_document_supprimer(request, pk: int, document_id: int):
    appel = selectors.get_appel_gestion(pk=pk)
    if confirmation.demandee(request):
        document = get_object_or_404(DocumentAppel, appel=appel, pk=document_id)
        return confirmation.page(request, "appels:gestion_appel_document_supprimer", document)
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
@require_http_methods(["GET", "POST"])
def appel_statut(request, pk: int):
    appel = selectors.get_appel_gestion(pk=pk)
    data = request.POST if request.method == "POST" else request.GET
    action = APPEL_ACTIONS.get(data.get("action", ""))
    if action is None:
        messages.error(request, _("Action inconnue."))
    elif confirmation.demandee(request):
        return confirmation.page(request, "appels:gestion_appel_statut", appel)
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
    if not peut_acceder_gestion_candidatures(request.user):
        raise PermissionDenied


COLONNES_CANDIDATURES = [
    Colonne(_("Territoire"), "territoire", ("territoire_nom",), "fr-col--sm"),
    Colonne(_("Appel"), "appel", ("appel__titre",), "fr-col--sm"),
    Colonne(_("Format"), "format", ("format_demande",)),
    Colonne(_("Département"), "departement", ("departement__code",)),
    Colonne(_("Déposée le"), "depot", ("deposee_le",)),
    Colonne(_("Rapporteurs")),
    Colonne(_("Avis reçus"), "avis", ("nb_avis",)),
    Colonne(_("Moyenne"), "moyenne", ("moyenne",)),
    Colonne(_("État"), "etat", ("statut",)),
]


def _trier_candidatures(request, candidatures):
    """The list and its exports in the order of the list's headers (``?tri=``)."""
    colonnes = COLONNES_CANDIDATURES
    if not request.user.has_perm("ateliers.manage_programme"):
        # A rapporteur sees the others' marks only after giving their own: no order by them.
        colonnes = [Colonne(c.libelle) if c.cle == "moyenne" else c for c in colonnes]
    return trier(request, candidatures, colonnes, defaut="-depot")


@login_required
def candidature_list(request):
    _require_instructeur(request)
    base = selectors.candidatures_gestion(user=request.user)
    filtre = CandidatureFilter(request.GET or None, queryset=base)
    # Bound by a sort or a page number alone (``?tri=``, ``?page=``), the list is still ``base``.
    filtre_actif = filtre.is_bound and (
        not filtre.is_valid() or any(filtre.form.cleaned_data.values())
    )
    candidatures = filtre.qs if filtre_actif else base
    if filtre.is_bound and not filtre.is_valid():
        candidatures = base.none()
    candidatures, entetes = _trier_candidatures(request, candidatures)
    # A row shows its call and its département; the exports also read the session, the
    # région and the author, which the list would load for nothing (a fifth of its rows' cost).
    candidatures = candidatures.select_related(None).select_related("appel", "departement")
    # And only the columns a row reads (appels.templatetags.candidatures): the answers, the
    # summary and the call's texts, decoded for each of fifty rows, were a tenth of the page.
    candidatures = candidatures.only(
        "territoire_nom",
        "format_demande",
        "deposee_le",
        "statut",
        "appel__titre",
        "departement__code",
        "departement__nom",
    )
    # A row names its reviewers (selectors.rapporteurs_affiches): no related manager per row.
    candidatures = candidatures.prefetch_related(None)
    comptes = selectors.comptes_par_statut(base)
    # Unfiltered, the list is ``base``: its counts by state add up to its length.
    nombre = None if filtre_actif else sum(n for _code, _libelle, n in comptes)
    page = paginer(request, candidatures, nombre=nombre)
    page.object_list = list(page.object_list)
    selectors.rapporteurs_affiches(page.object_list)
    return render(
        request,
        "appels/gestion/candidature_list.html",
        _ctx(
            "candidatures",
            [(_("Candidatures"), None)],
            filtre=filtre,
            candidatures=page.object_list,
            page_obj=page,
            entetes=entetes,
            comptes=comptes,
            total=page.paginator.count,
            export_query=request.GET.urlencode(),
            masse_form=RapporteursMasseForm(queryset=base)
            if request.user.has_perm("ateliers.manage_programme")
            else None,
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
        lambda c: _decimal(c.moyenne) if c.voit_les_avis else "",
    ),
    ("Avis reçus", lambda c: f"{c.nb_avis} / {c.nb_rapporteurs}"),
    ("Note pondérée", lambda c: _decimal(c.evaluation["score"]) if c.voit_les_avis else ""),
    (
        "Écart entre rapporteurs",
        lambda c: _decimal(c.evaluation["ecart"]) if c.voit_les_avis else "",
    ),
    ("Motif d'irrecevabilité", lambda c: c.motif_irrecevabilite),
    ("Motivation de la décision", lambda c: c.motivation_decision),
]


AVIS_COLUMNS = [
    ("Candidature", lambda c, a: c.pk),
    ("Territoire", lambda c, a: c.territoire_nom),
    ("Appel", lambda c, a: c.appel.titre),
    ("État", lambda c, a: c.get_statut_display()),
    ("Rapporteur", lambda c, a: a.rapporteur.get_full_name() or a.rapporteur.email),
    ("Courriel du rapporteur", lambda c, a: a.rapporteur.email),
    ("Donné le", lambda c, a: timezone.localtime(a.modifie_le).strftime("%d/%m/%Y %H:%M")),
    (
        "Notes",
        lambda c, a: " ; ".join(
            f"{n.critere.libelle} (poids {n.critere.poids}) : {n.note}/5" for n in a.notes.all()
        ),
    ),
    (
        "Note pondérée",
        lambda c, a: _decimal(selectors.score_pondere(a, list(c.appel.criteres.all()))),
    ),
    ("Commentaire", lambda c, a: a.commentaire),
]


def _decimal(value: float | None) -> str:
    """A mark as French spreadsheets read it: a comma, two decimals."""
    return f"{value:.2f}".replace(".", ",") if value is not None else ""


def _selection(request):
    """The candidatures of the filtered list, with every opinion the user may read."""
    _require_instructeur(request)
    base = selectors.candidatures_gestion(user=request.user).prefetch_related(
        selectors.AVIS_PREFETCH, "appel__criteres"
    )
    filtre = CandidatureFilter(request.GET or None, queryset=base)
    candidatures, _entetes = _trier_candidatures(
        request, filtre.qs if filtre.is_bound and filtre.is_valid() else base
    )
    candidatures = list(candidatures)
    for c in candidatures:
        c.avis_lisibles = selectors.avis_visibles(request.user, c)
        c.evaluation = selectors.evaluation(c, c.avis_lisibles)
    return candidatures


def _avis_rows(candidatures):
    for c in candidatures:
        for a in c.avis_lisibles:
            yield [value(c, a) for _, value in AVIS_COLUMNS]


@login_required
def candidature_csv(request):
    """The filtered list for a spreadsheet: UTF-8 with BOM and « ; » so accents open intact."""
    candidatures = _selection(request)
    return csv_response(
        filename="candidatures.csv",
        header=[name for name, _ in CSV_COLUMNS],
        rows=([value(c) for _, value in CSV_COLUMNS] for c in candidatures),
    )


@login_required
def candidature_avis_csv(request):
    """Every opinion (marks, weighted mark, comment) of the filtered list, one row each."""
    candidatures = _selection(request)
    return csv_response(
        filename="avis.csv",
        header=[name for name, _ in AVIS_COLUMNS],
        rows=_avis_rows(candidatures),
    )


@login_required
def candidature_xlsx(request):
    """The filtered list and every opinion, as two sheets of one XLSX workbook."""
    candidatures = _selection(request)
    return xlsx_response(
        filename="candidatures.xlsx",
        sheets=[
            (
                "Candidatures",
                [name for name, _ in CSV_COLUMNS],
                ([value(c) for _, value in CSV_COLUMNS] for c in candidatures),
            ),
            ("Avis", [name for name, _ in AVIS_COLUMNS], _avis_rows(candidatures)),
        ],
    )


@dgaln_required
@require_POST
def candidatures_rapporteurs_masse(request):
    """Add the same reviewers to every candidature ticked in the list."""
    base = selectors.candidatures_gestion(user=request.user)
    form = RapporteursMasseForm(request.POST, queryset=base)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_retour_liste(request))
    faites, ignorees = services.rapporteurs_ajouter_en_masse(
        candidatures=list(form.cleaned_data["candidatures"]),
        by=request.user,
        rapporteurs=form.selection(),
    )
    if faites:
        messages.success(
            request,
            f"Rapporteurs désignés pour {len(faites)} candidature{'s' if len(faites) > 1 else ''}"
            " ; les nouveaux rapporteurs sont prévenus par courriel.",
        )
    if ignorees:
        messages.warning(
            request,
            "Non modifiées (ni recevables ni en instruction) : "
            + ", ".join(str(c.territoire_nom) for c in ignorees)
            + ".",
        )
    return redirect(_retour_liste(request))


def _retour_liste(request) -> str:
    """Back to the list with its filters (only a query string of our own list)."""
    query = request.POST.get("retour", "")
    url = reverse("appels:gestion_candidatures")
    return f"{url}?{query}" if query and "\n" not in query and "/" not in query else url


@dgaln_required
def appel_classement(request, pk: int):
    """The call's candidatures ranked by weighted score, with the spread between reviewers."""
    appel = selectors.get_appel_gestion(pk=pk)
    return render(
        request,
        "appels/gestion/appel_classement.html",
        _ctx(
            "appels",
            [
                ("Appels à candidatures", reverse("appels:gestion_appels")),
                (appel.titre, reverse("appels:gestion_appel", kwargs={"pk": appel.pk})),
                ("Classement", None),
            ],
            appel=appel,
            classement=selectors.classement(appel=appel),
        ),
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
    possibles = allowed_targets(candidature, user)
    voit_tout = selectors.voit_tous_les_avis(user, candidature)
    decision_possible = instruire and statut == S.EN_INSTRUCTION
    suggestion = (
        selectors.contact_suggestion(candidature)
        if S.RETENUE in possibles
        else {"agent": None, "alertes": []}
    )
    return _ctx(
        "candidatures",
        [(_("Candidatures"), reverse("appels:gestion_candidatures")), (str(candidature), None)],
        candidature=candidature,
        appel=candidature.appel,
        reponses=reponses_affichees(candidature),
        avis_visibles=selectors.avis_visibles(user, candidature),
        voit_tout=voit_tout,
        moyenne=selectors.moyenne(candidature) if voit_tout else None,
        moyennes=selectors.moyennes_par_critere(candidature) if voit_tout else [],
        evaluation=selectors.evaluation(candidature, list(candidature.avis.all()))
        if voit_tout
        else None,
        avis_manquants=services.avis_manquants(candidature) if decision_possible else [],
        decision_bloquee=services.decision_impossible(candidature) if decision_possible else "",
        instruire=instruire,
        recevabilite_form=forms.get("recevabilite")
        or (RecevabiliteForm() if S.RECEVABLE in possibles else None),
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
        suggestion=suggestion,
        decision_form=forms.get("decision")
        or (DecisionForm(initial={"pilote": suggestion["agent"]}) if decision_possible else None),
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


def _instruction_action(request, pk: int, key: str, build_form, apply, *, perm: str, confirm=""):
    """Shared shape of the instruction POSTs: permission, form shape, then the service;
    errors keep the page with what was typed (400), success redirects. With ``confirm`` (an
    ``atelier.confirmation`` name), a valid form only asked for confirmation shows what will
    happen first."""
    candidature = selectors.get_candidature_for_instruction(pk=pk, user=request.user)
    if not request.user.has_perm(perm, candidature):
        raise PermissionDenied
    form = build_form(candidature)
    if form.is_valid():
        if confirm and confirmation.demandee(request):
            return confirmation.page(request, confirm, candidature)
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
            pilote=form.cleaned_data["pilote"] if retenue else None,
            sans_tous_les_avis=form.cleaned_data["sans_tous_les_avis"],
        )
        if atelier:
            # The link to the new atelier, escaped by format_html (the title is typed text).
            return format_html(
                'Candidature retenue : l\'atelier <a href="{}">« {} »</a> est créé ; son pilote, '
                "{}, reçoit par courriel l'invitation à le rejoindre. La lettre de décision "
                "est envoyée au candidat.",
                reverse("ateliers:atelier", kwargs={"pk": atelier.pk}),
                atelier.titre,
                form.cleaned_data["pilote"].nom_complet,
            )
        return "Candidature non retenue. La lettre de décision est envoyée au candidat."

    return _instruction_action(
        request,
        pk,
        "decision",
        lambda c: DecisionForm(request.POST),
        apply,
        perm="appels.instruct_candidature",
        confirm="appels:gestion_candidature_decision",
    )


@login_required
def candidature_pdf(request, pk: int):
    """The candidature's dossier for the selection committee."""
    candidature = selectors.get_candidature_for_instruction(pk=pk, user=request.user)
    voit_tout = selectors.voit_tous_les_avis(request.user, candidature)
    avis = selectors.avis_visibles(request.user, candidature)
    content = dossier_comite_pdf(
        candidature,
        context={
            "reponses": reponses_affichees(candidature),
            "avis_visibles": avis,
            "moyennes": selectors.moyennes_par_critere(candidature) if voit_tout else [],
            "evaluation": selectors.evaluation(candidature, avis) if voit_tout else None,
            "genere_le": timezone.localtime(),
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="candidature-{candidature.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
