from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import import_module, module_has_submodule

# django-leaflet's admin module imports its GeoDjango widget, which needs GDAL. We store
# geometry as GeoJSON and never use that widget, so its admin module is not loaded.
SKIPPED_ADMIN_MODULES = {"leaflet"}


class AdminConfig(SimpleAdminConfig):
    """The Django admin, discovering every app's ``admin`` module except the skipped ones."""

    def ready(self) -> None:
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in SKIPPED_ADMIN_MODULES:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")


class AtelierConfig(AppConfig):
    """The project package as an app: its management commands and system checks."""

    name = "atelier"
    verbose_name = "Atelier des territoires"

    def ready(self) -> None:
        from . import choix, infra  # noqa: F401  (infra registers the deploy check)

        choix.install()
