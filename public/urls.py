from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from . import api, donnees_actions, views
from .sitemaps import SITEMAPS

app_name = "public"

urlpatterns = [
    path("laureats/", views.laureats, name="laureats"),
    path("laureats/carte/", views.carte, name="carte"),
    path("laureats/carte/donnees.json", views.carte_donnees, name="carte_donnees"),
    path("laureats/carte/perimetres.json", views.carte_perimetres, name="carte_perimetres"),
    path("territoires/<slug:slug>/", views.territoire_detail, name="detail"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<slug:slug>/", views.session_detail, name="session"),
    path("donnees/", views.donnees, name="donnees"),
    path("referentiel/lieux/", views.lieux, name="lieux"),
    path("donnees/laureats.csv", views.export_csv, name="export_csv"),
    path("donnees/laureats.geojson", views.export_geojson, name="export_geojson"),
    path(
        "donnees/laureats-historiques.csv",
        views.export_historiques,
        name="export_historiques",
    ),
    path("donnees/actions/", donnees_actions.schema, name="donnees_actions"),
    path("donnees/actions.csv", donnees_actions.actions_csv, name="actions_csv"),
    path("donnees/actions.json", donnees_actions.actions_json, name="actions_json"),
    path("donnees/indicateurs.csv", donnees_actions.indicateurs_csv, name="indicateurs_csv"),
    path("donnees/indicateurs.json", donnees_actions.indicateurs_json, name="indicateurs_json"),
    path("api/", api.documentation, name="api"),
    path("api/openapi.json", api.openapi, name="api_openapi"),
    path("api/", include(api.urlpatterns())),
    re_path(r"^api/", api.introuvable, name="api_introuvable"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
]
