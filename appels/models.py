"""Calls for applications (AMI and the standing à-la-carte call), candidatures and their
instruction: questions, required pieces, criteria, call documents, attachments, reviews."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atelier.uploads import CheckedFileModel
from ateliers.formats import Format
from ateliers.models import Atelier, SessionNationale
from territoires.models import EPCI, Commune, Territoire


class AppelACandidatures(models.Model):
    """An AMI for a national session (Multisite), or the standing à-la-carte call."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        PUBLIE = "publie", _("Publié")
        CLOS = "clos", _("Clos")
        DECIDE = "decide", _("Décidé")

    TRANSITIONS = {
        Statut.BROUILLON: {Statut.PUBLIE},
        Statut.PUBLIE: {Statut.CLOS},
        Statut.CLOS: {Statut.DECIDE, Statut.PUBLIE},
        Statut.DECIDE: set(),
    }

    class Nature(models.TextChoices):
        SESSION = "session", _("AMI de session nationale (Multisite)")
        A_LA_CARTE = "a_la_carte", _("Appel « à la carte » (Local et Flash)")

    titre = models.CharField(_("titre"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    session = models.ForeignKey(
        SessionNationale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appels",
        verbose_name=_("session nationale"),
    )
    description = models.TextField(_("présentation"), blank=True)
    eligibilite = models.TextField(_("conditions d'éligibilité"), blank=True)
    ouverture = models.DateTimeField(_("ouverture"))
    cloture = models.DateTimeField(
        _("clôture"), null=True, blank=True, help_text=_("Vide pour un appel au fil de l'eau.")
    )
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.BROUILLON
    )
    est_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("appel à candidatures")
        verbose_name_plural = _("appels à candidatures")
        ordering = ["-ouverture"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cloture__isnull=True) | Q(cloture__gt=F("ouverture")),
                name="appel_cloture_apres_ouverture",
            ),
            models.CheckConstraint(
                condition=Q(nature="a_la_carte") | Q(session__isnull=False),
                name="appel_session_requise_pour_ami",
            ),
        ]
        indexes = [models.Index(fields=["statut", "ouverture"])]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("appels:appel", kwargs={"slug": self.slug})


class Question(models.Model):
    class Type(models.TextChoices):
        TEXTE = "texte", _("Texte court")
        TEXTE_LONG = "texte_long", _("Texte long")
        CHOIX = "choix", _("Choix dans une liste")
        NOMBRE = "nombre", _("Nombre")
        FICHIER = "fichier", _("Fichier")

    appel = models.ForeignKey(
        AppelACandidatures,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("appel"),
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    libelle = models.CharField(_("question"), max_length=500)
    aide = models.TextField(_("texte d'aide"), blank=True)
    type = models.CharField(_("type de réponse"), max_length=20, choices=Type.choices)
    choix = models.JSONField(
        _("choix proposés"), default=list, blank=True, help_text=_("Pour le type « choix ».")
    )
    obligatoire = models.BooleanField(_("obligatoire"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["appel", "ordre", "id"]

    def __str__(self) -> str:
        return self.libelle


class PieceRequise(models.Model):
    appel = models.ForeignKey(
        AppelACandidatures,
        on_delete=models.CASCADE,
        related_name="pieces_requises",
        verbose_name=_("appel"),
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    libelle = models.CharField(_("pièce"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    obligatoire = models.BooleanField(_("obligatoire"), default=True)

    class Meta:
        verbose_name = _("pièce requise")
        verbose_name_plural = _("pièces requises")
        ordering = ["appel", "ordre", "id"]

    def __str__(self) -> str:
        return self.libelle


class Critere(models.Model):
    """A selection criterion on which each reviewer gives a mark from 1 to 5."""

    appel = models.ForeignKey(
        AppelACandidatures,
        on_delete=models.CASCADE,
        related_name="criteres",
        verbose_name=_("appel"),
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    libelle = models.CharField(_("critère"), max_length=300)
    poids = models.PositiveSmallIntegerField(
        _("poids"), default=1, help_text=_("Coefficient du critère dans la note pondérée.")
    )

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["appel", "ordre", "id"]

    def __str__(self) -> str:
        return self.libelle


class DocumentAppel(CheckedFileModel):
    """A file of the call itself (cahier des charges, règlement…), listed on its public page.

    Served only through a view that checks the call is published (``ateliers:appel_document``):
    a draft call's files stay private to DGALN.
    """

    UPLOAD_DIR = "appels"

    appel = models.ForeignKey(
        AppelACandidatures,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("appel"),
    )
    titre = models.CharField(_("titre"), max_length=250)
    depose_le = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document de l'appel")
        verbose_name_plural = _("documents de l'appel")
        ordering = ["appel", "depose_le", "id"]

    def __str__(self) -> str:
        return self.titre


# --- Candidatures ---------------------------------------------------------------------------


class Candidature(models.Model):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        DEPOSEE = "deposee", _("Déposée")
        RECEVABLE = "recevable", _("Recevable")
        IRRECEVABLE = "irrecevable", _("Irrecevable")
        EN_INSTRUCTION = "en_instruction", _("En instruction")
        RETENUE = "retenue", _("Retenue")
        NON_RETENUE = "non_retenue", _("Non retenue")
        RETIREE = "retiree", _("Retirée")

    # The applicant may withdraw a submitted candidature until the decision.
    TRANSITIONS = {
        Statut.BROUILLON: {Statut.DEPOSEE},
        Statut.DEPOSEE: {Statut.RECEVABLE, Statut.IRRECEVABLE, Statut.RETIREE},
        Statut.RECEVABLE: {Statut.EN_INSTRUCTION, Statut.RETIREE},
        Statut.IRRECEVABLE: set(),
        Statut.EN_INSTRUCTION: {Statut.RETENUE, Statut.NON_RETENUE, Statut.RETIREE},
        Statut.RETENUE: set(),
        Statut.NON_RETENUE: set(),
        Statut.RETIREE: set(),
    }

    appel = models.ForeignKey(
        AppelACandidatures,
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name=_("appel"),
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name=_("auteur"),
    )
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.BROUILLON
    )
    format_demande = models.CharField(
        _("format demandé"), max_length=20, choices=Format.choices, blank=True
    )
    # The territory as the applicant describes it; the Territoire is created on selection.
    # Every field of the file may stay empty in a draft: completeness is checked on submission
    # (``services.manquants``).
    territoire_nom = models.CharField(_("territoire"), max_length=200, blank=True)
    territoire_nature = models.CharField(
        _("nature du territoire"), max_length=20, choices=Territoire.Nature.choices, blank=True
    )
    territoire_siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    # The territory chosen from the reference (a commune, an EPCI or a grouping of several):
    # the lauréat's territory is derived from them (territoires.services.territoire_derive).
    communes = models.ManyToManyField(
        Commune, related_name="candidatures", verbose_name=_("communes"), blank=True
    )
    epci = models.ManyToManyField(
        EPCI, related_name="candidatures", verbose_name=_("EPCI"), blank=True
    )
    territoire = models.ForeignKey(
        "territoires.Territoire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidatures",
        verbose_name=_("territoire référencé"),
    )
    region = models.ForeignKey(
        "territoires.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidatures",
        verbose_name=_("région"),
    )
    departement = models.ForeignKey(
        "territoires.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidatures",
        verbose_name=_("département"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    porteur = models.CharField(_("collectivité porteuse"), max_length=250, blank=True)
    contact_etat_nom = models.CharField(_("contact DDT/DREAL — nom"), max_length=200, blank=True)
    contact_etat_email = models.EmailField(
        _("contact DDT/DREAL — adresse électronique"), blank=True
    )
    contact_etat_service = models.CharField(
        _("contact DDT/DREAL — service"), max_length=200, blank=True
    )
    resume = models.TextField(_("résumé du projet"), blank=True)
    reponses = models.JSONField(_("réponses"), default=dict, blank=True)
    rapporteurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="candidatures_a_instruire",
        verbose_name=_("rapporteurs"),
    )
    atelier = models.OneToOneField(
        Atelier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidature",
        verbose_name=_("atelier créé"),
    )
    motif_irrecevabilite = models.TextField(_("motif d'irrecevabilité"), blank=True)
    motivation_decision = models.TextField(_("motivation de la décision"), blank=True)
    deposee_le = models.DateTimeField(_("déposée le"), null=True, blank=True)
    # SHA-256 of the dossier as submitted (answers and each file's hash), on the receipt.
    empreinte_depot = models.CharField(_("empreinte du dossier déposé"), max_length=64, blank=True)
    retiree_le = models.DateTimeField(_("retirée le"), null=True, blank=True)
    # Set when DGALN decides although some reviewers have not given their opinion.
    motif_avis_manquants = models.TextField(_("motif de décision sans tous les avis"), blank=True)
    decidee_le = models.DateTimeField(_("décidée le"), null=True, blank=True)
    est_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    cree_le = models.DateTimeField(_("créée le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut="brouillon") | Q(deposee_le__isnull=False),
                name="candidature_deposee_datee",
            ),
            # One draft per author and call: a double-clicked first save makes one draft.
            models.UniqueConstraint(
                fields=["appel", "auteur"],
                condition=Q(statut="brouillon"),
                name="candidature_un_brouillon_par_appel",
            ),
        ]
        indexes = [models.Index(fields=["appel", "statut"]), models.Index(fields=["statut"])]

    def __str__(self) -> str:
        return f"{self.territoire_nom or _('Territoire à préciser')} — {self.appel}"


class PieceJointe(CheckedFileModel):
    UPLOAD_DIR = "candidatures"

    candidature = models.ForeignKey(
        Candidature,
        on_delete=models.CASCADE,
        related_name="pieces_jointes",
        verbose_name=_("candidature"),
    )
    piece_requise = models.ForeignKey(
        PieceRequise,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pièce requise"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    cree_le = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["candidature", "cree_le"]

    def __str__(self) -> str:
        return self.nom_original


class Avis(models.Model):
    """A reviewer's opinion on a candidature: a mark per criterion and a comment."""

    candidature = models.ForeignKey(
        Candidature, on_delete=models.CASCADE, related_name="avis", verbose_name=_("candidature")
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="avis",
        verbose_name=_("rapporteur"),
    )
    commentaire = models.TextField(_("commentaire"))
    cree_le = models.DateTimeField(_("donné le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        ordering = ["candidature", "cree_le"]
        constraints = [
            models.UniqueConstraint(fields=["candidature", "rapporteur"], name="avis_unique"),
        ]

    def __str__(self) -> str:
        return f"Avis de {self.rapporteur} sur {self.candidature}"


class NoteCritere(models.Model):
    avis = models.ForeignKey(Avis, on_delete=models.CASCADE, related_name="notes")
    critere = models.ForeignKey(Critere, on_delete=models.CASCADE, related_name="notes")
    note = models.PositiveSmallIntegerField(_("note (1 à 5)"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(fields=["avis", "critere"], name="note_unique"),
            models.CheckConstraint(condition=Q(note__gte=1, note__lte=5), name="note_1_a_5"),
        ]

    def __str__(self) -> str:
        return f"{self.critere} : {self.note}/5"


class NotificationCandidature(models.Model):
    """An e-mail already sent about a candidature (receipt, admissibility, decision, deadline
    reminders). The unique pair makes each sending idempotent: a retried task sends nothing."""

    class Nature(models.TextChoices):
        RECUE = "recue", _("Accusé de réception")
        RECEVABILITE = "recevabilite", _("Recevabilité")
        DECISION = "decision", _("Décision")
        RAPPEL_J7 = "rappel_j7", _("Rappel 7 jours avant la clôture")
        RAPPEL_J1 = "rappel_j1", _("Rappel 1 jour avant la clôture")
        # Past records only: the pilote is now told by their invitation (acteurs).
        PILOTE = "pilote", _("Désignation du pilote")

    candidature = models.ForeignKey(
        Candidature,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("candidature"),
    )
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    envoyee_le = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification de candidature")
        verbose_name_plural = _("notifications de candidature")
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "nature"], name="notification_candidature_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.candidature}"


class NotificationRapporteur(models.Model):
    """The e-mail telling a reviewer they were assigned a candidature, already sent.

    The unique pair makes the sending idempotent (a retried task sends nothing); the row is
    removed when the reviewer is taken off the candidature, so a later re-assignment is
    announced again.
    """

    candidature = models.ForeignKey(
        Candidature,
        on_delete=models.CASCADE,
        related_name="notifications_rapporteurs",
        verbose_name=_("candidature"),
    )
    rapporteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("rapporteur"),
    )
    envoyee_le = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification de rapporteur")
        verbose_name_plural = _("notifications de rapporteurs")
        constraints = [
            models.UniqueConstraint(
                fields=["candidature", "rapporteur"], name="notification_rapporteur_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rapporteur} — {self.candidature}"
