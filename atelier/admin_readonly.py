"""Admin for rows that are evidence (audit trail, frozen versions, signatures, reports) or that
only a service may write (roles, invitations, attendance, candidatures, reviewers' opinions,
required signatories, follow-up points: each write is checked and audited there): shown,
never added, changed or deleted, even by a superuser."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
