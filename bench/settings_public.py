"""Settings for bench/public.py: the product settings, plus a URLconf with a floor view.

Production-like: DEBUG off (set by the bench before import), static files collected into a
temporary directory so that the manifest storage can resolve ``{% static %}``.
"""

import os

from atelier.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls_public"
STATIC_ROOT = os.environ.get("ATELIER_BENCH_STATIC_ROOT", "/tmp/atelier-bench-static")
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
