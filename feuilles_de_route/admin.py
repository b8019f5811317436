from django.contrib import admin

from atelier.admin_readonly import ReadOnlyAdmin

from .models import (
    Action,
    Axe,
    EmpreinteRemplacee,
    FeuilleDeRoute,
    Financement,
    PointSuivi,
    Rapport,
    RegenerationDue,
    SignataireRequis,
    Signature,
    Version,
)


@admin.register(FeuilleDeRoute)
class FeuilleDeRouteAdmin(admin.ModelAdmin):
    list_display = ["titre", "atelier", "version_adoptee", "publiee"]
    list_filter = ["publiee"]
    search_fields = ["titre", "atelier__titre"]
    raw_id_fields = ["atelier"]
    readonly_fields = ["version_adoptee", "publiee", "publiee_le"]

    def get_readonly_fields(self, request, obj=None):
        # Its versions and signatures belong to this atelier: a roadmap never moves to another.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "atelier"] if obj is not None else readonly


@admin.register(Axe)
class AxeAdmin(admin.ModelAdmin):
    list_display = ["titre", "feuille", "ordre"]
    search_fields = ["titre", "feuille__titre"]
    raw_id_fields = ["feuille"]


class FinancementInline(admin.TabularInline):
    """Shown, not edited: funding lines change through the action form (audited)."""

    model = Financement
    extra = 0
    can_delete = False
    readonly_fields = ["financeur", "libelle", "montant", "statut"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["titre", "axe", "porteur", "echeance", "priorite", "statut_suivi"]
    list_filter = ["priorite", "statut_suivi"]
    search_fields = ["titre", "description", "axe__titre"]
    raw_id_fields = ["axe", "porteur", "site"]
    filter_horizontal = ["partenaires"]
    # Derived from the latest follow-up point by services.point_suivi_add; never typed in.
    readonly_fields = ["statut_suivi", "avancement"]
    inlines = [FinancementInline]


@admin.register(Version)
class VersionAdmin(ReadOnlyAdmin):
    """A version is frozen: the admin shows it and never edits it."""

    list_display = ["feuille", "numero", "statut", "empreinte", "creee_le"]
    list_filter = ["statut"]
    search_fields = ["empreinte", "feuille__titre"]


@admin.register(SignataireRequis)
class SignataireRequisAdmin(ReadOnlyAdmin):
    """Read-only: who must sign a version is set when it is sent for signature
    (services.version_send_for_signature, audited); adoption waits for exactly them."""

    list_display = ["version", "utilisateur", "qualite"]
    list_filter = ["qualite"]
    search_fields = ["utilisateur__email"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["version", "nom_signataire", "capacite", "signee_le", "empreinte"]
    list_filter = ["qualite"]
    search_fields = ["nom_signataire", "empreinte"]


@admin.register(Rapport)
class RapportAdmin(ReadOnlyAdmin):
    """Read-only: a report is requested, generated from one adopted version, retried and
    published by the services (rapport_request, rapport_generate, rapport_retry,
    rapport_publish); its file and fingerprint are evidence of that version."""

    list_display = ["atelier", "version", "statut", "genere_le", "publie"]
    list_filter = ["statut", "publie"]
    search_fields = ["atelier__titre", "empreinte"]


@admin.register(EmpreinteRemplacee)
class EmpreinteRemplaceeAdmin(ReadOnlyAdmin):
    """Read-only: written by documents.document_rerender when a generated PDF is rendered
    again after an account closure; it is what /verifier/<old hash>/ answers from."""

    list_display = ["empreinte", "nature", "document_id", "remplacee_le", "nouvelle_empreinte"]
    list_filter = ["nature", "motif"]
    search_fields = ["empreinte", "nouvelle_empreinte"]


@admin.register(RegenerationDue)
class RegenerationDueAdmin(ReadOnlyAdmin):
    """Read-only: written by the account closure (documents.rerender_queue), settled by the
    re-render; a failed one is relaunched by DGALN from /gestion/."""

    list_display = ["nature", "document_id", "statut", "tentatives", "demandee_le", "relance_le"]
    list_filter = ["nature", "statut"]


@admin.register(PointSuivi)
class PointSuiviAdmin(ReadOnlyAdmin):
    """Read-only: a follow-up point is recorded by services.point_suivi_add, which also sets the
    action's state from the latest point and audits it; editing one here would not."""

    list_display = ["action", "date", "etat", "pourcentage"]
    list_filter = ["etat"]
    search_fields = ["action__titre", "commentaire"]
    raw_id_fields = ["action"]
