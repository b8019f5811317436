from django.urls import path

from . import views

app_name = "acteurs"

urlpatterns = [
    path("espace/", views.espace, name="espace"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
