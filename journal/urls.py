from django.urls import path

from . import views

app_name = "journal"

urlpatterns = [
    path("gestion/journal/", views.journal, name="journal"),
]
