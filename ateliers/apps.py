from django.apps import AppConfig


class AteliersConfig(AppConfig):
    name = "ateliers"
    verbose_name = "Ateliers"

    def ready(self) -> None:
        # Registers the object permissions (rules autodiscovery only looks for rules.py).
        from . import permissions  # noqa: F401
