from django.apps import AppConfig


class AteliersConfig(AppConfig):
    name = "ateliers"
    verbose_name = "Ateliers"

    def ready(self) -> None:
        # Registers the object permissions (rules autodiscovery only looks for rules.py).
        from atelier import contributions

        from . import (
            confirmations,  # noqa: F401
            permissions,  # noqa: F401
            selectors,
        )

        contributions.register(contributions.ESPACE, selectors.contribution_espace)
        contributions.register(
            contributions.DONNEES_PERSONNELLES, selectors.contribution_donnees_personnelles
        )
