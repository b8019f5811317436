"""Calls and candidatures: the public /appels/, the applicant's pages and the DGALN /gestion/."""

from django.urls import path

from . import gestion
from . import views as appels

app_name = "appels"

urlpatterns = [
    path("appels/", appels.appel_list, name="appels"),
    path("appels/<slug:slug>/", appels.appel_detail, name="appel"),
    path(
        "appels/<slug:slug>/documents/<int:document_id>/",
        appels.appel_document,
        name="appel_document",
    ),
    path("appels/<slug:slug>/candidater/", appels.candidater, name="candidater"),
    path(
        "appels/<slug:slug>/candidater/recapitulatif/",
        appels.candidature_recapitulatif,
        name="candidature_recapitulatif",
    ),
    path(
        "candidatures/pieces/<int:piece_id>/",
        appels.piece_telecharger,
        name="candidature_piece",
    ),
    path("espace/candidatures/<int:pk>/", appels.ma_candidature, name="ma_candidature"),
    path("espace/candidatures/<int:pk>/recepisse.pdf", appels.recepisse, name="recepisse"),
    path(
        "espace/candidatures/<int:pk>/decision.pdf",
        appels.lettre_decision,
        name="lettre_decision",
    ),
    path(
        "espace/candidatures/<int:pk>/retirer/",
        appels.candidature_retirer,
        name="candidature_retirer",
    ),
    # DGALN back-office
    path("gestion/", gestion.tableau, name="gestion"),
    path("gestion/sessions/", gestion.session_list, name="gestion_sessions"),
    path("gestion/sessions/nouvelle/", gestion.session_form, name="gestion_session_creer"),
    path("gestion/sessions/<int:pk>/", gestion.session_form, name="gestion_session"),
    path("gestion/appels/", gestion.appel_list, name="gestion_appels"),
    path("gestion/appels/nouveau/", gestion.appel_creer, name="gestion_appel_creer"),
    path("gestion/appels/<int:pk>/", gestion.appel_detail, name="gestion_appel"),
    path("gestion/appels/<int:pk>/statut/", gestion.appel_statut, name="gestion_appel_statut"),
    path(
        "gestion/appels/<int:pk>/classement/",
        gestion.appel_classement,
        name="gestion_appel_classement",
    ),
    # Before the "<str:kind>" patterns, which would take "documents" for an element kind.
    path(
        "gestion/appels/<int:pk>/documents/ajouter/",
        gestion.appel_document_ajouter,
        name="gestion_appel_document_ajouter",
    ),
    path(
        "gestion/appels/<int:pk>/documents/<int:document_id>/supprimer/",
        gestion.appel_document_supprimer,
        name="gestion_appel_document_supprimer",
    ),
    path(
        "gestion/appels/<int:pk>/<str:kind>/ajouter/",
        gestion.appel_element_ajouter,
        name="gestion_appel_element_ajouter",
    ),
    path(
        "gestion/appels/<int:pk>/<str:kind>/<int:element_id>/supprimer/",
        gestion.appel_element_supprimer,
        name="gestion_appel_element_supprimer",
    ),
    path("gestion/candidatures/", gestion.candidature_list, name="gestion_candidatures"),
    path(
        "gestion/candidatures/export.csv",
        gestion.candidature_csv,
        name="gestion_candidatures_csv",
    ),
    path(
        "gestion/candidatures/avis.csv",
        gestion.candidature_avis_csv,
        name="gestion_candidatures_avis_csv",
    ),
    path(
        "gestion/candidatures/export.xlsx",
        gestion.candidature_xlsx,
        name="gestion_candidatures_xlsx",
    ),
    path(
        "gestion/candidatures/rapporteurs/",
        gestion.candidatures_rapporteurs_masse,
        name="gestion_candidatures_rapporteurs",
    ),
    path(
        "gestion/candidatures/<int:pk>/",
        gestion.candidature_detail,
        name="gestion_candidature",
    ),
    path(
        "gestion/candidatures/<int:pk>/recevabilite/",
        gestion.candidature_recevabilite,
        name="gestion_candidature_recevabilite",
    ),
    path(
        "gestion/candidatures/<int:pk>/rapporteurs/",
        gestion.candidature_rapporteurs,
        name="gestion_candidature_rapporteurs",
    ),
    path(
        "gestion/candidatures/<int:pk>/avis/",
        gestion.candidature_avis,
        name="gestion_candidature_avis",
    ),
    path(
        "gestion/candidatures/<int:pk>/decision/",
        gestion.candidature_decision,
        name="gestion_candidature_decision",
    ),
    path(
        "gestion/candidatures/<int:pk>/dossier.pdf",
        gestion.candidature_pdf,
        name="gestion_candidature_pdf",
    ),
]
