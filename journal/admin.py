from django.contrib import admin

from atelier.admin_readonly import ReadOnlyAdmin

from .models import EvenementAudit


@admin.register(EvenementAudit)
class EvenementAuditAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is append-only, even for superusers."""

    list_display = ["quand", "auteur_repr", "action", "objet_repr", "etat_avant", "etat_apres"]
    list_filter = ["action", "content_type"]
    search_fields = ["objet_repr", "auteur_repr", "resume", "action"]
    date_hierarchy = "quand"
