"""Dates as a French reader expects them: the localized formats of ``atelier.formats`` with
« 1er » for the first day of a month.

``date_fr`` is a template filter available in every template (``TEMPLATES`` builtins)::

    {{ etape.debut|date_fr }}                      1er mars 2027
    {{ etape.debut|date_fr:"DATETIME_FORMAT" }}    1er mars 2027 à 14h00 (heure de Paris)
    {{ etape.debut|date_fr:"l j F Y à H\\hi" }}    lundi 1er mars 2027 à 14h00 (heure de Paris)
    {{ etape.fin|date_fr:"TIME_FORMAT" }}          16h00
    {{ e.quand|date_fr_colonne:"DATETIME_FORMAT" }}  1er mars 2027 à 14h00

and Python code (messages, e-mails) calls :func:`format_date` the same way.

Times of day are Paris time, and say so: a moment (a format showing a day and an hour) is
converted to Europe/Paris and followed by « (heure de Paris) ». An hour alone (the end of a
range) is converted but not labelled: the page says it once after the range. Nor is a moment
in a table (``date_fr_colonne``): its column header says « (heure de Paris) » once, rather
than every row. Machine formats
(CSV, JSON, ``datetime`` attributes) use Django's ``|date:"c"`` or ``isoformat()``, not this.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import dateformat, dates, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language

register = template.Library()

PARIS = ZoneInfo("Europe/Paris")
HEURE_DE_PARIS = "(heure de Paris)"
_JOUR, _HEURE = set("dDjlNwz"), set("GHgh")

# "j" (day without leading zero) is the only day format that takes the ordinal; « 1er » is
# written with escaped letters ("e" and "r" are format characters).
_PREMIER = r"1\e\r"


def format_date(
    value: dt.date | dt.datetime, format_name: str = "DATE_FORMAT", *, mention: bool = True
) -> str:
    """``value`` in the format named ``format_name`` (a format setting or a format string);
    a moment followed by « (heure de Paris) » unless ``mention`` is false."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = value.astimezone(PARIS)
    langue = get_language()
    modele = _modele(str(format_name), langue)
    if modele.pieces is None or (modele.heure and type(value) is dt.date):
        text = _format_django(value, modele.fmt)
    else:
        noms = _noms(langue)
        text = "".join(
            _CODES[piece](value, noms) if code else piece for code, piece in modele.pieces
        )
    moment = mention and modele.moment and isinstance(value, dt.datetime)
    return f"{text} {HEURE_DE_PARIS}" if moment else text


def _format_django(value: dt.date | dt.datetime, fmt: str) -> str:
    """Django's own formatter, for the format characters :data:`_CODES` does not write."""
    if value.day == 1:
        fmt = _premier(fmt)
    return dateformat.format(value, fmt)


@dataclass(frozen=True)
class _Modele:
    fmt: str
    # (True, format character) or (False, literal text); None: Django's formatter writes it.
    pieces: tuple[tuple[bool, str], ...] | None
    moment: bool
    heure: bool  # has time characters: Django refuses them for a date


# A page of forty stages spent a fifth of its time in Django's formatter (the format string
# split with a regex at each call, each month and day name translated again): the format is
# parsed once per language, the names looked up once, and the characters the site's formats
# use are written here exactly as Django writes them.
_CODES = {
    "d": lambda v, noms: f"{v.day:02d}",
    "j": lambda v, noms: "1er" if v.day == 1 else str(v.day),
    "m": lambda v, noms: f"{v.month:02d}",
    "n": lambda v, noms: str(v.month),
    "Y": lambda v, noms: f"{v.year:04d}",
    "y": lambda v, noms: f"{v.year % 100:02d}",
    "F": lambda v, noms: noms[0][v.month],
    "l": lambda v, noms: noms[1][v.weekday()],
    "D": lambda v, noms: noms[2][v.weekday()],
    "H": lambda v, noms: f"{v.hour:02d}",
    "G": lambda v, noms: str(v.hour),
    "i": lambda v, noms: f"{v.minute:02d}",
    "s": lambda v, noms: f"{v.second:02d}",
}
_CODES_HEURE = set("HGis")


@functools.lru_cache(maxsize=256)
def _modele(format_name: str, langue: str | None) -> _Modele:
    fmt = str(get_format(format_name, langue))
    chars = _unescaped(fmt)
    moment = bool(_JOUR & chars and _HEURE & chars)
    pieces: list[tuple[bool, str]] = []
    for i, piece in enumerate(dateformat.re_formatchars.split(fmt)):
        if i % 2:
            if piece not in _CODES:
                return _Modele(fmt, None, moment, False)
            pieces.append((True, piece))
        elif piece:
            pieces.append((False, dateformat.re_escaped.sub(r"\1", piece)))
    heure = any(code and piece in _CODES_HEURE for code, piece in pieces)
    return _Modele(fmt, tuple(pieces), moment, heure)


@functools.lru_cache(maxsize=8)
def _noms(langue: str | None) -> tuple[dict, dict, dict]:
    """Month names, day names and abbreviated day names in the active language."""
    return (
        {n: str(nom) for n, nom in dates.MONTHS.items()},
        {n: str(nom) for n, nom in dates.WEEKDAYS.items()},
        {n: str(nom) for n, nom in dates.WEEKDAYS_ABBR.items()},
    )


@receiver(setting_changed)
def _oublier_formats(*, setting: str, **kwargs) -> None:
    if setting in {"FORMAT_MODULE_PATH", "LANGUAGE_CODE", "LANGUAGES"} or setting.endswith(
        "_FORMAT"
    ):
        _modele.cache_clear()
        _noms.cache_clear()


def _unescaped(fmt: str) -> set[str]:
    """The format characters of ``fmt`` (those not escaped by a backslash)."""
    chars, escaped = set(), False
    for char in fmt:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            chars.add(char)
    return chars


def _premier(fmt: str) -> str:
    out, escaped = [], False
    for char in fmt:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(_PREMIER if char == "j" else char)
    return "".join(out)


@register.filter
def date_fr(value, format_name: str = "DATE_FORMAT") -> str:
    """A date, a datetime or an ISO date string in French; anything else as it is."""
    return _date_fr(value, format_name, mention=True)


@register.filter
def date_fr_colonne(value, format_name: str = "DATE_FORMAT") -> str:
    """``date_fr`` in a table whose column header says « (heure de Paris) »
    (:data:`HEURE_DE_PARIS`): Paris time, not labelled on every row."""
    return _date_fr(value, format_name, mention=False)


def _date_fr(value, format_name: str, *, mention: bool) -> str:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return format_date(value, format_name, mention=mention)
    return "" if value is None else str(value)
