from django.apps import AppConfig


class ProConnectConfig(AppConfig):
    name = "acteurs.proconnect"
    label = "proconnect"
    verbose_name = "ProConnect"
