"""FilterSet of the DGALN audit log."""

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from atelier.forms import SelectRapide

from .models import EvenementAudit
from .selectors import libelle_action, libelle_type


def _object_types(request):
    ids = EvenementAudit.objects.values("content_type").distinct()
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


def _auteurs(request):
    ids = EvenementAudit.objects.exclude(auteur=None).values("auteur").distinct()
    return get_user_model().objects.filter(pk__in=ids).order_by("email")


def _ateliers(request):
    # Late-bound: the journal sits below the apps whose objects it records.
    return apps.get_model("ateliers", "Atelier").objects.order_by("titre").only("pk", "titre")


class JournalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Recherche"), method="search")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=[], empty_label=_("Toutes"))
    content_type = django_filters.ModelChoiceFilter(
        label=_("Type d'objet"), queryset=_object_types, empty_label=_("Tous")
    )
    auteur = django_filters.ModelChoiceFilter(
        label=_("Auteur"), queryset=_auteurs, empty_label=_("Tous")
    )
    atelier = django_filters.ModelChoiceFilter(
        label=_("Atelier"), queryset=_ateliers, empty_label=_("Tous")
    )
    du = django_filters.DateFilter(
        label=_("Du"),
        field_name="quand",
        lookup_expr="date__gte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    au = django_filters.DateFilter(
        label=_("Au"),
        field_name="quand",
        lookup_expr="date__lte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = EvenementAudit
        fields = ["q", "action", "content_type", "auteur", "atelier", "du", "au"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        actions = (
            EvenementAudit.objects.order_by("action").values_list("action", flat=True).distinct()
        )
        self.filters["action"].extra["choices"] = sorted(
            ((a, libelle_action(a)) for a in actions), key=lambda choice: choice[1]
        )
        # Object types by their French name, not Django's "app | model" label.
        self.filters["content_type"].field.label_from_instance = lambda ct: libelle_type(
            ct.model_class()
        )
        from dsfr.utils import dsfr_input_class_attr

        for bound in self.form.visible_fields():
            dsfr_input_class_attr(bound)
            widget = bound.field.widget
            if type(widget) is forms.Select:
                # Its options written in Python, not by one template each (a fifth of the page).
                rapide = SelectRapide(attrs=widget.attrs)
                rapide.choices = widget.choices
                bound.field.widget = rapide

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(objet_repr__icontains=value)
            | Q(resume__icontains=value)
            | Q(auteur_repr__icontains=value)
        )
