"""The history of national sessions, 2006–2023, exactly as the programme lists it.

Source: ``shared/seed/atelier-des-territoires.txt`` (Ateliers Multisites 2006–2019 and the
2020–2023 editions). Loaded by a data migration and by ``manage.py load_reference``.
"""

from django.apps import apps as django_apps
from django.utils.text import slugify

# (titre, année de début, année de fin, thème)
SESSIONS_HISTORIQUES: list[tuple[str, int, int | None, str]] = [
    ("Littoral 1", 2006, None, "Littoral"),
    ("Montagne", 2007, None, "Montagne"),
    ("Littoral 2", 2009, None, "Littoral"),
    ("Atelier flash Xynthia", 2010, None, "Risques littoraux après la tempête Xynthia"),
    ("Territoires économiques", 2011, None, "Économie et aménagement"),
    ("Territoires en mutation exposés aux risques", 2012, None, "Risques"),
    ("Atelier des territoires session 1", 2013, None, "Projet de territoire"),
    ("Atelier des territoires session 2", 2014, None, "Projet de territoire"),
    ("Comment requalifier par le paysage des territoires à vivre ?", 2015, None, "Paysage"),
    ("Mieux vivre ensemble dans le périurbain", 2016, None, "Périurbain"),
    ("Vivre et travailler en montagne", 2016, None, "Montagne"),
    ("Faire de l'eau une ressource pour l'aménagement", 2017, None, "Eau"),
    ("Villes patrimoniales", 2017, None, "Patrimoine"),
    (
        "Amplifier la transition écologique avec les territoires",
        2019,
        None,
        "Transition écologique",
    ),
    ("Mieux aménager avec des sols vivants", 2021, 2022, "Sols vivants"),
    (
        "AMI « Aménagement touristique durable »",
        2021,
        2022,
        "Tourisme durable (Atelier des territoires, EcoQuartier, PPA)",
    ),
    (
        "Aménagement, territoires productifs et création de valeurs",
        2023,
        None,
        "Territoires productifs",
    ),
]


def session_slug(titre: str, annee: int) -> str:
    return slugify(f"{titre} {annee}")[:250]


def load_sessions(apps=django_apps) -> int:
    """Create or update the historical national sessions; return how many exist."""
    SessionNationale = apps.get_model("ateliers", "SessionNationale")
    for titre, debut, fin, theme in SESSIONS_HISTORIQUES:
        SessionNationale.objects.update_or_create(
            slug=session_slug(titre, debut),
            defaults={
                "titre": titre,
                "annee_debut": debut,
                "annee_fin": fin,
                "theme": theme,
                "est_historique": True,
            },
        )
    return SessionNationale.objects.filter(est_historique=True).count()
