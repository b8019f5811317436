"""Project-level pages: the error pages."""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


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


@requires_csrf_token
def csrf_failure(request, reason=""):
    """A form sent without its security token (an expired page, cookies refused): a 403 in
    French that says what to do, never Django's technical page."""
    return render(request, "erreurs/403_csrf.html", status=403)
