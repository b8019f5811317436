from django.contrib import admin

from atelier.admin_readonly import ReadOnlyAdmin
from atelier.workflow import TransitionError

from .models import (
    AppelACandidatures,
    Avis,
    Candidature,
    Critere,
    NoteCritere,
    PieceJointe,
    PieceRequise,
    Question,
)
from .services import _require_elements_modifiables


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
