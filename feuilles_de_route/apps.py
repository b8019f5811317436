from django.apps import AppConfig


class FeuillesDeRouteConfig(AppConfig):
    name = "feuilles_de_route"
    verbose_name = "Feuilles de route"

    def ready(self) -> None:
        from atelier import contributions

        from . import (
            confirmations,  # noqa: F401 — registers what each action will do
            permissions,  # noqa: F401 — registers the rules
            selectors,
        )

        contributions.register(contributions.ESPACE, selectors.contribution_espace)
        contributions.register(
            contributions.DONNEES_PERSONNELLES, selectors.contribution_donnees_personnelles
        )
        contributions.register(contributions.APERCU_ATELIER, selectors.contribution_apercu_atelier)
        contributions.register(contributions.GESTION, selectors.contribution_gestion)
        from .services import contribution_cloture_compte

        contributions.register(contributions.CLOTURE_COMPTE, contribution_cloture_compte)
