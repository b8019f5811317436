"""Forms of the acteurs app: shape of the input only; services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import Organisation, Role


class InvitationForm(DsfrBaseForm):
    email = forms.EmailField(
        label=_("Adresse électronique"),
        help_text=_("Format attendu : nom@domaine.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    prenom = forms.CharField(label=_("Prénom"), max_length=100, required=False)
    nom = forms.CharField(label=_("Nom"), max_length=100, required=False)
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
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)


class AgentEtatForm(DsfrBaseForm):
    """DGALN vets an existing account as a State agent."""

    email = forms.EmailField(
        label="Adresse électronique du compte",
        help_text="La personne doit d'abord avoir créé son compte (ou s'être connectée par ProConnect).",
    )
    service = forms.ModelChoiceField(
        label="Service de l'État", queryset=None, empty_label="— Choisir un service —"
    )
    fonction = forms.CharField(
        label="Fonction",
        max_length=200,
        help_text="Par exemple « Cheffe du service aménagement ». Elle figure sur ses signatures.",
    )

    def __init__(self, *args, **kwargs):
        from .models import ServiceEtat

        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = ServiceEtat.objects.filter(actif=True)

    def clean_email(self):
        from .models import Utilisateur

        email = self.cleaned_data["email"].strip().lower()
        self.utilisateur = Utilisateur.objects.filter(email__iexact=email, is_active=True).first()
        if self.utilisateur is None:
            raise forms.ValidationError(
                "Aucun compte n'existe pour cette adresse : demandez à la personne de créer "
                "son compte d'abord."
            )
        return email


class ServiceEtatForm(DsfrBaseForm):
    nom = forms.CharField(label="Nom", max_length=200)
    nature = forms.ChoiceField(label="Nature", choices=())
    region = forms.ModelChoiceField(label="Région", queryset=None, required=False)
    departement = forms.ModelChoiceField(label="Département", queryset=None, required=False)
    siret = forms.CharField(
        label="SIRET",
        max_length=20,
        required=False,
        help_text="14 chiffres. Un agent connecté par ProConnect avec ce SIRET est reconnu comme agent de ce service.",
    )
    actif = forms.BooleanField(
        label="Service actif",
        required=False,
        initial=True,
        help_text="Un service inactif ne donne plus aucun droit à ses agents.",
    )

    def __init__(self, *args, **kwargs):
        from territoires.models import Departement, Region

        from .models import ServiceEtat

        super().__init__(*args, **kwargs)
        self.fields["nature"].choices = ServiceEtat.Nature.choices
        self.fields["region"].queryset = Region.objects.order_by("slug")
        self.fields["departement"].queryset = Departement.objects.order_by("code")


class ClotureCompteForm(DsfrBaseForm):
    """Closing one's account: re-authentication and an explicit confirmation."""

    password = forms.CharField(
        label="Mot de passe",
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="Code de vérification",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text="Le code à 6 chiffres de votre application d'authentification.",
    )
    confirmation = forms.BooleanField(
        label="J'ai lu ce qui sera supprimé et ce qui sera conservé, et je clos mon compte.",
        required=True,
    )

    def __init__(self, *args, user, **kwargs):
        from allauth.mfa.models import Authenticator

        super().__init__(*args, **kwargs)
        self.user = user
        self.totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        del self.fields["password" if self.totp else "code"]
        self.fields["code" if self.totp else "password"].required = True

    def clean(self):
        data = super().clean()
        if self.totp is not None:
            from .adapter import totp_code_valid

            code = (data.get("code") or "").strip()
            if code and not totp_code_valid(self.totp, code):
                self.add_error("code", "Code de vérification incorrect.")
        elif data.get("password") and not self.user.check_password(data["password"]):
            self.add_error("password", "Mot de passe incorrect.")
        return data


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
