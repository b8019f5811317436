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
    markup (the options' own attributes aside: the filters have none), the options read from
    ``choices`` as Django's ``optgroups`` reads them (the first matching one selected, a group's
    options in line), without building a context dictionary for each."""

    def render(self, name, value, attrs=None, renderer=None):
        valeurs = self.format_value(value)
        multiple = self.allow_multiple_selected
        choisie = False
        options = []
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, (list, tuple)):
                groupe = option_label
            else:
                groupe = ((option_value, option_label),)
            for valeur, libelle in groupe:
                selected = (multiple or not choisie) and str(valeur) in valeurs
                choisie |= selected
                options.append(
                    f'<option value="{escape(str(valeur))}"{" selected" if selected else ""}>'
                    f"{escape(str(libelle))}</option>"
                )
        final_attrs = self.build_attrs(self.attrs, attrs)
        if multiple:
            final_attrs["multiple"] = True
        # Every value and label above is escaped (the standard library's escape: Django's,
        # lazy-aware, cost a tenth of the page for a few hundred options).
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final_attrs),
            mark_safe("".join(options)),  # noqa: S308
        )
