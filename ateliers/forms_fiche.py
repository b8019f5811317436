"""The form of the fiche de capitalisation: the shape of the input only."""

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from .models import FicheCapitalisation


def _texte(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FicheCapitalisationForm(DsfrBaseForm):
    reussites = _texte(_("Ce qui a fonctionné"), _("Méthodes, moments, alliances qui ont porté."))
    obstacles = _texte(_("Obstacles rencontrés"), _("Et comment ils ont été levés, ou pas."))
    conditions_reussite = _texte(
        _("Conditions de réussite"),
        _("Ce qu'il faut réunir pour qu'un autre territoire réussisse."),
    )
    pratiques_transferables = _texte(
        _("Pratiques transférables"), _("Ce qu'un autre atelier peut reprendre tel quel.")
    )
    themes = forms.CharField(
        label=_("Thèmes"),
        max_length=300,
        required=False,
        help_text=_("Séparés par des virgules, par exemple « revitalisation, mobilités »."),
    )
    echelle = forms.ChoiceField(
        label=_("Échelle du projet"), choices=FicheCapitalisation.Echelle.choices
    )
