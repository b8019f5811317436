"""A URLconf with one view that has no matrix entry (used by test_authz_matrix)."""

from django.http import HttpResponse
from django.urls import include, path

from atelier.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("oubliee/", lambda request: HttpResponse("?"), name="vue_oubliee"),
    path("espace-test/", include(([path("x/", lambda r: HttpResponse(), name="x")], "test"))),
]
