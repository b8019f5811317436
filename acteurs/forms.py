"""Forms of the acteurs app: shape of the input only; services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import Role


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    prenom = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    nom = forms.CharField(label=_("Nom"), max_length=100, required=False)
    role = forms.ChoiceField(
        label=_("Rôle dans l'atelier"), choices=Role.choices, initial=Role.HABITANT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_autofocus_on_first_error()


class RoleForm(DsfrBaseForm):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
