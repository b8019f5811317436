"""Celery tasks of the ateliers app; imported here so that autodiscovery registers them."""

from . import appels, atelier  # noqa: F401
