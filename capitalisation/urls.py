from django.urls import path, register_converter

from . import views


class ExtensionConverter:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExtensionConverter, "extension")


class SyntheseActionConverter(ExtensionConverter):
    regex = "publier|depublier|relancer"


register_converter(SyntheseActionConverter, "action")

app_name = "capitalisation"

urlpatterns = [
    path("gestion/indicateurs/", views.catalogue, name="catalogue"),
    path("gestion/indicateurs/ajouter/", views.indicateur_editer, name="indicateur_ajouter"),
    path(
        "gestion/indicateurs/<int:indicateur_id>/modifier/",
        views.indicateur_editer,
        name="indicateur_modifier",
    ),
    path(
        "gestion/indicateurs/<int:indicateur_id>/supprimer/",
        views.indicateur_supprimer,
        name="indicateur_supprimer",
    ),
]

urlpatterns += [
    path("gestion/fiches/", views.fiches, name="fiches"),
    path("gestion/fiches/<int:fiche_id>/", views.fiche_revue, name="fiche_revue"),
]

urlpatterns += [
    path("gestion/tableau-national/", views.tableau_national, name="tableau_national"),
    path(
        "gestion/tableau-national/<slug:cle>.<extension:extension>",
        views.tableau_export,
        name="tableau_export",
    ),
]

urlpatterns += [
    path("gestion/comparaison/", views.comparaison, name="comparaison"),
    path(
        "gestion/comparaison/synthese/",
        views.comparaison_synthese,
        name="comparaison_synthese",
    ),
]

urlpatterns += [
    path("gestion/syntheses/", views.syntheses, name="syntheses"),
    path(
        "gestion/syntheses/<int:synthese_id>/telecharger/",
        views.synthese_telecharger,
        name="synthese_telecharger",
    ),
    path(
        "gestion/syntheses/<int:synthese_id>/<action:action>/",
        views.synthese_action,
        name="synthese_action",
    ),
    path(
        "syntheses/<int:synthese_id>/telecharger/",
        views.synthese_publique,
        name="synthese_publique",
    ),
]
