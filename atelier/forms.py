"""Form fields shared by the apps."""

from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.choices import BaseChoiceIterator
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from atelier.requetes import ID_MAX, ID_MIN


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


class ChoixLus(BaseChoiceIterator):
    """A model select's options read as ``(value, label)`` rows when the select is drawn, the
    label written from them as the model's ``__str__`` writes it: the hundred départements
    built as model instances were a fifth of a back-office list's time. The field keeps its
    queryset, which validates what is submitted; one query, as before, and none unless drawn
    (a ``BaseChoiceIterator``, which Django's widget keeps as it is rather than reading it)."""

    def __init__(self, vide, lignes, libelle):
        self.vide, self.lignes, self.libelle = vide, lignes, libelle

    def __iter__(self):
        if self.vide is not None:
            yield "", self.vide
        for ligne in self.lignes.all():
            yield ligne[0], self.libelle(*ligne)


def lire_les_choix(form: forms.Form, *champs) -> None:
    """Draw each ``(name, columns, label)`` model select of ``form`` from rows (:class:`ChoixLus`):
    ``columns`` start with the submitted value (the field's ``to_field_name``, or ``pk``), and
    ``label(*row)`` writes what the model's ``__str__`` would."""
    for nom, colonnes, libelle in champs:
        champ = form.fields[nom]
        champ.widget.choices = ChoixLus(
            champ.empty_label, champ.queryset.values_list(*colonnes), libelle
        )


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
