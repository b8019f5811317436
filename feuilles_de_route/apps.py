from django.apps import AppConfig


class FeuillesDeRouteConfig(AppConfig):
    name = "feuilles_de_route"
    verbose_name = "Feuilles de route"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 — registers the rules
