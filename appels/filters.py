"""The back-office candidatures list: filters, search and sorting."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appels.forms import COLONNES_COMPTE, libelle_compte
from appels.models import AppelACandidatures, Candidature
from atelier.forms import lire_les_choix
from ateliers.filters import CHOIX_SESSION, dsfr_selects
from ateliers.formats import Format
from ateliers.models import SessionNationale
from territoires.models import Departement, Region


class CandidatureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="search")
    statut = django_filters.ChoiceFilter(
        label=_("État"),
        choices=[c for c in Candidature.Statut.choices if c[0] != Candidature.Statut.BROUILLON],
        empty_label=_("Tous"),
    )
    session = django_filters.ModelChoiceFilter(
        label=_("Session"),
        field_name="appel__session",
        queryset=SessionNationale.objects.filter(appels__isnull=False).distinct(),
        empty_label=_("Toutes"),
    )
    appel = django_filters.ModelChoiceFilter(
        label=_("Appel"), queryset=AppelACandidatures.objects.all(), empty_label=_("Tous")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format demandé"),
        field_name="format_demande",
        choices=Format.choices,
        empty_label=_("Tous"),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"),
        queryset=Region.objects.order_by("slug"),
        to_field_name="code",
        empty_label=_("Toutes"),
    )
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("Tous"),
    )
    rapporteur = django_filters.ModelChoiceFilter(
        label=_("Rapporteur"),
        field_name="rapporteurs",
        queryset=get_user_model()
        .objects.filter(candidatures_a_instruire__isnull=False)
        .distinct()
        .order_by("last_name"),
        empty_label=_("Tous"),
    )

    class Meta:
        model = Candidature
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if not isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "fr-input"
        dsfr_selects(self.form)
        # Labels as Region.__str__, Departement.__str__, AppelACandidatures.__str__; a session's
        # and a reviewer's through their own __str__, on an unsaved instance of the columns it
        # reads (the two lists as model instances, every column, were a tenth of the page).
        lire_les_choix(
            self.form,
            ("region", ("code", "nom"), lambda code, nom: nom),
            ("departement", ("code", "nom"), lambda code, nom: f"{nom} ({code})"),
            ("appel", ("pk", "titre"), lambda pk, titre: titre),
            CHOIX_SESSION,
            ("rapporteur", COLONNES_COMPTE, libelle_compte),
        )

    def search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(territoire_nom__icontains=value)
            | Q(porteur__icontains=value)
            | Q(contact_etat_nom__icontains=value)
            | Q(contact_etat_email__icontains=value)
            | Q(auteur__email__icontains=value)
            | Q(resume__icontains=value)
        )
