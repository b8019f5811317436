from django.contrib import admin

from .models import EPCI, Commune, Departement, Region, Territoire


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    search_fields = ["code", "nom"]
    list_select_related = ["region"]


class ReferenceAdmin(admin.ModelAdmin):
    """The COG is loaded by ``load_reference``: read here, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(ReferenceAdmin):
    list_display = ["code", "nom", "departement", "population", "actif"]
    list_filter = ["actif", "departement__region"]
    search_fields = ["code", "nom", "codes_postaux"]
    list_select_related = ["departement"]
    exclude = ["contour"]


@admin.register(EPCI)
class EPCIAdmin(ReferenceAdmin):
    list_display = ["siren", "nom", "nature", "population", "actif"]
    list_filter = ["nature", "actif", "regions"]
    search_fields = ["siren", "nom"]
    exclude = ["contour", "communes"]


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    list_display = ["nom", "nature", "region", "code_insee", "siren", "est_demo"]
    list_filter = ["nature", "region", "est_demo"]
    search_fields = ["nom", "code_insee", "siren", "slug"]
    prepopulated_fields = {"slug": ["nom"]}
    filter_horizontal = ["departements"]
    autocomplete_fields = ["communes", "epci"]
    list_select_related = ["region"]
