from django.urls import include, path

app_name = "ateliers"

# Two URL modules share the "ateliers" namespace: calls and candidatures (/appels/,
# /gestion/ for the AMI) and the atelier workspace (/espace/ateliers/, /gestion/ateliers/).
urlpatterns = [
    path("", include("ateliers.urls_appels")),
    path("", include("ateliers.urls_atelier")),
]
