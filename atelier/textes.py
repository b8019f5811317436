"""One voice in French: how sizes, kinds of files and sorted names are said, the same on
every page, e-mail and PDF. Filters available in every template (``TEMPLATES`` builtins)::

    {{ document.taille|taille_fr }}          1,2 Mo      (never "KB", "MiB" or "bytes")
    {{ document.type_mime|nature_fichier }}  Tableur (XLSX)   (never a MIME type)

and Python code calls :func:`format_taille`, :func:`nature_fichier` and :func:`cle_tri`.
"""

import unicodedata

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()

_KO = 1024
_MO = 1024 * 1024  # the unit of UPLOAD_MAX_MO: « 10 Mo au plus »
_NBSP = "\u00a0"

# What a person calls each accepted kind of file (atelier.uploads.ACCEPTED), by MIME type.
_NATURES = {
    "application/pdf": ("PDF", ""),
    "image/png": ("Image", "PNG"),
    "image/jpeg": ("Image", "JPEG"),
    "application/vnd.oasis.opendocument.text": ("Texte", "ODT"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Texte", "DOCX"),
    "application/vnd.oasis.opendocument.spreadsheet": ("Tableur", "ODS"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Tableur", "XLSX"),
    "text/csv": ("Tableur", "CSV"),
    "application/geo+json": ("Données géographiques", "GeoJSON"),
    "application/json": ("Données", "JSON"),
    "application/zip": ("Archive", "ZIP"),
}


def _nombre(value: float) -> str:
    text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
    return text.removesuffix(".0").replace(".", ",")


def format_taille(octets: int | None) -> str:
    """« 850 octets », « 12 Ko », « 1,2 Mo », « 15 Mo »: 1 Ko = 1 024 octets, as the upload
    limit is counted."""
    if octets is None:
        return ""
    octets = int(octets)
    if octets < _KO:
        return ngettext("%(n)s\u00a0octet", "%(n)s\u00a0octets", octets) % {"n": octets}
    if octets < _MO:
        return f"{_nombre(octets / _KO)}{_NBSP}Ko"
    if octets < _MO * 1024:
        return f"{_nombre(octets / _MO)}{_NBSP}Mo"
    return f"{_nombre(octets / (_MO * 1024))}{_NBSP}Go"


@register.filter
def taille_fr(octets) -> str:
    """A size in octets, said in octets, Ko, Mo or Go (``format_taille``)."""
    try:
        return format_taille(octets)
    except (TypeError, ValueError):
        return ""


@register.filter
def nature_fichier(type_mime: str) -> str:
    """« PDF », « Image (PNG) », « Tableur (XLSX) »…: never the MIME type itself."""
    nature, extension = _NATURES.get((type_mime or "").split(";")[0].strip(), ("", ""))
    if not nature:
        return _("Fichier")
    return f"{nature} ({extension})" if extension else nature


def cle_tri(nom: str) -> str:
    """The key that sorts names in French order: accents and case do not count, so
    « Île-de-France » is among the I, « Élu » among the E."""
    decompose = unicodedata.normalize("NFKD", nom or "")
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()
