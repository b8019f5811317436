"""FilterSets of the atelier workspace (logbook) and of the DGALN overview of ateliers."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from atelier.forms import SelectRapide, lire_les_choix
from ateliers.formats import Format
from ateliers.models import Atelier, EntreeJournal, Etape, SessionNationale
from ateliers.selectors import retard_q
from territoires.models import Departement, Region

OUI_NON = [("oui", _("Oui")), ("non", _("Non"))]

# A session select drawn from rows (atelier.forms.lire_les_choix), each labelled by
# SessionNationale.__str__ on an unsaved instance of the columns it reads.
CHOIX_SESSION = (
    "session",
    ("pk", "titre", "annee_debut", "annee_fin"),
    lambda pk, titre, debut, fin: str(
        SessionNationale(titre=titre, annee_debut=debut, annee_fin=fin)
    ),
)


class GestionAteliersFilter(django_filters.FilterSet):
    session = django_filters.ModelChoiceFilter(
        label=_("Session nationale"),
        queryset=SessionNationale.objects.order_by("-annee_debut"),
        empty_label=_("Toutes"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Format.choices, empty_label=_("Tous")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"),
        field_name="territoire__region",
        queryset=Region.objects.order_by("slug"),
        empty_label=_("Toutes"),
    )
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"),
        field_name="territoire__departements",
        queryset=Departement.objects.order_by("code"),
        empty_label=_("Tous"),
        distinct=True,
    )
    statut = django_filters.ChoiceFilter(
        label=_("État"), choices=Atelier.Statut.choices, empty_label=_("Tous")
    )
    en_retard = django_filters.ChoiceFilter(
        label=_("En retard"), choices=OUI_NON, empty_label=_("Indifférent"), method="filtrer_retard"
    )
    livrables_manquants = django_filters.ChoiceFilter(
        label=_("Livrables manquants"),
        choices=OUI_NON,
        empty_label=_("Indifférent"),
        method="filtrer_manquants",
    )

    class Meta:
        model = Atelier
        fields = ["session", "format", "region", "departement", "statut"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels as SessionNationale.__str__, Region.__str__ and Departement.__str__ write them.
        lire_les_choix(
            self.form,
            CHOIX_SESSION,
            ("region", ("pk", "nom"), lambda pk, nom: nom),
            ("departement", ("pk", "code", "nom"), lambda pk, code, nom: f"{nom} ({code})"),
        )

    def filtrer_retard(self, queryset, name, value):
        if value == "oui":
            return queryset.filter(retard_q())
        if value == "non":
            return queryset.exclude(retard_q())
        return queryset

    def filtrer_manquants(self, queryset, name, value):
        if value == "oui":
            return queryset.filter(a_livrables_manquants=True)
        if value == "non":
            return queryset.filter(a_livrables_manquants=False)
        return queryset


class JournalFilter(django_filters.FilterSet):
    etape = django_filters.ModelChoiceFilter(
        label=_("Étape"), queryset=Etape.objects.none(), empty_label=_("Toutes")
    )
    auteur = django_filters.ChoiceFilter(label=_("Auteur"), choices=[], empty_label=_("Tous"))

    class Meta:
        model = EntreeJournal
        fields = ["etape", "auteur"]

    def __init__(self, *args, atelier: Atelier, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["etape"].queryset = Etape.objects.filter(atelier=atelier)
        auteurs = (
            EntreeJournal.objects.filter(atelier=atelier, auteur__isnull=False)
            .values_list("auteur_id", "auteur__first_name", "auteur__last_name", "auteur__email")
            # Without this order_by the model's ordering (date, cree_le) joins the DISTINCT
            # and a person appears once per entry.
            .order_by("auteur__last_name", "auteur__first_name", "auteur_id")
            .distinct()
        )
        self.filters["auteur"].extra["choices"] = [
            (str(pk), f"{prenom} {nom}".strip() or email) for pk, prenom, nom, email in auteurs
        ]


def dsfr_selects(form: forms.Form) -> forms.Form:
    """Give django-filter's selects the DSFR class (they are rendered by hand), each drawn by
    one template rather than one per option (a filter of a hundred départements)."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.Select):
            if type(field.widget) is forms.Select:
                rapide = SelectRapide(attrs=field.widget.attrs)
                rapide.choices = field.widget.choices
                field.widget = rapide
            field.widget.attrs["class"] = "fr-select"
    return form
