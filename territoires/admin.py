from django.contrib import admin

from atelier.admin_readonly import ReadOnlyAdmin

from .models import EPCI, Commune, Departement, Region, Territoire
from .services import territoire_derive


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


# The COG is loaded by ``load_reference``: read here, never edited.
@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdmin):
    list_display = ["code", "nom", "departement", "population", "actif"]
    list_filter = ["actif", "departement__region"]
    search_fields = ["code", "nom", "codes_postaux"]
    list_select_related = ["departement"]
    exclude = ["contour"]


@admin.register(EPCI)
class EPCIAdmin(ReadOnlyAdmin):
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

    def save_related(self, request, form, formsets, change):
        """Members chosen here: the départements, région, perimeter and point follow."""
        super().save_related(request, form, formsets, change)
        territoire_derive(territoire=form.instance)

    list_select_related = ["region"]
