from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from atelier.admin_readonly import ReadOnlyAdmin

from .models import (
    Acteur,
    AgentEtat,
    Invitation,
    Organisation,
    Participation,
    Presence,
    ServiceEtat,
    Utilisateur,
)


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (
            _("Droits"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "nature", "departement", "est_demo"]
    list_filter = ["nature", "est_demo"]
    search_fields = ["nom", "siret"]
    prepopulated_fields = {"slug": ["nom"]}


@admin.register(Acteur)
class ActeurAdmin(admin.ModelAdmin):
    list_display = ["nom", "prenom", "email", "organisation", "specialite"]
    list_filter = ["specialite", "organisation__nature"]
    search_fields = ["nom", "prenom", "email", "organisation__nom"]
    raw_id_fields = ["utilisateur", "organisation"]
    list_select_related = ["organisation"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    """Read-only: roles are given, changed and taken away by ``acteurs.services``
    (participation_add, participation_change_role, participation_remove), which audit them."""

    list_display = ["acteur", "atelier", "role", "cree_le"]
    list_filter = ["role"]
    search_fields = ["acteur__nom", "acteur__email", "atelier__titre"]
    raw_id_fields = ["acteur", "atelier"]
    list_select_related = ["acteur", "atelier"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    """Read-only: an invitation is created and cancelled by ``acteurs.services``
    (invitation_create, invitation_cancel, audited) and accepted through its signed link
    (invitation_accept, which gives the role it names)."""

    list_display = ["email", "atelier", "role", "statut", "cree_le", "expire_le"]
    list_filter = ["statut", "role"]
    search_fields = ["email", "atelier__titre"]
    list_select_related = ["atelier"]


@admin.register(Presence)
class PresenceAdmin(ReadOnlyAdmin):
    """Read-only: attendance is recorded by ``ateliers.services.presences_enregistrer``
    (the atelier's participants only, not on a cancelled stage, audited)."""

    list_display = ["participation", "etape", "present"]
    list_filter = ["present"]
    search_fields = ["participation__acteur__nom", "etape__atelier__titre"]


@admin.register(ServiceEtat)
class ServiceEtatAdmin(ReadOnlyAdmin):
    """Read-only: DGALN manages the State services in /gestion/services-etat/ (audited)."""

    list_display = ["nom", "nature", "code", "siret", "actif"]
    list_filter = ["nature", "actif"]
    search_fields = ["nom", "code", "siret"]


@admin.register(AgentEtat)
class AgentEtatAdmin(ReadOnlyAdmin):
    """Read-only: DGALN vets and revokes State agents in /gestion/agents-etat/ (audited)."""

    list_display = ["utilisateur", "service", "fonction", "source", "verifie_le", "revoque_le"]
    list_filter = ["source", "service__nature"]
    search_fields = ["utilisateur__email", "utilisateur__last_name", "service__nom"]
    list_select_related = ["utilisateur", "service"]
