"""Forms of the roadmap: the shape of the input only; business rules live in services."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from acteurs.models import Organisation
from acteurs.selectors import organisations_search
from acteurs.services import NATURES_AJOUTABLES
from atelier.forms import ChoixMultiplesField

from .models import (
    Action,
    Financeur,
    Indicateur,
    PriseEnCompte,
    Qualite,
    StatutFinancement,
    StatutSuivi,
    Unite,
)


class FeuilleForm(DsfrBaseForm):
    titre = forms.CharField(label=_("Titre"), max_length=250)
    preambule = forms.CharField(
        label=_("Préambule"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class AxeForm(DsfrBaseForm):
    titre = forms.CharField(label=_("Titre de l'axe"), max_length=250)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


AUCUN_PORTEUR = _("Aucun porteur")


class ActionForm(DsfrBaseForm):
    """An action; its funding lines are the :data:`FinancementFormSet` beside it."""

    axe = forms.ModelChoiceField(label=_("Axe"), queryset=None, empty_label=None)
    titre = forms.CharField(label=_("Titre de l'action"), max_length=250)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    # Porteur and partenaires are searched among ~200 organisations: the form offers the
    # ones chosen plus the matches of their search field (``porteur_q``, ``partenaires_q``),
    # searched on the server by the « Rechercher » button, as one types by static/js/lieux.js.
    porteur = forms.ModelChoiceField(
        label=_("Porteur"),
        queryset=Organisation.objects.order_by("nom"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_("L'organisation qui porte l'action."),
    )
    porteur_q = forms.CharField(
        label=_("Rechercher le porteur"),
        required=False,
        max_length=100,
        help_text=_("Une partie du nom, au moins 2 lettres."),
    )
    partenaires = ChoixMultiplesField(
        label=_("Partenaires"),
        queryset=Organisation.objects.order_by("nom"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochez les organisations partenaires de l'action."),
    )
    partenaires_q = forms.CharField(
        label=_("Rechercher un partenaire"),
        required=False,
        max_length=100,
        help_text=_("Une partie du nom, au moins 2 lettres."),
    )
    # An organisation missing from the list, added from the form (audited).
    organisation_nom = forms.CharField(
        label=_("Nom de l'organisation à ajouter"), required=False, max_length=200
    )
    organisation_nature = forms.ChoiceField(
        label=_("Nature"),
        required=False,
        choices=[("", _("Sélectionner une nature"))]
        + [(n, label) for n, label in Organisation.Nature.choices if n in NATURES_AJOUTABLES],
    )
    # Not the action's own fields: the searches and the organisation to add.
    AUXILIAIRES = ("porteur_q", "partenaires_q", "organisation_nom", "organisation_nature")
    echeance = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cout_estime = forms.DecimalField(
        label=_("Coût estimé (€)"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    indicateurs = forms.CharField(
        label=_("Indicateurs de suivi"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    site = forms.ModelChoiceField(label=_("Site démonstrateur"), queryset=None, required=False)
    priorite = forms.ChoiceField(label=_("Priorité"), choices=Action.Priorite.choices)

    def __init__(self, *args, feuille, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axe"].queryset = feuille.axes.order_by("ordre", "id")
        self.fields["site"].queryset = feuille.atelier.sites_demonstrateurs.order_by("nom")
        for name in ("porteur", "partenaires"):
            self.fields[name].widget.choices = self._choix_organisations(name)

    def _choix_organisations(self, name: str) -> list[tuple[str, str]]:
        """The organisations chosen, then the matches of the field's search."""
        source = self.data if self.is_bound else self.initial
        valeurs = source.getlist(name) if hasattr(source, "getlist") else source.get(name)
        if not isinstance(valeurs, (list, tuple)):
            valeurs = [valeurs]
        ids = [int(v) for v in valeurs if str(v).isdigit() and int(v) < 2**31]
        organisations = list(Organisation.objects.filter(pk__in=ids).order_by("nom"))
        vus = {o.pk for o in organisations}
        recherche = (source.get(f"{name}_q") or "").strip()
        organisations += [o for o in organisations_search(recherche) if o.pk not in vus]
        choix = [(str(o.pk), f"{o.nom} ({o.get_nature_display()})") for o in organisations]
        if name == "porteur":
            choix.insert(0, ("", str(AUCUN_PORTEUR)))
        return choix

    @staticmethod
    def initial_for(action: Action) -> dict:
        return {
            "axe": action.axe_id,
            "titre": action.titre,
            "description": action.description,
            "porteur": action.porteur_id,
            "partenaires": list(action.partenaires.values_list("pk", flat=True)),
            "echeance": action.echeance,
            "cout_estime": action.cout_estime,
            "indicateurs": action.indicateurs,
            "site": action.site_id,
            "priorite": action.priorite,
        }


class MontantField(forms.DecimalField):
    """An amount in euros as people type it: « 120 000,50 », « 3000 € »."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(min_value=0, max_digits=14, decimal_places=2, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value

    def to_python(self, value):
        if isinstance(value, str):
            for char in ("\u202f", "\xa0", " ", "€"):
                value = value.replace(char, "")
            value = value.replace(",", ".")
        return super().to_python(value)


class FinancementForm(DsfrBaseForm):
    """One funding line; a line left entirely empty is ignored (the formset's spare rows)."""

    financeur = forms.ChoiceField(
        label=_("Financeur"), choices=[("", _("Choisir un financeur")), *Financeur.choices]
    )
    # Its help is said once, in the legend of the lines (templates/…/action_form.html).
    libelle = forms.CharField(label=_("Précision"), max_length=250, required=False)
    montant = MontantField(label=_("Montant (€)"))
    statut = forms.ChoiceField(
        label=_("Statut"), choices=StatutFinancement.choices, initial=StatutFinancement.ENVISAGE
    )

    def has_changed(self) -> bool:
        # The status has a default: a spare row with only the status set is still empty.
        return any(
            self[name].value() not in (None, "") for name in ("financeur", "libelle", "montant")
        ) or bool(self.initial)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("financeur") == Financeur.AUTRE and not data.get("libelle", "").strip():
            self.add_error("libelle", _("Nommez le financeur choisi comme « Autre »."))
        return data

    @staticmethod
    def initial_for(action: Action) -> list[dict]:
        return [
            {
                "financeur": f.financeur,
                "libelle": f.libelle,
                "montant": f.montant,
                "statut": f.statut,
            }
            for f in action.financements.all()
        ]


class BaseFinancementFormSet(forms.BaseFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Supprimer cette ligne")

    def lignes(self) -> list[dict]:
        """The lines kept: filled in and not marked for removal."""
        return [
            {k: form.cleaned_data[k] for k in ("financeur", "libelle", "montant", "statut")}
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


# Three spare rows: a line is added without JavaScript by filling one and saving.
FinancementFormSet = forms.formset_factory(
    FinancementForm, formset=BaseFinancementFormSet, extra=3, can_delete=True, max_num=50
)


class EnvoiSignatureForm(DsfrBaseForm):
    elus = forms.MultipleChoiceField(
        label=_("Élu·es signataires"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    etat = forms.MultipleChoiceField(
        label=_("Représentant·es de l'État signataires"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    signer_avant = forms.DateField(
        label=_("À signer avant le"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Facultatif. Les signataires voient cette date ; un rappel leur est envoyé "
            "deux jours avant, et la signature apparaît « en retard » après."
        ),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {}
        for field, qualite in (("elus", Qualite.ELU), ("etat", Qualite.ETAT)):
            choices = []
            for participation in candidates[qualite]:
                user = participation.acteur.utilisateur
                self.users[str(user.pk)] = user
                label = f"{participation.acteur} — {participation.get_role_display()}"
                if participation.acteur.organisation:
                    label += f" ({participation.acteur.organisation.nom})"
                choices.append((str(user.pk), label))
            self.fields[field].choices = choices

    def clean_signer_avant(self):
        value = self.cleaned_data.get("signer_avant")
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError(_("Choisissez une date à venir."))
        return value

    def signataires(self) -> list:
        return [(self.users[i], Qualite.ELU) for i in self.cleaned_data["elus"]] + [
            (self.users[i], Qualite.ETAT) for i in self.cleaned_data["etat"]
        ]


class SignatureForm(DsfrBaseForm):
    # No capacity field: it comes from the vetted profile or the vouched mandate.
    password = forms.CharField(
        label=_("Mot de passe"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Saisissez à nouveau votre mot de passe pour confirmer votre signature."),
    )
    code = forms.CharField(
        label=_("Code de vérification"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Le code à 6 chiffres de votre application d'authentification."),
    )
    confirmation = forms.BooleanField(
        label=_("J'ai lu la feuille de route ci-dessus et je la signe."), required=True
    )

    def __init__(self, *args, mfa: bool, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["password" if mfa else "code"]
        self.fields["code" if mfa else "password"].required = True


class DeliberationForm(DsfrBaseForm):
    reference = forms.CharField(
        label=_("Référence de la délibération"), max_length=200, required=False
    )
    date = forms.DateField(
        label=_("Date de la délibération"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PointSuiviForm(DsfrBaseForm):
    etat = forms.ChoiceField(label=_("État"), choices=StatutSuivi.choices)
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    pourcentage = forms.IntegerField(
        label=_("Avancement (%)"), required=False, min_value=0, max_value=100
    )
    commentaire = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 3}))


class VerifierForm(forms.Form):
    empreinte = forms.CharField(label=_("Empreinte SHA-256"), max_length=200)


# --- Indicators (issue 17): values are typed as text, the service checks them in the unit ---


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class IndicateurForm(DsfrBaseForm):
    """An indicator of the national catalogue (DGALN)."""

    nom = forms.CharField(label=_("Nom"), max_length=200)
    definition = forms.CharField(label=_("Définition"), widget=forms.Textarea(attrs={"rows": 3}))
    unite = forms.ChoiceField(label=_("Unité"), choices=Unite.choices)
    source = forms.CharField(label=_("Source des données"), max_length=250, required=False)
    periodicite = forms.ChoiceField(label=_("Périodicité"), choices=Indicateur.Periodicite.choices)
    sens = forms.ChoiceField(label=_("Sens souhaité"), choices=Indicateur.Sens.choices)
    themes = forms.CharField(
        label=_("Thèmes"),
        max_length=300,
        required=False,
        help_text=_("Séparés par des virgules, par exemple « habitat, sobriété foncière »."),
    )
    cible_nationale = forms.DecimalField(
        label=_("Cible nationale"), required=False, max_digits=16, decimal_places=3
    )
    actif = forms.BooleanField(label=_("Proposé dans le catalogue"), required=False)


class IndicateurActionForm(DsfrBaseForm):
    """Follow an indicator on an action: a catalogue one, or a local one described here."""

    indicateur = forms.ModelChoiceField(
        label=_("Indicateur du catalogue national"),
        queryset=Indicateur.objects.filter(local=False, actif=True).order_by("nom"),
        required=False,
    )
    nouveau_nom = forms.CharField(
        label=_("Ou un indicateur local : nom"),
        max_length=200,
        required=False,
        help_text=_("Seulement si aucun indicateur du catalogue ne convient."),
    )
    nouvelle_unite = forms.ChoiceField(
        label=_("Unité de l'indicateur local"),
        choices=[("", "—"), *Unite.choices],
        required=False,
    )
    nouvelle_definition = forms.CharField(
        label=_("Définition de l'indicateur local"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    valeur_initiale = forms.CharField(label=_("Valeur de référence"), max_length=50, required=False)
    date_initiale = _date_field(_("Date de la valeur de référence"), required=False)
    valeur_cible = forms.CharField(label=_("Valeur cible"), max_length=50, required=False)
    date_cible = _date_field(_("Échéance de la cible"), required=False)


class MesureForm(DsfrBaseForm):
    date = _date_field(_("Date de la mesure"))
    valeur = forms.CharField(
        label=_("Valeur"),
        max_length=50,
        help_text=_("Un nombre dans l'unité de l'indicateur, par exemple « 12,5 »."),
    )
    source = forms.CharField(label=_("Source"), max_length=250, required=False)
    commentaire = forms.CharField(
        label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ConsultationForm(DsfrBaseForm):
    cloture = forms.DateField(
        label=_("Date de clôture"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Les réactions sont reçues jusqu'à la fin de ce jour."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Rôles invités à réagir"),
        widget=forms.CheckboxSelectMultiple,
        choices=[],
    )

    def __init__(self, *args, **kwargs):
        from acteurs.models import Role

        from .permissions import COMMENTING_ROLES

        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(r, Role(r).label) for r in COMMENTING_ROLES]
        self.fields["roles"].initial = list(COMMENTING_ROLES)


class CommentaireForm(DsfrBaseForm):
    texte = forms.CharField(
        label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ReponseForm(DsfrBaseForm):
    prise_en_compte = forms.ChoiceField(
        label=_("Prise en compte"), choices=PriseEnCompte.choices, widget=forms.RadioSelect
    )
    reponse = forms.CharField(
        label=_("Réponse et motif"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class MasquageForm(DsfrBaseForm):
    motif = forms.CharField(label=_("Motif du masquage (lu par l'auteur)"), max_length=1000)
