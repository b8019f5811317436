from django.urls import path  # noqa: F401

app_name = "feuilles_de_route"

urlpatterns: list = []
