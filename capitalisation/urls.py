from django.urls import path

from . import views

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
