"""The garbage collector and the objects that live as long as the serving process.

A web process holds some 300,000 objects that never die: Django and the apps, the compiled
templates, the static files manifest, the translation catalogues. CPython's full collections
walk all of them — about 250 ms on a slow 2-core machine, once every twenty or so heavy
workspace pages, the request that triggers it waits. Once the process has served its first
requests (templates compiled, catalogues and manifest loaded), :func:`figer` moves everything
alive into the collector's permanent generation (``gc.freeze()``): later collections walk only
what was created since. Frozen objects are never collected, which is what they are anyway.

The objects of the requests in flight at that moment (this one's, other gunicorn threads') are
frozen too: those among them that later become garbage held in a reference cycle are never
freed. That happens once per process, for what those few requests held.

Connected by ``atelier.wsgi`` (gunicorn, ``runserver``) to ``request_finished``: the collection
runs once per process, after the response of its ``APRES_REQUETES``-th request has been sent.
"""

import gc
import itertools
import logging
import time

logger = logging.getLogger(__name__)

APRES_REQUETES = 50

_requetes = itertools.count(1)


def figer() -> None:
    """Collect what is garbage now, then freeze everything still alive."""
    debut = time.perf_counter()
    gc.collect()
    gc.freeze()
    logger.info(
        "Mémoire : %d objets figés hors du ramasse-miettes (%.0f ms).",
        gc.get_freeze_count(),
        (time.perf_counter() - debut) * 1000,
    )


def apres_requete(**_kwargs) -> None:
    """``request_finished`` receiver: :func:`figer` once, after the first requests."""
    # next() on itertools.count is atomic under the GIL: one thread of the process sees the number.
    if next(_requetes) == APRES_REQUETES:
        figer()
