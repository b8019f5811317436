from django.apps import AppConfig


class AppelsConfig(AppConfig):
    name = "appels"
    verbose_name = "Appels à candidatures"

    def ready(self) -> None:
        from atelier import contributions

        from . import confirmations, selectors, services  # noqa: F401 — confirmations register

        contributions.register(contributions.ESPACE, selectors.contribution_espace)
        contributions.register(
            contributions.DONNEES_PERSONNELLES, selectors.contribution_donnees_personnelles
        )
        contributions.register(contributions.CLOTURE_COMPTE, services.contribution_cloture_compte)
