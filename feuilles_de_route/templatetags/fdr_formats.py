"""French display of the values a frozen version stores as JSON text (ISO dates, decimal
amounts): ``{% load fdr_formats %}``, then ``{{ value|date_fr }}`` and ``{{ value|euros }}``."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format

from atelier.dates import date_fr

register = template.Library()


# The project's filter (a builtin everywhere); kept here for the templates that load this library.
register.filter("date_fr", date_fr)


@register.filter
def euros(value) -> str:
    """« 1 200 000,00 € » from a number or a decimal string; anything else as it is."""
    try:
        montant = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "" if value is None else str(value)
    return f"{number_format(montant, decimal_pos=2, force_grouping=True)} €"
