from django.urls import path

from . import views

app_name = "acteurs"

urlpatterns = [
    path("espace/", views.espace, name="espace"),
    path(
        "espace/ateliers/<int:atelier_id>/participants/",
        views.participants,
        name="participants",
    ),
    path(
        "espace/ateliers/<int:atelier_id>/participants/<int:pk>/role/",
        views.participation_role,
        name="participation_role",
    ),
    path(
        "espace/ateliers/<int:atelier_id>/participants/<int:pk>/retirer/",
        views.participation_retirer,
        name="participation_retirer",
    ),
    path(
        "espace/ateliers/<int:atelier_id>/invitations/<int:pk>/annuler/",
        views.invitation_annuler,
        name="invitation_annuler",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("gestion/journal/", views.journal, name="journal"),
]
