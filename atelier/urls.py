from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from acteurs import views as acteurs_views
from public import contact as public_contact
from public import views as public_views

from . import health

# The admin login goes through allauth (rate limits, MFA, verified e-mail). Set before
# ``admin.site.urls`` is read below, which binds the login view.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", public_views.home, name="home"),
    # The public site first: its pages are the most requested, and resolving a URL tries
    # the patterns in order.
    path("", include("public.urls")),
    path("sante/", health.sante, name="sante"),
    path("accessibilite/", public_views.page("accessibilite"), name="accessibilite"),
    path("mentions-legales/", public_views.page("mentions_legales"), name="mentions_legales"),
    path(
        "donnees-personnelles/",
        public_views.page("donnees_personnelles"),
        name="donnees_personnelles",
    ),
    path("contact/", public_contact.contact, name="contact"),
    path("plan-du-site/", public_contact.plan_du_site, name="plan_du_site"),
    # allauth's signup with the invitee's names filled in; same address as allauth's own.
    path("comptes/signup/", acteurs_views.signup, name="account_signup"),
    path("comptes/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("acteurs.urls")),
    path("", include("ateliers.urls")),
    path("", include("appels.urls")),
    path("", include("journal.urls")),
    path("", include("feuilles_de_route.urls")),
    path("", include("capitalisation.urls")),
]

handler400 = "atelier.views.bad_request"
handler403 = "atelier.views.permission_denied"
handler404 = "atelier.views.page_not_found"
handler500 = "atelier.views.server_error"
