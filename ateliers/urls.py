"""URLs of the atelier workspace (/espace/ateliers/…), calendar feeds and /gestion/ateliers/."""

from django.urls import path

from . import fiches_views, participants, views
from . import gestion as gestion_ateliers

app_name = "ateliers"

E = "espace/ateliers/<int:pk>/"

urlpatterns = [
    path(E, views.atelier_detail, name="atelier"),
    path(f"{E}capitalisation/", fiches_views.fiche_capitalisation, name="fiche_capitalisation"),
    path(f"{E}statut/", views.atelier_statut, name="atelier_statut"),
    path(f"{E}publication/", views.atelier_publication, name="atelier_publication"),
    path(f"{E}equipe/", views.atelier_equipe, name="atelier_equipe"),
    path(f"{E}etapes/", views.etapes, name="etapes"),
    path(f"{E}etapes/ajouter/", views.etape_ajouter, name="etape_ajouter"),
    path(f"{E}etapes/<int:etape_id>/", views.etape_detail, name="etape"),
    path(f"{E}etapes/<int:etape_id>/planifier/", views.etape_planifier, name="etape_planifier"),
    path(f"{E}etapes/<int:etape_id>/annuler/", views.etape_annuler, name="etape_annuler"),
    path(
        f"{E}etapes/<int:etape_id>/replanifier/",
        views.etape_replanifier,
        name="etape_replanifier",
    ),
    path(f"{E}etapes/<int:etape_id>/realiser/", views.etape_realiser, name="etape_realiser"),
    path(f"{E}etapes/<int:etape_id>/presences/", views.etape_presences, name="etape_presences"),
    path(f"{E}documents/", views.documents, name="documents"),
    path(f"{E}documents/<int:document_id>/", views.document_detail, name="document"),
    path(
        f"{E}documents/<int:document_id>/publier/",
        views.document_publier,
        name="document_publier",
    ),
    path(
        f"{E}documents/<int:document_id>/telecharger/",
        views.document_telecharger,
        name="document_telecharger",
    ),
    path(f"{E}journal/", views.journal, name="journal"),
    path(
        f"{E}journal/<int:entree_id>/modifier/",
        views.journal_modifier,
        name="journal_modifier",
    ),
    path(f"{E}journal/<int:entree_id>/retirer/", views.journal_retirer, name="journal_retirer"),
    path(
        "espace/ateliers/<int:atelier_id>/participants/",
        participants.participants,
        name="participants",
    ),
    path(
        "espace/ateliers/<int:atelier_id>/participants/<int:pk>/role/",
        participants.participation_role,
        name="participation_role",
    ),
    path(
        "espace/ateliers/<int:atelier_id>/participants/<int:pk>/retirer/",
        participants.participation_retirer,
        name="participation_retirer",
    ),
    path(
        "espace/ateliers/<int:atelier_id>/invitations/<int:pk>/annuler/",
        participants.invitation_annuler,
        name="invitation_annuler",
    ),
    path(f"{E}sites/", views.sites, name="sites"),
    path(f"{E}sites/<int:site_id>/supprimer/", views.site_supprimer, name="site_supprimer"),
    path(f"{E}calendrier/", views.atelier_calendrier, name="atelier_calendrier"),
    path("espace/calendrier/", views.calendrier_personnel, name="calendrier_personnel"),
    path("calendrier/<str:jeton>.ics", views.flux_ical, name="flux_ical"),
    path("gestion/ateliers/", gestion_ateliers.gestion_ateliers, name="gestion_ateliers"),
    path(
        "gestion/ateliers/export.csv",
        gestion_ateliers.gestion_ateliers_csv,
        name="gestion_ateliers_csv",
    ),
]
