from django.conf import settings

from .identite import identite

# The DGALN back-office menu (templates/includes/gestion_menu.html), one entry per area.
GESTION_LIENS = [
    ("tableau", "Tableau de bord", "/gestion/"),
    ("tableau_national", "Tableau de bord national", "/gestion/tableau-national/"),
    ("comparaison", "Comparer les ateliers", "/gestion/comparaison/"),
    ("sessions", "Sessions nationales", "/gestion/sessions/"),
    ("appels", "Appels à candidatures", "/gestion/appels/"),
    ("candidatures", "Candidatures", "/gestion/candidatures/"),
    ("ateliers", "Ateliers", "/gestion/ateliers/"),
    ("suivi", "Suivi des feuilles de route", "/gestion/suivi/"),
    ("agents", "Agents de l'État", "/gestion/agents-etat/"),
    ("services_etat", "Services de l'État", "/gestion/services-etat/"),
    ("indicateurs", "Catalogue des indicateurs", "/gestion/indicateurs/"),
    ("fiches", "Fiches de capitalisation", "/gestion/fiches/"),
    ("syntheses", "Synthèses nationales", "/gestion/syntheses/"),
    ("journal", "Journal d'audit", "/gestion/journal/"),
]


def site(request):
    """Values every page needs: the service name, the DGALN flag for the menu, ProConnect."""
    from acteurs.permissions import is_dgaln

    user = getattr(request, "user", None)
    dgaln = bool(user is not None and is_dgaln(user))
    return {
        "SERVICE_NAME": "Atelier des territoires",
        "PROCONNECT_ENABLED": settings.PROCONNECT_ENABLED,
        "SITE_URL": settings.SITE_URL,
        "CARTE_TUILES_URL": settings.CARTE_TUILES_URL,
        "CARTE_TUILES_ATTRIBUTION": settings.CARTE_TUILES_ATTRIBUTION,
        "est_dgaln": dgaln,
        "gestion_liens": GESTION_LIENS if dgaln else [],
        **identite(),
    }
