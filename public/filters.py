"""The lauréat filters, shared by the list, the map, the exports and the API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ateliers.formats import Format
from ateliers.models import Atelier, LaureatHistorique, SessionNationale
from territoires.models import Departement, Region, Territoire

from . import recherche

TRIS = {
    "nom": ("territoire__nom", "pk"),
    "-nom": ("-territoire__nom", "-pk"),
    "annee": ("annee", "territoire__nom", "pk"),
    "-annee": ("-annee", "territoire__nom", "pk"),
    "region": ("territoire__region__slug", "territoire__nom", "pk"),
}
# The same orders over historical lauréats (their name is the source's; their région the
# first of theirs).
TRIS_HISTORIQUES = {
    "nom": ("nom", "pk"),
    "-nom": ("-nom", "-pk"),
    "annee": ("annee", "nom", "pk"),
    "-annee": ("-annee", "nom", "pk"),
    "region": ("nom", "pk"),
}
TRI_CHOICES = [
    ("-annee", _("Les plus récents")),
    ("annee", _("Les plus anciens")),
    ("nom", _("Nom (A → Z)")),
    ("-nom", _("Nom (Z → A)")),
    ("region", _("Région")),
]
TRI_DEFAUT = "-annee"
PARAMETRES = ("q", "session", "format", "annee", "region", "departement", "statut", "theme", "tri")


class SelectRapide(forms.Select):
    """A <select> rendered in Python: Django renders one template per <option>, which
    costs milliseconds on the 101 départements of every uncached list page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        choisie = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == choisie else "", label)
                for v, label in self.choices
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


class AnneeFilter(django_filters.NumberFilter):
    """A year is a whole number: parsed as an integer, never as a decimal — turning
    ``1e99999999`` into an integer would keep the process busy for minutes."""

    field_class = forms.IntegerField


class LaureatFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Rechercher"),
        method="filtrer_texte",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ex. : littoral")}),
    )
    session = django_filters.ModelChoiceFilter(
        label=_("Session nationale"),
        queryset=SessionNationale.objects.order_by("-annee_debut", "titre"),
        to_field_name="slug",
        empty_label=_("Toutes les sessions"),
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Format.choices, empty_label=_("Tous les formats")
    )
    annee = AnneeFilter(
        label=_("Année de sélection"),
        widget=forms.NumberInput(attrs={"min": 2006, "max": 2100}),
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Région"),
        queryset=Region.objects.order_by("slug"),
        to_field_name="code",
        method="filtrer_region",
        empty_label=_("Toutes les régions"),
    )
    departement = django_filters.ModelChoiceFilter(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        method="filtrer_departement",
        empty_label=_("Tous les départements"),
    )
    statut = django_filters.ChoiceFilter(
        label=_("État de l'atelier"),
        choices=Atelier.Statut.choices,
        empty_label=_("Tous les états"),
    )
    theme = django_filters.CharFilter(label=_("Thème"), method="filtrer_theme", max_length=250)
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        choices=TRI_CHOICES,
        method="trier",
        empty_label=None,
        null_label=None,
    )

    class Meta:
        model = Atelier
        fields = ["q", "session", "format", "annee", "region", "departement", "statut", "theme"]

    def __init__(self, data=None, *args, facettes: dict | None = None, **kwargs):
        """``facettes``: precomputed option lists (see ``selectors.facettes``), so that
        rendering the form runs no query; without them, the selects read the database."""
        super().__init__(data, *args, **kwargs)
        self.form.fields["annee"].validators.append(_annee_valide)
        if facettes is not None:
            self.form.fields["theme"].widget = SelectRapide(
                choices=[("", _("Tous les thèmes")), *[(t, t) for t in facettes["themes"]]]
            )
            for nom, vide in (
                ("session", _("Toutes les sessions")),
                ("region", _("Toutes les régions")),
                ("departement", _("Tous les départements")),
            ):
                widget = self.form.fields[nom].widget
                widget.choices = [("", vide), *facettes[nom]]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for field in form.fields.values():
                if type(field.widget) is forms.Select:
                    field.widget = SelectRapide(attrs=field.widget.attrs, choices=field.choices)
            self._form = form
        return self._form

    @property
    def qs(self):
        queryset = super().qs
        # Sorting is applied last and always: ``tri`` may be absent from the query string.
        tri = self.form.cleaned_data.get("tri") if hasattr(self.form, "cleaned_data") else None
        return queryset.order_by(*TRIS.get(tri or TRI_DEFAUT, TRIS[TRI_DEFAUT]))

    def historiques(self, queryset: QuerySet[LaureatHistorique]) -> QuerySet[LaureatHistorique]:
        """The historical lauréats (``ateliers.LaureatHistorique``) that the same validated
        filters select: they belong to a national session (the Multisite format of their
        time) and have no state on the platform, so a format other than Multisite or any
        state leaves them out. Call after ``is_valid()``."""
        donnees = self.form.cleaned_data
        if donnees.get("statut") or donnees.get("format") not in (None, "", Format.MULTISITE):
            return queryset.none()
        if donnees.get("session"):
            queryset = queryset.filter(session=donnees["session"])
        if donnees.get("annee") is not None:
            queryset = queryset.filter(annee=donnees["annee"])
        if donnees.get("region"):
            queryset = queryset.filter(regions=donnees["region"])
        if donnees.get("departement"):
            queryset = queryset.filter(departements=donnees["departement"])
        if donnees.get("theme", "").strip():
            queryset = queryset.filter(session__theme__iexact=donnees["theme"].strip())
        if donnees.get("q"):
            queryset = recherche.filtrer(queryset, donnees["q"], recherche.CHAMPS_HISTORIQUES)
        tri = donnees.get("tri") or TRI_DEFAUT
        return queryset.order_by(*TRIS_HISTORIQUES[tri])

    def erreurs(self) -> dict[str, list[str]]:
        """The validation errors as the API and the exports report them: field → messages."""
        return {
            champ: [e["message"] for e in liste]
            for champ, liste in self.errors.get_json_data().items()
        }

    def filtrer_texte(self, queryset, name, value):
        return recherche.filtrer(queryset, value)

    def filtrer_region(self, queryset, name, value):
        # A territory across a région border (an EPCI in two régions) is in each of them:
        # its main région, or any région one of its départements lies in.
        lien = Territoire.departements.through.objects.filter(
            territoire_id=OuterRef("territoire_id"), departement__region_id=value.pk
        )
        return queryset.filter(Q(territoire__region_id=value.pk) | Exists(lien))

    def filtrer_departement(self, queryset, name, value):
        lien = Territoire.departements.through.objects.filter(
            territoire_id=OuterRef("territoire_id"), departement_id=value.pk
        )
        return queryset.filter(Exists(lien))

    def filtrer_theme(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(theme__iexact=value) | Q(session__theme__iexact=value))

    def trier(self, queryset, name, value):
        return queryset  # applied in ``qs``


def _annee_valide(value):
    if value is None:
        return
    if not 2000 <= value <= 2100:
        # The code and the limit let the API word it as it words any bound.
        trop_tot = value < 2000
        raise forms.ValidationError(
            _("Indiquez une année entre 2000 et 2100."),
            code="min_value" if trop_tot else "max_value",
            params={"limit_value": 2000 if trop_tot else 2100},
        )
