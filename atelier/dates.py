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
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, timezone
from django.utils.formats import get_format

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
    fmt = get_format(format_name)
    moment = False
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(PARIS)
        moment = bool(_JOUR & _unescaped(fmt) and _HEURE & _unescaped(fmt))
    if value.day == 1:
        fmt = _premier(fmt)
    text = dateformat.format(value, fmt)
    return f"{text} {HEURE_DE_PARIS}" if moment and mention else text


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
