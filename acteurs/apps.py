from django.apps import AppConfig


class ActeursConfig(AppConfig):
    name = "acteurs"
    verbose_name = "Acteurs"

    def ready(self) -> None:
        from . import securite  # noqa: F401  (connects the security log receivers)
