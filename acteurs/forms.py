"""Forms of the acteurs app: shape of the input only; services hold the rules."""

from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Organisation, Role


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Format attendu : nom@domaine.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    prenom = forms.CharField(label="Prénom", max_length=100, required=False)
    nom = forms.CharField(label="Nom", max_length=100, required=False)
    role = forms.ChoiceField(
        label="Rôle dans l'atelier", choices=Role.choices, initial=Role.HABITANT
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_autofocus_on_first_error()


class RoleForm(DsfrBaseForm):
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)


class SignupForm(forms.Form):
    """The extra fields of allauth's signup form (``ACCOUNT_SIGNUP_FORM_CLASS``): who the
    person is, so that pages and e-mails greet them by name and a retained applicant joins
    the atelier with the role their organisation implies."""

    first_name = forms.CharField(
        label="Prénom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label="Nom", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="Votre collectivité, votre service ou votre structure. "
        "Par exemple : Communauté de communes du Val d'Émeraude.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    organisation_nature = forms.ChoiceField(
        label="Type d'organisation",
        choices=[
            (value, label)
            for value, label in Organisation.Nature.choices
            if value != Organisation.Nature.DGALN
        ],
        initial=Organisation.Nature.COLLECTIVITE,
        required=False,
    )

    field_order = ["first_name", "last_name", "organisation", "organisation_nature"]

    def signup(self, request, user) -> None:
        from .services import acteur_profil_enregistrer

        acteur_profil_enregistrer(
            user=user,
            prenom=self.cleaned_data["first_name"],
            nom=self.cleaned_data["last_name"],
            organisation=self.cleaned_data["organisation"],
            nature=self.cleaned_data["organisation_nature"] or Organisation.Nature.COLLECTIVITE,
        )
