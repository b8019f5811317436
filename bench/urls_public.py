"""The product's URLs plus a minimal view: the framework's floor through the same stack
(same middleware, same server), to compare the public pages against."""

from django.http import HttpResponse
from django.urls import include, path


def plancher(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/plancher/", plancher),
    path("", include("atelier.urls")),
]
