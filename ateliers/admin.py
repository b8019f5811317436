from django.contrib import admin

from .models import (
    AppelACandidatures,
    Atelier,
    Avis,
    Candidature,
    Critere,
    Document,
    EntreeJournal,
    Etape,
    Livrable,
    NoteCritere,
    PieceJointe,
    PieceRequise,
    Question,
    SessionNationale,
    SiteDemonstrateur,
)


@admin.register(SessionNationale)
class SessionNationaleAdmin(admin.ModelAdmin):
    list_display = ["titre", "annee_debut", "annee_fin", "est_historique"]
    list_filter = ["est_historique", "annee_debut"]
    search_fields = ["titre", "theme"]
    prepopulated_fields = {"slug": ["titre"]}


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class PieceRequiseInline(admin.TabularInline):
    model = PieceRequise
    extra = 0


class CritereInline(admin.TabularInline):
    model = Critere
    extra = 0


@admin.register(AppelACandidatures)
class AppelACandidaturesAdmin(admin.ModelAdmin):
    list_display = ["titre", "nature", "session", "statut", "ouverture", "cloture"]
    list_filter = ["nature", "statut"]
    search_fields = ["titre", "description"]
    prepopulated_fields = {"slug": ["titre"]}
    readonly_fields = ["statut"]
    inlines = [QuestionInline, PieceRequiseInline, CritereInline]


class PieceJointeInline(admin.TabularInline):
    model = PieceJointe
    extra = 0
    readonly_fields = ["nom_original", "type_mime", "taille", "sha256"]


@admin.register(Candidature)
class CandidatureAdmin(admin.ModelAdmin):
    list_display = ["territoire_nom", "appel", "format_demande", "region", "statut", "deposee_le"]
    list_filter = ["statut", "format_demande", "appel", "region"]
    search_fields = ["territoire_nom", "porteur", "auteur__email"]
    # Rapporteurs are designated by services.appels.candidature_assigner_rapporteurs (audited,
    # and it moves the candidature into instruction), not picked here.
    readonly_fields = ["statut", "deposee_le", "decidee_le", "rapporteurs"]
    raw_id_fields = ["auteur", "territoire"]
    inlines = [PieceJointeInline]
    list_select_related = ["appel", "region"]


class NoteCritereInline(admin.TabularInline):
    model = NoteCritere
    extra = 0


@admin.register(Avis)
class AvisAdmin(admin.ModelAdmin):
    list_display = ["candidature", "rapporteur", "cree_le"]
    search_fields = ["candidature__territoire_nom", "rapporteur__email"]
    raw_id_fields = ["candidature", "rapporteur"]
    inlines = [NoteCritereInline]


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
    readonly_fields = ["statut", "publie", "publie_le"]
    raw_id_fields = ["territoire", "candidature", "service_pilote"]
    inlines = [EtapeInline]
    list_select_related = ["territoire", "session"]


class LivrableInline(admin.TabularInline):
    model = Livrable
    extra = 0
    raw_id_fields = ["document"]


@admin.register(Etape)
class EtapeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "atelier", "nature", "debut", "statut"]
    list_filter = ["nature", "statut"]
    search_fields = ["titre", "atelier__titre", "lieu"]
    readonly_fields = ["statut"]
    raw_id_fields = ["atelier"]
    inlines = [LivrableInline]
    list_select_related = ["atelier"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["titre", "atelier", "categorie", "version", "publie", "cree_le"]
    list_filter = ["categorie", "publie"]
    search_fields = ["titre", "nom_original", "atelier__titre"]
    raw_id_fields = ["atelier", "etape", "serie", "depose_par"]
    # Publishing is a traced action (services.atelier.document_publier), not a checkbox.
    readonly_fields = ["nom_original", "type_mime", "taille", "sha256", "publie"]


@admin.register(EntreeJournal)
class EntreeJournalAdmin(admin.ModelAdmin):
    list_display = ["date", "atelier", "auteur", "etape"]
    search_fields = ["texte", "atelier__titre"]
    raw_id_fields = ["atelier", "etape", "auteur"]
    date_hierarchy = "date"


@admin.register(SiteDemonstrateur)
class SiteDemonstrateurAdmin(admin.ModelAdmin):
    list_display = ["nom", "atelier"]
    search_fields = ["nom", "atelier__titre"]
    raw_id_fields = ["atelier"]
