"""Form fields shared by the apps."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The range of a bigint primary key.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


class ChoixMultiplesField(forms.ModelMultipleChoiceField):
    """Django's ``ModelMultipleChoiceField``, refusing ids no primary key can hold.

    Django guards ``pk=<huge>`` but not ``pk__in=[<huge>]``: on SQLite a posted
    ``99999999999999999999`` raised OverflowError in the query, a 500. It is now an invalid
    choice, with the field's usual message.
    """

    def clean(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            try:
                n = int(pk)
            except (TypeError, ValueError):
                continue  # not a number: Django's own check refuses it
            if not ID_MIN <= n <= ID_MAX:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super().clean(value)


class SelectRapide(forms.Select):
    """Django's ``Select``, its options written in Python rather than through one template
    each: a filter of a hundred départements took most of a back-office page's time. Same
    markup (the options' own attributes aside: the filters have none)."""

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        options = "".join(
            f'<option value="{escape(str(option["value"]))}"'
            f"{' selected' if option['selected'] else ''}>{escape(str(option['label']))}</option>"
            for _group, group_options, _index in context["optgroups"]
            for option in group_options
        )
        # Every value and label above is escaped (the standard library's escape: Django's,
        # lazy-aware, cost a tenth of the page for a few hundred options).
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            flatatt(context["attrs"]),
            mark_safe(options),  # noqa: S308
        )
