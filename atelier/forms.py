"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

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
