"""``{% integrity "path" %}``: the Subresource Integrity hash of a static file as it is served.

django-dsfr ships SRI hashes of its original CSS, but the production storage
(``CompressedManifestStaticFilesStorage``) rewrites the ``url()``s inside those files, so the
browser refused them and every page was unstyled. Hashing the bytes actually stored keeps the
check meaningful: a file altered after ``collectstatic`` (a tampered static volume or a
proxy cache) is still refused.
"""

import base64
import hashlib
from functools import lru_cache

from django import template
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

register = template.Library()


@lru_cache(maxsize=64)
def _integrity(stored_name: str, found_path: str) -> str:
    digest = hashlib.sha384()
    if found_path:
        with open(found_path, "rb") as handle:
            digest.update(handle.read())
    else:
        with staticfiles_storage.open(stored_name) as handle:
            digest.update(handle.read())
    return "sha384-" + base64.b64encode(digest.digest()).decode("ascii")


@register.simple_tag
def integrity(path: str) -> str:
    """``sha384-…`` of the file ``{% static path %}`` serves."""
    stored_name = getattr(staticfiles_storage, "stored_name", None)
    if stored_name is not None:
        # Manifest storage (DEBUG off): the hashed copy collectstatic wrote, as served. The
        # name carries the content hash, so a new collectstatic gives a new cache key.
        return _integrity(stored_name(path), "")
    # Development: the file is served from its app's static folder, unprocessed.
    return _integrity(path, finders.find(path) or "")
