from django.apps import AppConfig


class CapitalisationConfig(AppConfig):
    name = "capitalisation"
    verbose_name = "Capitalisation nationale"
