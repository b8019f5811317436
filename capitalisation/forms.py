from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm


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
        help_text=_("Obligatoire pour renvoyer la fiche au pilote."),
    )
