from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from ateliers.formats import Format
from ateliers.models import Atelier, SessionNationale
from territoires.models import Departement, Region, Territoire


class RevueFicheForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("valider", _("Valider la fiche")), ("revoir", _("Renvoyer au pilote"))],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label=_("Ce qu'il faut revoir"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("À donner pour renvoyer la fiche au pilote."),
    )


class TableauDeBordFiltres(DsfrBaseForm):
    """Filters of the national dashboard; every field optional, a bad value is ignored by
    the view (the form's errors are shown, the unfiltered figures are not)."""

    session = forms.ModelChoiceField(
        label=_("Session nationale"), queryset=SessionNationale.objects.none(), required=False
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("", _("Tous")), *Format.choices], required=False
    )
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=Region.objects.none(), required=False
    )
    departement = forms.ModelChoiceField(
        label=_("Département"), queryset=Departement.objects.none(), required=False
    )
    annee = forms.IntegerField(label=_("Année"), required=False, min_value=2000, max_value=2100)
    statut = forms.ChoiceField(
        label=_("État"), choices=[("", _("Tous")), *Atelier.Statut.choices], required=False
    )
    nature = forms.ChoiceField(
        label=_("Type de territoire"),
        choices=[("", _("Tous")), *Territoire.Nature.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = SessionNationale.objects.order_by("-annee_debut")
        self.fields["region"].queryset = Region.objects.order_by("slug")
        self.fields["departement"].queryset = Departement.objects.order_by("code")


def _lecons(help_text: str) -> forms.CharField:
    """The cross-cutting lessons DGALN writes, which open a synthesis."""
    return forms.CharField(
        label=_("Enseignements transversaux"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=help_text,
    )


class SyntheseForm(DsfrBaseForm):
    session = forms.ModelChoiceField(
        label=_("Session nationale"), queryset=SessionNationale.objects.none()
    )
    lecons = _lecons(_("Ce que la DGALN retient de la session : ils ouvrent la synthèse."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = (
            SessionNationale.objects.filter(ateliers__isnull=False)
            .distinct()
            .order_by("-annee_debut")
        )


class SyntheseSelectionForm(DsfrBaseForm):
    """The synthesis of the ateliers compared side by side (their ids, hidden)."""

    atelier = forms.ModelMultipleChoiceField(
        queryset=Atelier.objects.all(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Choisissez d'abord les ateliers à comparer."),
            "invalid_choice": _("Un des ateliers choisis n'existe plus : comparez à nouveau."),
            "invalid_pk_value": _("Un des ateliers choisis n'existe plus : comparez à nouveau."),
        },
    )
    lecons = _lecons(_("Ce que la DGALN retient de cette sélection : ils ouvrent la synthèse."))
