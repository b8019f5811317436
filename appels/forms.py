"""Forms for sessions, calls, candidatures and their instruction. They check the shape of the
input; the services in ``appels.services`` check the business rules."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm
from dsfr.widgets import InlineRadioSelect

from acteurs.models import DGALN_GROUP, AgentEtat
from appels.models import AppelACandidatures, Question
from appels.services import formats_possibles
from atelier.forms import ChoixMultiplesField, lire_les_choix
from atelier.uploads import ACCEPT_ATTRIBUTE, FORMATS_ACCEPTES
from ateliers.formats import Format
from ateliers.models import SessionNationale
from territoires.geo import validate_point
from territoires.models import EPCI, Commune, Departement, Region, Territoire
from territoires.referentiel import lieux_search

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(DsfrBaseForm):
    titre = forms.CharField(label=_("Titre"), max_length=250)
    theme = forms.CharField(label=_("Thème"), max_length=250, required=False)
    annee_debut = forms.IntegerField(label=_("Année de début"), min_value=2000, max_value=2100)
    annee_fin = forms.IntegerField(
        label=_("Année de fin"), min_value=2000, max_value=2100, required=False
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        debut, fin = data.get("annee_debut"), data.get("annee_fin")
        if debut and fin and fin < debut:
            self.add_error("annee_fin", _("L'année de fin précède l'année de début."))
        return data


class AppelForm(DsfrBaseForm):
    titre = forms.CharField(label=_("Titre"), max_length=250)
    nature = forms.ChoiceField(label=_("Nature"), choices=AppelACandidatures.Nature.choices)
    session = forms.ModelChoiceField(
        label=_("Session nationale"),
        queryset=SessionNationale.objects.filter(est_historique=False),
        required=False,
        help_text=_("À choisir pour un AMI de session nationale."),
    )
    description = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    eligibilite = forms.CharField(
        label=_("Conditions d'éligibilité"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    ouverture = forms.DateTimeField(label=_("Ouverture (heure de Paris)"), widget=DATETIME_WIDGET)
    cloture = forms.DateTimeField(
        label=_("Clôture (heure de Paris)"),
        widget=DATETIME_WIDGET,
        required=False,
        help_text=_("Vide pour l'appel « à la carte » au fil de l'eau."),
    )

    def clean(self):
        data = super().clean()
        nature = data.get("nature")
        if nature == AppelACandidatures.Nature.SESSION:
            if not data.get("session"):
                self.add_error("session", _("Choisissez la session nationale de cet AMI."))
            if not data.get("cloture") and "cloture" not in self.errors:
                self.add_error("cloture", _("Un AMI de session a une date de clôture."))
        ouverture, cloture = data.get("ouverture"), data.get("cloture")
        if ouverture and cloture and cloture <= ouverture:
            self.add_error("cloture", _("La clôture doit suivre l'ouverture."))
        return data


class QuestionForm(DsfrBaseForm):
    prefix = "question"
    libelle = forms.CharField(label=_("Question"), max_length=500)
    aide = forms.CharField(label=_("Texte d'aide"), required=False, widget=forms.Textarea)
    type = forms.ChoiceField(label=_("Type de réponse"), choices=Question.Type.choices)
    choix = forms.CharField(
        label=_("Choix proposés (un par ligne)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    obligatoire = forms.BooleanField(label=_("Exiger une réponse"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        choix = [c.strip() for c in (data.get("choix") or "").splitlines() if c.strip()]
        if data.get("type") == Question.Type.CHOIX and len(choix) < 2:
            self.add_error("choix", _("Proposez au moins deux choix, un par ligne."))
        data["choix"] = choix if data.get("type") == Question.Type.CHOIX else []
        return data


class PieceRequiseForm(DsfrBaseForm):
    prefix = "piece"
    libelle = forms.CharField(label=_("Pièce demandée"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False)
    obligatoire = forms.BooleanField(label=_("Exiger cette pièce"), required=False, initial=True)


class CritereForm(DsfrBaseForm):
    prefix = "critere"
    libelle = forms.CharField(label=_("Critère d'évaluation"), max_length=300)
    poids = forms.IntegerField(
        label=_("Poids"),
        min_value=1,
        max_value=10,
        initial=1,
        help_text=_("Coefficient de 1 à 10 dans la note pondérée. Fixé dès le premier avis."),
    )


class DocumentAppelForm(DsfrBaseForm):
    """A file of the call (cahier des charges, règlement…); the service checks its content."""

    prefix = "document"
    titre = forms.CharField(
        label=_("Titre du document"),
        max_length=250,
        help_text=_("Par exemple : Cahier des charges de l'appel."),
    )
    # Empty files reach check_upload, whose message names the file.
    fichier = forms.FileField(
        label=_("Fichier"),
        allow_empty_file=True,
        help_text=_("Formats acceptés : %(f)s.") % {"f": FORMATS_ACCEPTES},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE, "class": "fr-upload"}),
    )


def _libelles_de_lieux(valeurs: list[str]) -> list[tuple[str, str]]:
    """(value, label) of chosen places, in the order given; unknown values are dropped."""
    codes = {v.split(":", 1)[1] for v in valeurs if ":" in v}
    libelles = {
        f"commune:{c.code}": f"{c.nom} — {c.departement.nom} ({c.departement.code})"
        for c in Commune.objects.filter(code__in=codes).select_related("departement")
    }
    libelles |= {
        f"epci:{e.siren}": f"{e.nom} — {e.get_nature_display()}"
        for e in EPCI.objects.filter(siren__in=codes)
    }
    return [(v, libelles[v]) for v in dict.fromkeys(valeurs) if v in libelles]


def question_field_name(question: Question) -> str:
    return f"q_{question.pk}"


class Emplacement:
    """An upload slot of the candidature form: a required piece, a file question, or
    « Autre document ». ``name`` is the form field (``piece_p<pk>``, ``piece_q<pk>``,
    ``piece_autre``), also the anchor the error summary links to."""

    def __init__(self, *, name, libelle, obligatoire, piece_requise=None, question=None):
        self.name = name
        self.libelle = libelle
        self.obligatoire = obligatoire
        self.piece_requise = piece_requise
        self.question = question

    def accepte(self, piece) -> bool:
        if self.piece_requise is not None:
            return piece.piece_requise_id == self.piece_requise.pk
        if self.question is not None:
            return piece.question_id == self.question.pk
        return piece.piece_requise_id is None and piece.question_id is None


def emplacements(appel: AppelACandidatures) -> list[Emplacement]:
    slots = [
        Emplacement(
            name=f"piece_p{p.pk}", libelle=p.libelle, obligatoire=p.obligatoire, piece_requise=p
        )
        for p in appel.pieces_requises.all()
    ]
    slots += [
        Emplacement(name=f"piece_q{q.pk}", libelle=q.libelle, obligatoire=q.obligatoire, question=q)
        for q in appel.questions.all()
        if q.type == Question.Type.FICHIER
    ]
    slots.append(Emplacement(name="piece_autre", libelle=_("Autre document"), obligatoire=False))
    return slots


class _RequisAuDepot:
    """Required to submit, not to save a draft: shown as required (DSFR: only optional
    fields say « facultatif »), left empty in a draft; the service checks it at submission
    (``appels.services.manquants_par_champ``)."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


def _au_depot(field: forms.Field) -> forms.Field:
    field.__class__ = type(
        f"RequisAuDepot{type(field).__name__}", (_RequisAuDepot, type(field)), {}
    )
    field.required = True
    return field


class CandidatureForm(DsfrBaseForm):
    """The whole candidature in one form: identification of the territory, the answers and
    the files. Everything may stay empty in a draft; what submission needs is marked as
    required and checked by the service at submission. Files chosen are attached whatever
    button is pressed, after the draft is saved, so that nothing typed is lost."""

    format_demande = forms.ChoiceField(label=_("Format demandé"), choices=Format.choices)
    # The territory chosen from the reference: values "commune:<INSEE>" or "epci:<SIREN>".
    # Without JavaScript, the search field and its button (``action=chercher_lieux``) reload
    # the form with the matches as checkboxes; with it, lieux.js fills them as one types.
    lieux = forms.MultipleChoiceField(
        label=_("Communes et intercommunalités du territoire"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Cochez la commune, l'intercommunalité (EPCI) ou les communes et EPCI qui forment "
            "le territoire (un PNR ou un pays : ses communes ou ses EPCI). Ses départements, "
            "sa région, sa population et son périmètre en sont déduits."
        ),
    )
    lieux_q = forms.CharField(
        label=_("Rechercher une commune ou une intercommunalité"),
        required=False,
        max_length=100,
        help_text=_("Nom, code postal, code INSEE ou SIREN."),
    )
    territoire_nom = forms.CharField(label=_("Nom du territoire"), max_length=200)
    territoire_nature = forms.ChoiceField(
        label=_("Nature du territoire"),
        choices=[("", _("Sélectionner une nature")), *Territoire.Nature.choices],
    )
    territoire_siren = forms.CharField(
        label=_("SIREN de la collectivité"),
        max_length=9,
        required=False,
        help_text=_("9 chiffres, si le territoire en a un."),
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.order_by("slug"),
        empty_label=_("Sélectionner une région"),
        required=False,
        help_text=_("Déduite des communes choisies ; à indiquer pour un autre périmètre."),
    )
    departement = forms.ModelChoiceField(
        label=_("Département principal"),
        queryset=Departement.objects.order_by("code"),
        empty_label=_("Sélectionner un département"),
        required=False,
        help_text=_("Déduit des communes choisies ; à indiquer pour un autre périmètre."),
    )
    porteur = forms.CharField(label=_("Collectivité porteuse"), max_length=250)
    contact_etat_nom = forms.CharField(label=_("Contact DDT/DREAL : prénom et nom"), max_length=200)
    contact_etat_email = forms.EmailField(label=_("Contact DDT/DREAL : adresse électronique"))
    contact_etat_service = forms.CharField(
        label=_("Contact DDT/DREAL : service"),
        max_length=200,
        help_text=_("Par exemple : DDTM des Côtes-d'Armor."),
    )
    resume = forms.CharField(
        label=_("Résumé du projet"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    latitude = forms.CharField(
        label=_("Latitude du centre du territoire"),
        required=False,
        help_text=_("Facultatif, en degrés décimaux (ex. : 48,40). À défaut, la préfecture."),
    )
    longitude = forms.CharField(
        label=_("Longitude du centre du territoire"),
        required=False,
        help_text=_("Facultatif, en degrés décimaux (ex. : -2,93)."),
    )

    # Fields required at submission must not block saving a draft in the browser.
    use_required_attribute = False

    def __init__(self, *args, appel: AppelACandidatures, **kwargs):
        super().__init__(*args, **kwargs)
        self.appel = appel
        self.fields["lieux"].choices = self._choix_de_lieux()
        possibles = formats_possibles(appel)
        self.fields["format_demande"].choices = [
            (value, label) for value, label in Format.choices if value in possibles
        ]
        for name in (
            "format_demande",
            "territoire_nom",
            "territoire_nature",
            "region",
            "departement",
            "porteur",
            "contact_etat_nom",
            "contact_etat_email",
            "contact_etat_service",
        ):
            _au_depot(self.fields[name])
        self.questions = [q for q in appel.questions.all() if q.type != Question.Type.FICHIER]
        for question in self.questions:
            self.fields[question_field_name(question)] = _question_field(question)
        self.emplacements = emplacements(appel)
        for slot in self.emplacements:
            # Empty files reach check_upload, whose message names the file.
            self.fields[slot.name] = forms.FileField(
                label=_("Fichier pour « %(p)s »") % {"p": slot.libelle},
                required=False,
                allow_empty_file=True,
                widget=forms.ClearableFileInput(
                    attrs={"accept": ACCEPT_ATTRIBUTE, "class": "fr-upload"}
                ),
                help_text=_("Formats acceptés : %(f)s.") % {"f": FORMATS_ACCEPTES},
            )
            if slot.obligatoire:
                _au_depot(self.fields[slot.name])
        # Fields added after DsfrBaseForm.__init__ need the DSFR classes too.
        from dsfr.utils import dsfr_input_class_attr

        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def _choix_de_lieux(self) -> list[tuple[str, str]]:
        """The places already chosen, then the matches of the search field."""
        source = self.data if self.is_bound else self.initial
        valeurs = source.getlist("lieux") if hasattr(source, "getlist") else source.get("lieux")
        choix = dict(_libelles_de_lieux(valeurs or []))
        recherche = (source.get("lieux_q") or "").strip()
        if recherche:
            for r in lieux_search(recherche):
                choix.setdefault(f"{r['type']}:{r['code']}", f"{r['nom']} — {r['detail']}")
        return list(choix.items())

    def clean_lieux(self):
        valeurs = self.cleaned_data.get("lieux") or []
        communes = [v.split(":", 1)[1] for v in valeurs if v.startswith("commune:")]
        epci = [v.split(":", 1)[1] for v in valeurs if v.startswith("epci:")]
        trouves = {
            "communes": list(Commune.objects.filter(code__in=communes).select_related(
                "departement__region")),
            "epci": list(EPCI.objects.filter(siren__in=epci).prefetch_related(
                "departements__region")),
        }  # fmt: skip
        if len(trouves["communes"]) + len(trouves["epci"]) != len(communes) + len(epci):
            raise forms.ValidationError(_("Un des lieux choisis n'existe pas dans le référentiel."))
        return trouves

    def clean_territoire_siren(self):
        value = re.sub(r"\s", "", self.cleaned_data.get("territoire_siren") or "")
        if value and not re.fullmatch(r"\d{9}", value):
            raise forms.ValidationError(_("Le SIREN compte 9 chiffres."))
        return value

    def clean(self):
        data = super().clean()
        lieux = data.get("lieux") or {"communes": [], "epci": []}
        if lieux["communes"] or lieux["epci"]:
            # The region and the main département follow from the places chosen.
            poids: dict = {}
            for commune in lieux["communes"]:
                poids[commune.departement] = poids.get(commune.departement, 0) + 1
            for groupement in lieux["epci"]:
                for departement in groupement.departements.all():
                    poids[departement] = poids.get(departement, 0) + 1
            if poids:
                departement = max(poids, key=lambda d: (poids[d], d.code))
                data["departement"], data["region"] = departement, departement.region
            if (
                len(lieux["epci"]) == 1
                and not lieux["communes"]
                and not data.get("territoire_siren")
            ):
                data["territoire_siren"] = lieux["epci"][0].siren
        # Neither the places nor the région are required here: a draft is saved half-empty;
        # the deposit asks for the région and the département (services.manquants_par_champ),
        # which the places chosen give.
        region, departement = data.get("region"), data.get("departement")
        latitude, longitude = data.get("latitude") or "", data.get("longitude") or ""
        if bool(latitude) != bool(longitude):
            self.add_error(
                "longitude" if latitude else "latitude",
                _("Indiquez la latitude et la longitude, ou aucune des deux."),
            )
        elif latitude:
            try:
                data["latitude"], data["longitude"] = validate_point(latitude, longitude)
            except forms.ValidationError as error:
                self.add_error("latitude", error)
        else:
            data["latitude"] = data["longitude"] = None
        if region and departement and departement.region_id != region.pk:
            self.add_error(
                "departement",
                _("Le département %(d)s n'est pas dans la région %(r)s.")
                % {"d": departement, "r": region},
            )
        return data

    def identification(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.fields
            if not name.startswith(("q_", "piece_"))
            and name != "lieux_q"
            and name in self.cleaned_data
        }

    def reponses(self) -> dict:
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            result[str(question.pk)] = "" if value is None else str(value)
        return result

    def fichiers(self) -> list[tuple[Emplacement, object]]:
        """(slot, uploaded file) for each file chosen in this submission."""
        return [
            (slot, self.cleaned_data[slot.name])
            for slot in self.emplacements
            if self.cleaned_data.get(slot.name)
        ]

    def answer_fields(self):
        return [self[question_field_name(q)] for q in self.questions]

    def identification_fields(self):
        return [
            self[name]
            for name in self.fields
            if not name.startswith(("q_", "piece_")) and name not in ("lieux", "lieux_q")
        ]

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor id, message) of each faulty field, for the summary at the top."""
        rows = [(None, str(e)) for e in self.non_field_errors()]
        for name, errors in self.errors.items():
            if name == "__all__":
                continue
            label = self.fields[name].label
            rows += [(self[name].id_for_label, f"{label} : {e}") for e in errors]
        return rows


def _question_field(question: Question) -> forms.Field:
    field = _question_field_optional(question)
    if question.obligatoire:
        _au_depot(field)
    return field


def _question_field_optional(question: Question) -> forms.Field:
    common = {
        "label": question.libelle,
        "required": False,
        "help_text": question.aide,
    }
    if question.type == Question.Type.TEXTE_LONG:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, **common)
    if question.type == Question.Type.CHOIX:
        choices = [("", "—")] + [(c, c) for c in question.choix or []]
        return forms.ChoiceField(choices=choices, **common)
    if question.type == Question.Type.NOMBRE:
        return forms.DecimalField(max_digits=15, decimal_places=2, **common)
    return forms.CharField(max_length=1000, **common)


class RetraitForm(DsfrBaseForm):
    motif = forms.CharField(
        label=_("Pourquoi retirez-vous la candidature ?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RecevabiliteForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label=_("Recevabilité"),
        choices=[("recevable", _("Recevable")), ("irrecevable", _("Irrecevable"))],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(
        label=_("Motif"),
        help_text=_("À donner si la candidature est irrecevable."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "irrecevable" and not (data.get("motif") or "").strip():
            self.add_error("motif", _("Indiquez le motif d'irrecevabilité."))
        return data


def libelle_compte(pk, prenom, nom, email) -> str:
    """An account's label in a list of choices, as ``Utilisateur.__str__`` writes it, from the
    row of :data:`COLONNES_COMPTE` (:func:`atelier.forms.lire_les_choix`)."""
    return str(get_user_model()(first_name=prenom, last_name=nom, email=email))


COLONNES_COMPTE = ("pk", "first_name", "last_name", "email")


class RapporteursForm(DsfrBaseForm):
    rapporteurs = ChoixMultiplesField(
        label=_("Agents de la DGALN"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    autres = forms.CharField(
        label=_("Autres rapporteurs (adresses électroniques, séparées par des virgules)"),
        required=False,
        help_text=_("Des personnes ayant déjà un compte sur la plateforme."),
    )

    def __init__(self, *args, candidature, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        self.fields["rapporteurs"].queryset = User.objects.filter(
            groups__name=DGALN_GROUP, is_active=True
        ).order_by("last_name", "email")
        lire_les_choix(self, ("rapporteurs", COLONNES_COMPTE, libelle_compte))
        self.candidature = candidature

    def clean_autres(self):
        User = get_user_model()
        emails = [
            e.strip() for e in (self.cleaned_data.get("autres") or "").split(",") if e.strip()
        ]
        users = []
        for email in emails:
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is None:
                raise forms.ValidationError(
                    _("Aucun compte n'existe pour « %(e)s ».") % {"e": email}
                )
            users.append(user)
        return users

    def selection(self) -> list:
        users = list(self.cleaned_data.get("rapporteurs") or [])
        for user in self.cleaned_data.get("autres") or []:
            if user not in users:
                users.append(user)
        return users


class RapporteursMasseForm(RapporteursForm):
    """The same reviewers added to several candidatures ticked in the list."""

    candidatures = forms.ModelMultipleChoiceField(
        label=_("Candidatures"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une candidature.")},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, candidature=None, **kwargs)
        self.fields["candidatures"].queryset = queryset

    def clean(self):
        data = super().clean()
        if not self.errors and not self.selection():
            raise forms.ValidationError(_("Choisissez au moins un rapporteur."))
        return data


NOTES = [(str(n), str(n)) for n in range(1, 6)]


class AvisForm(DsfrBaseForm):
    commentaire = forms.CharField(label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, criteres, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteres = list(criteres)
        fields = {}
        for critere in self.criteres:
            fields[f"note_{critere.pk}"] = forms.TypedChoiceField(
                label=_("%(c)s (note de 1 à 5)") % {"c": critere.libelle},
                choices=NOTES,
                coerce=int,
                widget=InlineRadioSelect,
            )
        fields["commentaire"] = self.fields.pop("commentaire")
        self.fields.update(fields)
        from dsfr.utils import dsfr_input_class_attr

        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def notes(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"note_{c.pk}"] for c in self.criteres}


class DecisionForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("retenue", _("Retenue (lauréat)")), ("non_retenue", _("Non retenue"))],
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        help_text=_("Elle figure dans la lettre de décision envoyée au candidat."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    sans_tous_les_avis = forms.CharField(
        label=_("Décider sans tous les avis : motif"),
        required=False,
        help_text=_("À donner si un rapporteur n'a pas encore donné son avis."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    pilote = forms.ModelChoiceField(
        label=_("Pilote de l'atelier"),
        queryset=None,
        required=False,
        empty_label=_("— Choisir un agent de l'État vérifié —"),
        help_text=_(
            "À choisir pour retenir la candidature : un agent de l'État vérifié (page « Agents "
            "de l'État »). Le contact saisi dans la candidature n'est qu'une suggestion."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pilote"].queryset = AgentEtat.objects.actifs().select_related(
            "utilisateur", "service"
        )
        self.fields["pilote"].label_from_instance = lambda a: (
            f"{a.nom_complet} — {a.qualite} ({a.utilisateur.email})"
        )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "retenue" and not data.get("pilote"):
            self.add_error(
                "pilote",
                _("Choisissez le pilote de l'atelier parmi les agents de l'État vérifiés."),
            )
        return data
