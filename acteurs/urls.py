from django.urls import path

from . import gestion, views

app_name = "acteurs"

urlpatterns = [
    path("espace/", views.espace, name="espace"),
    path("espace/mes-donnees/", views.mes_donnees, name="mes_donnees"),
    path("espace/clore-mon-compte/", views.cloturer_compte, name="cloturer_compte"),
    path("espace/suite-double-authentification/", views.mfa_suite, name="mfa_suite"),
    path("espace/organisations/", views.organisations, name="organisations"),
    path("espace/resume/", views.resume_preference, name="resume_preference"),
    path(
        "resume/desabonnement/<str:jeton>/",
        views.resume_desabonnement,
        name="resume_desabonnement",
    ),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("gestion/agents-etat/", gestion.agents, name="gestion_agents"),
    path(
        "gestion/agents-etat/<int:pk>/revoquer/", gestion.agent_revoke, name="gestion_agent_revoke"
    ),
    path("gestion/services-etat/", gestion.services_etat, name="gestion_services_etat"),
    path("gestion/services-etat/nouveau/", gestion.service_etat_edit, name="gestion_service_creer"),
    path("gestion/services-etat/<int:pk>/", gestion.service_etat_edit, name="gestion_service_etat"),
]
