from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "territoires"
    verbose_name = "Territoires"
