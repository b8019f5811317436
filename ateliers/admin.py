from django.contrib import admin

from .models import (
    Atelier,
    Document,
    EntreeJournal,
    Etape,
    Livrable,
    SessionNationale,
    SiteDemonstrateur,
)


@admin.register(SessionNationale)
class SessionNationaleAdmin(admin.ModelAdmin):
    list_display = ["titre", "annee_debut", "annee_fin", "est_historique"]
    list_filter = ["est_historique", "annee_debut"]
    search_fields = ["titre", "theme"]
    prepopulated_fields = {"slug": ["titre"]}


class EtapeInline(admin.TabularInline):
    model = Etape
    extra = 0
    fields = ["ordre", "nature", "titre", "debut", "fin", "lieu", "statut"]
    readonly_fields = ["statut"]


@admin.register(Atelier)
class AtelierAdmin(admin.ModelAdmin):
    list_display = ["titre", "territoire", "format", "session", "annee", "statut", "publie"]
    list_filter = ["format", "statut", "publie", "session", "annee", "est_demo"]
    search_fields = ["titre", "territoire__nom", "theme"]
    # The candidature is linked by services.appels.candidature_decider when it is selected.
    readonly_fields = ["statut", "publie", "publie_le", "candidature"]
    raw_id_fields = ["territoire", "service_pilote"]
    inlines = [EtapeInline]
    list_select_related = ["territoire", "session"]


class LivrableInline(admin.TabularInline):
    model = Livrable
    extra = 0
    # Provided by services.atelier.document_deposer (file type checked for the deliverable);
    # a stage is marked held only when its required deliverables are provided.
    readonly_fields = ["document"]


@admin.register(Etape)
class EtapeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "atelier", "nature", "debut", "statut"]
    list_filter = ["nature", "statut"]
    search_fields = ["titre", "atelier__titre", "lieu"]
    # The reason is given with the cancellation (services.atelier.etape_annuler, audited).
    readonly_fields = ["statut", "motif_annulation"]
    raw_id_fields = ["atelier"]
    inlines = [LivrableInline]
    list_select_related = ["atelier"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["titre", "atelier", "categorie", "version", "publie", "cree_le"]
    list_filter = ["categorie", "publie"]
    search_fields = ["titre", "nom_original", "atelier__titre"]
    raw_id_fields = ["etape"]
    # Publishing is a traced action (services.atelier.document_publier), not a checkbox. The
    # file, its fingerprint, its version history and who deposited it are set by
    # services.atelier.document_deposer (file checked by content, audited): a file replaced
    # here would no longer match its fingerprint.
    readonly_fields = [
        "atelier",
        "fichier",
        "nom_original",
        "type_mime",
        "taille",
        "sha256",
        "serie",
        "version",
        "depose_par",
        "publie",
    ]

    def has_add_permission(self, request):
        # Documents are deposited through the atelier's pages (document_deposer).
        return False


@admin.register(EntreeJournal)
class EntreeJournalAdmin(admin.ModelAdmin):
    list_display = ["date", "atelier", "auteur", "etape"]
    search_fields = ["texte", "atelier__titre"]
    raw_id_fields = ["atelier", "etape"]
    readonly_fields = ["auteur"]  # who wrote it, never attributed to someone else

    def save_model(self, request, obj, form, change):
        if not change:
            obj.auteur = request.user
        super().save_model(request, obj, form, change)

    date_hierarchy = "date"


@admin.register(SiteDemonstrateur)
class SiteDemonstrateurAdmin(admin.ModelAdmin):
    list_display = ["nom", "atelier"]
    search_fields = ["nom", "atelier__titre"]
    raw_id_fields = ["atelier"]
