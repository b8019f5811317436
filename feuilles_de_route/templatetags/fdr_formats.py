"""French display of the values a frozen version stores as JSON text (ISO dates, decimal
amounts): ``{% load fdr_formats %}``, then ``{{ value|date_fr }}`` and ``{{ value|euros }}``."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.formats import number_format

register = template.Library()


@register.filter
def date_fr(value) -> str:
    """« 6 mars 2029 » from a date or an ISO date string; anything else as it is."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.date):
        return date_filter(value, "j F Y")
    return "" if value is None else str(value)


@register.filter
def euros(value) -> str:
    """« 1 200 000,00 € » from a number or a decimal string; anything else as it is."""
    try:
        montant = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)
    return f"{number_format(montant, decimal_pos=2, force_grouping=True)} €"
