from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


class ActeursConfig(AppConfig):
    name = "acteurs"
    verbose_name = "Acteurs"

    def ready(self) -> None:
        from . import securite  # noqa: F401  (connects the security log receivers)
        from .mfa import install_totp_replay_guard

        install_totp_replay_guard()

        # Each app declares its object permissions in ``permissions.py`` (rules.add_perm);
        # rules' autodiscovery only looks for ``rules.py``, so load them here, once.
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "permissions"):
                import_module(f"{config.name}.permissions")
