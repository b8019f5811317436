"""Project-level pages: home and error pages."""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from ateliers.formats import FORMATS, Format


def home(request):
    from ateliers import selectors as ateliers_selectors

    formats = [(Format(code).label, spec) for code, spec in FORMATS.items()]
    context = {
        "formats": formats,
        "appels_ouverts": ateliers_selectors.appels_ouverts()[:3],
        "chiffres": ateliers_selectors.chiffres_programme(),
    }
    return render(request, "home.html", context)


def page(name: str):
    """A static page of the site (legal notices), rendered from ``templates/pages/``."""

    def view(request):
        return render(request, f"pages/{name}.html")

    view.__name__ = f"page_{name}"
    return view


@requires_csrf_token
def bad_request(request, exception=None):
    return render(request, "erreurs/400.html", status=400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return render(request, "erreurs/403.html", status=403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return render(request, "erreurs/404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "erreurs/500.html", status=500)
