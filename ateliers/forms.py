"""Forms of the atelier workspace. They check the shape of input; services check the rules."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from acteurs.models import Participation
from atelier import uploads
from atelier.dates import format_date
from atelier.forms import ChoixMultiplesField, SelectRapide
from ateliers.models import Atelier, Document, Etape
from territoires.geo import parse_geojson, validate_point


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class UploadInput(forms.FileInput):
    """The DSFR upload field (``fr-upload``), restricted to the accepted extensions."""

    group_class = "fr-upload-group"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "fr-upload", "accept": uploads.ACCEPT_ATTRIBUTE, **(attrs or {})}
        )


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class EtapePlanifierForm(DsfrBaseForm):
    debut = forms.DateTimeField(
        label=_("Début"),
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        help_text=_("Date et heure, heure de Paris."),
    )
    fin = forms.DateTimeField(
        label=_("Fin"),
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Facultatif : trois heures après le début si vide."),
    )
    lieu = forms.CharField(label=_("Lieu"), max_length=250, required=False)

    def clean(self):
        data = super().clean()
        debut, fin = data.get("debut"), data.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", _("La fin précède le début : vérifiez les deux dates."))
        return data


class InterAtelierForm(EtapePlanifierForm):
    titre = forms.CharField(
        label=_("Intitulé"), max_length=250, help_text=_("Par exemple : « Visite des sites »")
    )
    field_order = ["titre", "debut", "fin", "lieu"]


class EtapeAnnulerForm(DsfrBaseForm):
    motif = forms.CharField(
        label=_("Motif de l'annulation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Il est communiqué aux participants."),
    )


class EtapeReplanifierForm(EtapePlanifierForm):
    """Put a cancelled stage back on the calendar. Its date may be kept when it is still to
    come; a past or missing date must be replaced (``etape`` tells which)."""

    def __init__(self, *args, etape: Etape, **kwargs):
        super().__init__(*args, **kwargs)
        debut = self.fields["debut"]
        aide = None
        if etape.debut is None:
            debut.error_messages["required"] = _("Indiquez la date à laquelle l'étape aura lieu.")
        elif etape.debut < timezone.now():
            debut.error_messages["required"] = _(
                "La date prévue est passée : indiquez une nouvelle date."
            )
            aide = _("La date prévue (%(date)s) est passée : choisissez-en une autre.") % {
                "date": format_date(etape.debut, "SHORT_DATETIME_FORMAT")
            }
        else:
            debut.required = False
            aide = _("Laissez la date prévue, ou choisissez-en une autre.")
        if aide:
            # The DSFR form has already bound its fields: the help shown is the bound field's.
            debut.help_text = self["debut"].help_text = aide


class EtapeRealiserForm(DsfrBaseForm):
    resume = forms.CharField(
        label=_("Synthèse de la séance"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class ParticipationChoiceField(ChoixMultiplesField):
    def label_from_instance(self, obj: Participation) -> str:
        organisation = f" — {obj.acteur.organisation}" if obj.acteur.organisation else ""
        return f"{obj.acteur} ({obj.get_role_display()}){organisation}"


class PresencesForm(DsfrBaseForm):
    presents = ParticipationChoiceField(
        label=_("Personnes présentes"),
        queryset=Participation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, participations, presents_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["presents"]
        field.queryset = Participation.objects.filter(pk__in=[p.pk for p in participations])
        # Reuse the list already loaded so rendering makes no query per person.
        field.choices = [(p.pk, field.label_from_instance(p)) for p in participations]
        if not self.is_bound:
            self.initial["presents"] = list(presents_ids)


class DocumentForm(DsfrBaseForm):
    fichier = forms.FileField(
        label=_("Fichier"),
        help_text=_("Formats acceptés : %(formats)s.") % {"formats": uploads.FORMATS_ACCEPTES},
        widget=UploadInput(),
    )
    titre = forms.CharField(label=_("Titre"), max_length=250)
    # The stage and deliverable selects list every stage of the atelier (forty in a large
    # one, and their deliverables): one template per option was most of the documents page.
    categorie = forms.ChoiceField(
        label=_("Catégorie"), choices=Document.Categorie.choices, widget=SelectRapide
    )
    etape = forms.ModelChoiceField(
        label=_("Étape"),
        queryset=Etape.objects.none(),
        required=False,
        empty_label=_("Aucune"),
        widget=SelectRapide,
    )
    livrable = forms.ChoiceField(
        label=_("Livrable fourni"), required=False, choices=[], widget=SelectRapide
    )

    def __init__(self, *args, atelier: Atelier, etapes=(), livrable_initial=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etape"].queryset = Etape.objects.filter(atelier=atelier)
        self.fields["etape"].choices = [("", _("Aucune"))] + [(e.pk, str(e)) for e in etapes]
        choix = [("", _("Aucun"))]
        self.livrables = {}
        for etape in etapes:
            for livrable in etape.livrables.all():
                self.livrables[str(livrable.pk)] = livrable
                etat = _("fourni") if livrable.fourni else _("à fournir")
                choix.append(
                    (str(livrable.pk), f"{etape} — {livrable.get_nature_display()} ({etat})")
                )
        self.fields["livrable"].choices = choix
        if livrable_initial is not None:
            self.initial["livrable"] = str(livrable_initial.pk)
            self.initial["etape"] = livrable_initial.etape_id

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        uploads.check_upload(fichier)
        return fichier

    def clean_livrable(self):
        valeur = self.cleaned_data.get("livrable")
        return self.livrables.get(valeur) if valeur else None


class NouvelleVersionForm(DsfrBaseForm):
    fichier = forms.FileField(
        label=_("Nouvelle version du fichier"),
        help_text=_("Les versions précédentes restent consultables."),
        widget=UploadInput(),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        uploads.check_upload(fichier)
        return fichier


class JournalForm(DsfrBaseForm):
    date = forms.DateField(label=_("Date"), widget=DateInput(), input_formats=DATE_FORMATS)
    etape = forms.ModelChoiceField(
        label=_("Étape concernée"),
        queryset=Etape.objects.none(),
        required=False,
        empty_label=_("Aucune"),
    )
    texte = forms.CharField(
        label=_("Texte"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        help_text=_("Mise en forme Markdown : **gras**, *italique*, listes, liens."),
    )

    def __init__(self, *args, atelier: Atelier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["etape"].queryset = Etape.objects.filter(atelier=atelier)
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())


class JournalRetraitForm(DsfrBaseForm):
    motif = forms.CharField(
        label=_("Motif du retrait"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Il reste affiché à la place de l'entrée, avec la date du retrait."),
    )


class SiteForm(DsfrBaseForm):
    nom = forms.CharField(label=_("Nom du site"), max_length=250)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    geometrie = forms.CharField(
        label=_("Géométrie (GeoJSON)"),
        widget=forms.HiddenInput(attrs={"data-geo-widget": "1"}),
        required=False,
    )
    # Without a mouse (or without JavaScript) a point can be typed instead of drawn.
    latitude = forms.CharField(
        label=_("Latitude"), required=False, help_text=_("Par exemple 48,4523")
    )
    longitude = forms.CharField(
        label=_("Longitude"), required=False, help_text=_("Par exemple -2,9347")
    )

    def clean_geometrie(self):
        texte = self.cleaned_data.get("geometrie") or ""
        if not texte.strip():
            return None
        try:
            brut = json.loads(texte)
        except ValueError:
            raise ValidationError(
                _("La géométrie n'est pas du GeoJSON valide : redessinez le site sur la carte.")
            ) from None
        # A drawn layer arrives as a Feature; keep its geometry.
        if isinstance(brut, dict) and brut.get("type") == "Feature":
            brut = brut.get("geometry")
        return parse_geojson(brut)

    def clean(self):
        data = super().clean()
        if data.get("geometrie") or self.has_error("geometrie"):
            return data
        lat, lon = data.get("latitude"), data.get("longitude")
        if not lat and not lon:
            raise ValidationError(
                _(
                    "Dessinez le site sur la carte (un point ou un périmètre) "
                    "ou saisissez la latitude et la longitude d'un point."
                )
            )
        lat_f, lon_f = validate_point(lat, lon)
        data["geometrie"] = {"type": "Point", "coordinates": [lon_f, lat_f]}
        return data


class EquipeForm(DsfrBaseForm):
    equipe_nom = forms.CharField(
        label=_("Équipe pluridisciplinaire"), max_length=250, required=False
    )
    contrat_debut = forms.DateField(
        label=_("Début du contrat"), widget=DateInput(), input_formats=DATE_FORMATS, required=False
    )
    contrat_fin = forms.DateField(
        label=_("Fin du contrat"), widget=DateInput(), input_formats=DATE_FORMATS, required=False
    )

    def clean(self):
        data = super().clean()
        debut, fin = data.get("contrat_debut"), data.get("contrat_fin")
        if debut and fin and fin < debut:
            self.add_error("contrat_fin", _("La fin du contrat précède son début."))
        return data
