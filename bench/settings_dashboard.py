"""Settings for bench/dashboard.py: the product settings with the floor view's URLconf;
plain static storage (the pages are rendered in-process, no collectstatic needed)."""

from bench.settings_public import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = "/tmp/atelier-bench-dashboard-media"
