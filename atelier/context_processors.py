from django.conf import settings


def site(request):
    """Values every page needs: the service name, the DGALN flag for the menu, ProConnect."""
    from acteurs.permissions import is_dgaln

    user = getattr(request, "user", None)
    return {
        "SERVICE_NAME": "Atelier des territoires",
        "PROCONNECT_ENABLED": settings.PROCONNECT_ENABLED,
        "SITE_URL": settings.SITE_URL,
        "est_dgaln": bool(user is not None and is_dgaln(user)),
    }
