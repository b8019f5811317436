"""Celery application.

Configuration lives in Django settings under the ``CELERY_`` namespace, so that the eager
in-process mode (no ``REDIS_URL``) and the Redis mode are decided in one place.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")

app = Celery("atelier")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
