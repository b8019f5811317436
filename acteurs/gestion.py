"""DGALN back-office pages of the acteurs app: the State services and the vetted State
agents (``/gestion/agents-etat/``, ``/gestion/services-etat/``). Writes go through
``acteurs.services`` (audited)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from atelier.pagination import paginer
from atelier.tri import Colonne, trier

from . import services
from .forms import AgentEtatForm, ServiceEtatForm
from .models import AgentEtat, ServiceEtat


def _agents_dgaln_required(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("acteurs.manage_agents_etat"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _ctx(actif: str, titre: str, **extra) -> dict:
    return {
        "gestion_actif": actif,
        "breadcrumb": [("Gestion", "/gestion/"), (titre, None)],
        **extra,
    }


COLONNES_AGENTS = [
    Colonne("Agent", "agent", ("utilisateur__last_name", "utilisateur__email")),
    Colonne("Fonction et service", "service", ("service__nom", "fonction")),
    Colonne("Vérification", "verification", ("verifie_le",)),
    Colonne("État", "etat", ("revoque_le",)),
]
COLONNES_SERVICES = [
    Colonne("Service", "service", ("nom",)),
    Colonne("Nature", "nature", ("nature",)),
    Colonne("Territoire", "territoire", ("departement__code", "region__nom")),
    Colonne("SIRET", "siret", ("siret",)),
    Colonne("Agents vérifiés", "agents", ("nb_agents",)),
]


@_agents_dgaln_required
@require_http_methods(["GET", "POST"])
def agents(request: HttpRequest) -> HttpResponse:
    """The vetted State agents, with the form to vet one more."""
    form = AgentEtatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agent = services.agent_etat_vet(
                by=request.user,
                user=form.utilisateur,
                service=form.cleaned_data["service"],
                fonction=form.cleaned_data["fonction"],
            )
        except services.AgentEtatError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{agent.nom_complet} est agent vérifié : {agent.qualite}.")
            return redirect("acteurs:gestion_agents")
    q = (request.GET.get("q") or "").strip()[:100]
    qs = AgentEtat.objects.select_related("utilisateur", "service", "verifie_par").order_by(
        "revoque_le", "service__nom", "utilisateur__last_name"
    )
    if q:
        qs = qs.filter(
            Q(utilisateur__email__icontains=q)
            | Q(utilisateur__last_name__icontains=q)
            | Q(service__nom__icontains=q)
        )
    qs, entetes = trier(request, qs, COLONNES_AGENTS)
    return render(
        request,
        "acteurs/gestion/agents.html",
        _ctx(
            "agents",
            "Agents de l'État",
            form=form,
            page_obj=paginer(request, qs),
            q=q,
            entetes=entetes,
        ),
        status=400 if form.errors else 200,
    )


@_agents_dgaln_required
@require_POST
def agent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    agent = get_object_or_404(AgentEtat.objects.select_related("utilisateur"), pk=pk)
    try:
        services.agent_etat_revoke(by=request.user, agent=agent)
    except services.AgentEtatError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{agent.nom_complet} n'est plus agent vérifié : ni pilote ni signataire pour l'État.",
        )
    return redirect("acteurs:gestion_agents")


@_agents_dgaln_required
def services_etat(request: HttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    qs = (
        ServiceEtat.objects.select_related("region", "departement")
        .annotate(nb_agents=Count("agents", filter=Q(agents__revoque_le__isnull=True)))
        .order_by("nature", "nom")
    )
    if q:
        qs = qs.filter(Q(nom__icontains=q) | Q(code__icontains=q) | Q(siret__icontains=q))
    qs, entetes = trier(request, qs, COLONNES_SERVICES)
    return render(
        request,
        "acteurs/gestion/services.html",
        _ctx(
            "services_etat",
            "Services de l'État",
            page_obj=paginer(request, qs),
            q=q,
            entetes=entetes,
        ),
    )


@_agents_dgaln_required
@require_http_methods(["GET", "POST"])
def service_etat_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    service = get_object_or_404(ServiceEtat, pk=pk) if pk else None
    initial = {}
    if service is not None:
        initial = {
            "nom": service.nom,
            "nature": service.nature,
            "region": service.region,
            "departement": service.departement,
            "siret": service.siret,
            "actif": service.actif,
        }
    form = ServiceEtatForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_etat_save(
                by=request.user, service=service, **form.cleaned_data
            )
        except services.AgentEtatError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Service « {service.nom} » enregistré.")
            return redirect("acteurs:gestion_services_etat")
    return render(
        request,
        "acteurs/gestion/service_form.html",
        _ctx("services_etat", "Services de l'État", form=form, service=service),
        status=400 if form.errors else 200,
    )
