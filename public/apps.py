from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Site public"

    def ready(self) -> None:
        from . import signals

        signals.connecter()
