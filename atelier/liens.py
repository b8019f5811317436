"""Links to every row of a long list, built from one ``reverse()``.

``reverse()`` resolves the URL pattern again at each call (15 to 30 µs); on a page of a few
hundred rows with two or three links each, that was most of the server time. A *modèle* is
the URL reversed once with a placeholder for the row's id (the last argument of the pattern,
an integer), which :meth:`ModeleLien.pour` replaces::

    modele("ateliers:document", atelier.pk).pour(document.pk)
    url("ateliers:document", atelier.pk, document.pk)   # the same, for code that builds one

Models are kept for the process, per URL configuration and script prefix: a URL changes only
when the code does (or a test swaps the URL configuration, which makes a new resolver).
Templates use them through ``{% url_modele %}`` and ``|lien`` (``atelier/templatetags/liens.py``).
"""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse

# An id no row has, to find where the row's id goes in the reversed URL.
_PLACE = 987654321987


@dataclass(frozen=True)
class ModeleLien:
    avant: str
    apres: str

    def pour(self, pk) -> str:
        return f"{self.avant}{int(pk)}{self.apres}"


@lru_cache(maxsize=4096)
def _modele(_resolver, _prefixe: str, name: str, args: tuple) -> ModeleLien:
    url = reverse(name, args=[*args, _PLACE])
    avant, apres = url.rsplit(str(_PLACE), 1)
    return ModeleLien(avant, apres)


def modele(name: str, *args) -> ModeleLien:
    """The URL of ``name`` with leading ``args``, the row's id left to :meth:`~ModeleLien.pour`."""
    return _modele(get_resolver(get_urlconf()), get_script_prefix(), name, args)


@lru_cache(maxsize=256)
def _fixe(_resolver, _prefixe: str, name: str) -> str:
    return reverse(name)


def fixe(name: str) -> str:
    """``reverse(name)`` of a URL without arguments (the home page, the legal pages), kept for
    the process like the models."""
    return _fixe(get_resolver(get_urlconf()), get_script_prefix(), name)


def url(name: str, *args) -> str:
    """``reverse(name, args=args)`` whose last argument is an integer id, from a model."""
    *debut, pk = args
    return modele(name, *debut).pour(pk)
