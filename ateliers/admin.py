from django.contrib import admin

from atelier.admin_readonly import ReadOnlyAdmin
from atelier.workflow import TransitionError

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
from .services.appels import _require_elements_modifiables


@admin.register(SessionNationale)
class SessionNationaleAdmin(admin.ModelAdmin):
    list_display = ["titre", "annee_debut", "annee_fin", "est_historique"]
    list_filter = ["est_historique", "annee_debut"]
    search_fields = ["titre", "theme"]
    prepopulated_fields = {"slug": ["titre"]}


class ElementAppelInline(admin.TabularInline):
    """A question, required document or criterion of a call, editable here only while
    ``services.appels`` would let DGALN change it: questions and documents while the call is
    a draft (applicants then answer them, and submitted answers point to them), criteria
    until the first opinion. Past that point they are shown, never added, changed or deleted.
    """

    extra = 0
    kind = ""

    def _modifiable(self, appel) -> bool:
        if appel is None:  # the add form: a new call is a draft
            return True
        try:
            _require_elements_modifiables(appel, self.kind)
        except TransitionError:
            return False
        return True

    def has_add_permission(self, request, obj):
        return self._modifiable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._modifiable(obj) and super().has_delete_permission(request, obj)


class QuestionInline(ElementAppelInline):
    model = Question
    kind = "question"


class PieceRequiseInline(ElementAppelInline):
    model = PieceRequise
    kind = "piece"


class CritereInline(ElementAppelInline):
    model = Critere
    kind = "critere"


@admin.register(AppelACandidatures)
class AppelACandidaturesAdmin(admin.ModelAdmin):
    list_display = ["titre", "nature", "session", "statut", "ouverture", "cloture"]
    list_filter = ["nature", "statut"]
    search_fields = ["titre", "description"]
    prepopulated_fields = {"slug": ["titre"]}
    readonly_fields = ["statut"]
    inlines = [QuestionInline, PieceRequiseInline, CritereInline]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.statut != AppelACandidatures.Statut.BROUILLON:
            # As in services.appels.appel_enregistrer: applicants answer a published call.
            readonly += ["nature", "session"]
        return readonly

    def has_change_permission(self, request, obj=None):
        # A decided call is no longer modified (services.appels.appel_enregistrer).
        if obj is not None and obj.statut == AppelACandidatures.Statut.DECIDE:
            return False
        return super().has_change_permission(request, obj)


class PieceJointeInline(admin.TabularInline):
    model = PieceJointe
    extra = 0
    readonly_fields = ["nom_original", "type_mime", "taille", "sha256"]


@admin.register(Candidature)
class CandidatureAdmin(ReadOnlyAdmin):
    """Read-only at every status, with its attached files. A draft is written by its author
    through services.appels (candidature_enregistrer, piece_jointe_ajouter: only the author,
    only while the call is open); once submitted, its content is what the instruction relies
    on, and reviewers, admissibility and decision are set by the instruction services."""

    list_display = ["territoire_nom", "appel", "format_demande", "region", "statut", "deposee_le"]
    list_filter = ["statut", "format_demande", "appel", "region"]
    search_fields = ["territoire_nom", "porteur", "auteur__email"]
    inlines = [PieceJointeInline]
    list_select_related = ["appel", "region"]


class NoteCritereInline(admin.TabularInline):
    model = NoteCritere
    extra = 0


@admin.register(Avis)
class AvisAdmin(ReadOnlyAdmin):
    """Read-only, with its marks: an opinion is given by its reviewer through
    services.appels.avis_donner (a mark 1 to 5 on every criterion, audited), and the
    decision relies on it."""

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
