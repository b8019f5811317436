"""Forms of the acteurs app: shape of the input only; services hold the rules."""

from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Role


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    prenom = forms.CharField(label="Prénom", max_length=100, required=False)
    nom = forms.CharField(label="Nom", max_length=100, required=False)
    role = forms.ChoiceField(
        label="Rôle dans l'atelier",
        choices=Role.choices,
        initial=Role.HABITANT,
        help_text="Le rôle de pilote est réservé aux agents de l'État vérifiés par la DGALN.",
    )
    collectivite = forms.CharField(
        label="Collectivité (élu·e seulement)",
        max_length=200,
        required=False,
        help_text="Par exemple « Commune de Quintin ». Vous attestez du mandat de la personne.",
    )
    mandat = forms.CharField(
        label="Mandat (élu·e seulement)",
        max_length=200,
        required=False,
        help_text="Par exemple « Maire ». Sa signature de la feuille de route le mentionnera.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_autofocus_on_first_error()


class RoleForm(DsfrBaseForm):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
