from django.apps import AppConfig


class AppelsConfig(AppConfig):
    name = "appels"
    verbose_name = "Appels à candidatures"

    def ready(self) -> None:
        from atelier import contributions

        from . import selectors

        contributions.register(contributions.ESPACE, selectors.contribution_espace)
