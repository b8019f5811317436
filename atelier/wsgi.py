import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")

application = get_wsgi_application()

from atelier import memoire  # noqa: E402  (after Django is set up)

# Once the process has served its first requests, what it holds for good leaves the
# collector's full collections (atelier/memoire.py).
request_finished.connect(memoire.apres_requete, dispatch_uid="atelier.memoire")
