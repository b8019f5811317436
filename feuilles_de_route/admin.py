from django.contrib import admin

from atelier.admin_readonly import ReadOnlyAdmin

from .models import (
    Action,
    Axe,
    FeuilleDeRoute,
    Financement,
    PointSuivi,
    Rapport,
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


@admin.register(Axe)
class AxeAdmin(admin.ModelAdmin):
    list_display = ["titre", "feuille", "ordre"]
    search_fields = ["titre", "feuille__titre"]
    raw_id_fields = ["feuille"]


class FinancementInline(admin.TabularInline):
    model = Financement
    extra = 0


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
class SignataireRequisAdmin(admin.ModelAdmin):
    list_display = ["version", "utilisateur", "qualite"]
    list_filter = ["qualite"]
    search_fields = ["utilisateur__email"]
    raw_id_fields = ["version", "utilisateur"]


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ["version", "nom_signataire", "capacite", "signee_le", "empreinte"]
    list_filter = ["qualite"]
    search_fields = ["nom_signataire", "empreinte"]


@admin.register(Rapport)
class RapportAdmin(admin.ModelAdmin):
    list_display = ["atelier", "version", "statut", "genere_le", "publie"]
    list_filter = ["statut", "publie"]
    search_fields = ["atelier__titre", "empreinte"]
    readonly_fields = ["statut", "fichier", "empreinte", "taille", "erreur", "publie"]
    raw_id_fields = ["atelier", "version"]


@admin.register(PointSuivi)
class PointSuiviAdmin(ReadOnlyAdmin):
    """Read-only: a follow-up point is recorded by services.point_suivi_add, which also sets the
    action's state from the latest point and audits it; editing one here would not."""

    list_display = ["action", "date", "etat", "pourcentage"]
    list_filter = ["etat"]
    search_fields = ["action__titre", "commentaire"]
    raw_id_fields = ["action"]
