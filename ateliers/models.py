"""National sessions, calls for applications, candidatures, ateliers and their stages."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from territoires.models import EPCI, Commune, Territoire

from .formats import Format, NatureEtape, NatureLivrable

# --- Sessions and calls ---------------------------------------------------------------------


class SessionNationale(models.Model):
    titre = models.CharField(_("titre"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=250, unique=True)
    theme = models.CharField(_("thème"), max_length=250, blank=True)
    annee_debut = models.PositiveSmallIntegerField(_("année de début"))
    annee_fin = models.PositiveSmallIntegerField(_("année de fin"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    est_historique = models.BooleanField(
        _("session historique"),
        default=False,
        help_text=_("Chargée depuis l'historique du programme (2006–2023)."),
    )
    cree_le = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("session nationale")
        verbose_name_plural = _("sessions nationales")
        ordering = ["-annee_debut", "titre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annee_fin__isnull=True) | Q(annee_fin__gte=F("annee_debut")),
                name="session_annees_ordonnees",
            ),
            models.CheckConstraint(
                condition=Q(annee_debut__gte=2000, annee_debut__lte=2100),
                name="session_annee_plausible",
            ),
        ]
        indexes = [models.Index(fields=["annee_debut"])]

    def __str__(self) -> str:
        return f"{self.titre} ({self.annees})"

    def get_absolute_url(self) -> str:
        return reverse("territoires:session", kwargs={"slug": self.slug})

    @property
    def annees(self) -> str:
        if self.annee_fin and self.annee_fin != self.annee_debut:
            return f"{self.annee_debut}–{self.annee_fin}"
        return str(self.annee_debut)


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
        return reverse("ateliers:appel", kwargs={"slug": self.slug})


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

    class Meta:
        verbose_name = _("critère d'évaluation")
        verbose_name_plural = _("critères d'évaluation")
        ordering = ["appel", "ordre", "id"]

    def __str__(self) -> str:
        return self.libelle


class DocumentAppel(models.Model):
    """A file of the call itself (cahier des charges, règlement…), listed on its public page.

    Served only through a view that checks the call is published (``ateliers:appel_document``):
    a draft call's files stay private to DGALN.
    """

    appel = models.ForeignKey(
        AppelACandidatures,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("appel"),
    )
    titre = models.CharField(_("titre"), max_length=250)
    fichier = models.FileField(_("fichier"), upload_to="appels/%Y/%m/", max_length=255)
    nom_original = models.CharField(_("nom du fichier"), max_length=255)
    type_mime = models.CharField(_("type"), max_length=100)
    taille = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    depose_le = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document de l'appel")
        verbose_name_plural = _("documents de l'appel")
        ordering = ["appel", "depose_le", "id"]

    def __str__(self) -> str:
        return self.titre

    @property
    def format(self) -> str:
        """The format's short name (PDF, DOCX…), as decided from the content at upload."""
        from atelier.uploads import LABELS

        return LABELS.get(self.type_mime, self.type_mime)


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

    TRANSITIONS = {
        Statut.BROUILLON: {Statut.DEPOSEE},
        Statut.DEPOSEE: {Statut.RECEVABLE, Statut.IRRECEVABLE},
        Statut.RECEVABLE: {Statut.EN_INSTRUCTION},
        Statut.IRRECEVABLE: set(),
        Statut.EN_INSTRUCTION: {Statut.RETENUE, Statut.NON_RETENUE},
        Statut.RETENUE: set(),
        Statut.NON_RETENUE: set(),
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
    format_demande = models.CharField(_("format demandé"), max_length=20, choices=Format.choices)
    # The territory as the applicant describes it; the Territoire is created on selection.
    territoire_nom = models.CharField(_("territoire"), max_length=200)
    territoire_nature = models.CharField(
        _("nature du territoire"), max_length=20, choices=Territoire.Nature.choices
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
        related_name="candidatures",
        verbose_name=_("région"),
    )
    departement = models.ForeignKey(
        "territoires.Departement",
        on_delete=models.PROTECT,
        related_name="candidatures",
        verbose_name=_("département"),
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    porteur = models.CharField(_("collectivité porteuse"), max_length=250)
    contact_etat_nom = models.CharField(_("contact DDT/DREAL — nom"), max_length=200)
    contact_etat_email = models.EmailField(_("contact DDT/DREAL — adresse électronique"))
    contact_etat_service = models.CharField(_("contact DDT/DREAL — service"), max_length=200)
    resume = models.TextField(_("résumé du projet"), blank=True)
    reponses = models.JSONField(_("réponses"), default=dict, blank=True)
    rapporteurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="candidatures_a_instruire",
        verbose_name=_("rapporteurs"),
    )
    motif_irrecevabilite = models.TextField(_("motif d'irrecevabilité"), blank=True)
    motivation_decision = models.TextField(_("motivation de la décision"), blank=True)
    deposee_le = models.DateTimeField(_("déposée le"), null=True, blank=True)
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
        return f"{self.territoire_nom} — {self.appel}"


class PieceJointe(models.Model):
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
    fichier = models.FileField(_("fichier"), upload_to="candidatures/%Y/%m/")
    nom_original = models.CharField(_("nom du fichier"), max_length=255)
    type_mime = models.CharField(_("type"), max_length=100)
    taille = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
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


# --- Ateliers -------------------------------------------------------------------------------


class AtelierQuerySet(models.QuerySet):
    def publies(self) -> "AtelierQuerySet":
        return self.filter(publie=True)


class Atelier(models.Model):
    class Statut(models.TextChoices):
        EN_PREPARATION = "en_preparation", _("En préparation")
        EN_COURS = "en_cours", _("En cours")
        RESTITUE = "restitue", _("Restitué")
        EN_MISE_EN_OEUVRE = "en_mise_en_oeuvre", _("En mise en œuvre")
        CLOS = "clos", _("Clos")

    TRANSITIONS = {
        Statut.EN_PREPARATION: {Statut.EN_COURS},
        Statut.EN_COURS: {Statut.RESTITUE},
        Statut.RESTITUE: {Statut.EN_MISE_EN_OEUVRE, Statut.CLOS},
        Statut.EN_MISE_EN_OEUVRE: {Statut.CLOS},
        Statut.CLOS: set(),
    }

    titre = models.CharField(_("titre"), max_length=250)
    territoire = models.ForeignKey(
        "territoires.Territoire",
        on_delete=models.PROTECT,
        related_name="ateliers",
        verbose_name=_("territoire"),
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices)
    session = models.ForeignKey(
        SessionNationale,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ateliers",
        verbose_name=_("session nationale"),
    )
    candidature = models.OneToOneField(
        Candidature,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="atelier",
        verbose_name=_("candidature"),
    )
    service_pilote = models.ForeignKey(
        "acteurs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ateliers_pilotes",
        verbose_name=_("service pilote"),
    )
    theme = models.CharField(_("thème"), max_length=250, blank=True)
    resume = models.TextField(_("présentation"), blank=True)
    annee = models.PositiveSmallIntegerField(_("année de sélection"))
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.EN_PREPARATION
    )
    date_debut = models.DateField(_("date de début"), null=True, blank=True)
    date_fin_prevue = models.DateField(_("date de fin prévue"), null=True, blank=True)
    date_fin = models.DateField(_("date de fin"), null=True, blank=True)
    equipe_nom = models.CharField(_("équipe pluridisciplinaire"), max_length=250, blank=True)
    contrat_debut = models.DateField(_("début du contrat de l'équipe"), null=True, blank=True)
    contrat_fin = models.DateField(_("fin du contrat de l'équipe"), null=True, blank=True)
    publie = models.BooleanField(_("publié"), default=False)
    publie_le = models.DateTimeField(_("publié le"), null=True, blank=True)
    est_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = AtelierQuerySet.as_manager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["-annee", "titre"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin_prevue__isnull=True)
                | Q(date_debut__isnull=True)
                | Q(date_fin_prevue__gte=F("date_debut")),
                name="atelier_fin_prevue_apres_debut",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True)
                | Q(date_debut__isnull=True)
                | Q(date_fin__gte=F("date_debut")),
                name="atelier_fin_apres_debut",
            ),
            models.CheckConstraint(
                condition=Q(contrat_fin__isnull=True)
                | Q(contrat_debut__isnull=True)
                | Q(contrat_fin__gte=F("contrat_debut")),
                name="atelier_contrat_ordonne",
            ),
            models.CheckConstraint(
                condition=Q(format="multisite", session__isnull=False) | ~Q(format="multisite"),
                name="atelier_multisite_a_une_session",
            ),
            models.CheckConstraint(
                condition=Q(publie=False) | Q(publie_le__isnull=False),
                name="atelier_publication_datee",
            ),
        ]
        indexes = [
            models.Index(fields=["publie", "format"]),
            models.Index(fields=["publie", "annee"]),
            models.Index(fields=["publie", "statut"]),
        ]

    def __str__(self) -> str:
        return self.titre

    def get_absolute_url(self) -> str:
        return reverse("ateliers:atelier", kwargs={"pk": self.pk})


class Etape(models.Model):
    class Statut(models.TextChoices):
        PREVUE = "prevue", _("Prévue")
        REALISEE = "realisee", _("Réalisée")
        ANNULEE = "annulee", _("Annulée")

    TRANSITIONS = {
        Statut.PREVUE: {Statut.REALISEE, Statut.ANNULEE},
        Statut.REALISEE: set(),
        Statut.ANNULEE: {Statut.PREVUE},
    }

    atelier = models.ForeignKey(
        Atelier, on_delete=models.CASCADE, related_name="etapes", verbose_name=_("atelier")
    )
    nature = models.CharField(_("nature"), max_length=20, choices=NatureEtape.choices)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    titre = models.CharField(_("titre"), max_length=250, blank=True)
    debut = models.DateTimeField(_("début"), null=True, blank=True)
    fin = models.DateTimeField(_("fin"), null=True, blank=True)
    lieu = models.CharField(_("lieu"), max_length=250, blank=True)
    resume = models.TextField(_("synthèse"), blank=True)
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.PREVUE
    )
    motif_annulation = models.TextField(_("motif d'annulation"), blank=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["atelier", "ordre", "debut", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__isnull=True) | Q(debut__isnull=True) | Q(fin__gte=F("debut")),
                name="etape_fin_apres_debut",
            ),
            models.CheckConstraint(
                condition=~Q(statut="annulee") | ~Q(motif_annulation=""),
                name="etape_annulation_motivee",
            ),
        ]
        indexes = [models.Index(fields=["atelier", "debut"])]

    def __str__(self) -> str:
        return self.titre or self.get_nature_display()


class Livrable(models.Model):
    """A deliverable a stage must produce; tracked until a document provides it."""

    etape = models.ForeignKey(
        Etape, on_delete=models.CASCADE, related_name="livrables", verbose_name=_("étape")
    )
    nature = models.CharField(_("nature"), max_length=30, choices=NatureLivrable.choices)
    obligatoire = models.BooleanField(_("obligatoire"), default=True)
    document = models.ForeignKey(
        "Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="livrables",
        verbose_name=_("document"),
    )

    class Meta:
        verbose_name = _("livrable")
        verbose_name_plural = _("livrables")
        ordering = ["etape", "id"]
        constraints = [
            models.UniqueConstraint(fields=["etape", "nature"], name="livrable_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.etape}"

    @property
    def fourni(self) -> bool:
        return self.document_id is not None


class Document(models.Model):
    class Categorie(models.TextChoices):
        COMPTE_RENDU = "compte_rendu", _("Compte rendu")
        RAPPORT = "rapport", _("Rapport")
        CARTE = "carte", _("Carte")
        PHOTO = "photo", _("Photo")
        PRESENTATION = "presentation", _("Présentation")
        AUTRE = "autre", _("Autre")

    atelier = models.ForeignKey(
        Atelier, on_delete=models.CASCADE, related_name="documents", verbose_name=_("atelier")
    )
    etape = models.ForeignKey(
        Etape,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("étape"),
    )
    categorie = models.CharField(_("catégorie"), max_length=20, choices=Categorie.choices)
    titre = models.CharField(_("titre"), max_length=250)
    fichier = models.FileField(_("fichier"), upload_to="ateliers/%Y/%m/")
    nom_original = models.CharField(_("nom du fichier"), max_length=255)
    type_mime = models.CharField(_("type"), max_length=100)
    taille = models.PositiveBigIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    # Versions of one document share the id of the first one (``serie``).
    serie = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("première version"),
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("déposé par"),
    )
    publie = models.BooleanField(_("publié"), default=False)
    cree_le = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["atelier", "-cree_le"]
        constraints = [
            models.UniqueConstraint(fields=["serie", "version"], name="document_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="document_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.titre} (v{self.version})"


class EntreeJournal(models.Model):
    """An entry of the logbook (cahier de suivi), written in Markdown."""

    atelier = models.ForeignKey(
        Atelier, on_delete=models.CASCADE, related_name="journal", verbose_name=_("atelier")
    )
    etape = models.ForeignKey(
        Etape,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entrees_journal",
        verbose_name=_("étape"),
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    date = models.DateField(_("date"))
    texte = models.TextField(_("texte (Markdown)"))
    cree_le = models.DateTimeField(_("écrit le"), auto_now_add=True)

    class Meta:
        verbose_name = _("entrée du cahier de suivi")
        verbose_name_plural = _("cahier de suivi")
        ordering = ["atelier", "-date", "-cree_le"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.texte[:40]}"


class SiteDemonstrateur(models.Model):
    atelier = models.ForeignKey(
        Atelier,
        on_delete=models.CASCADE,
        related_name="sites_demonstrateurs",
        verbose_name=_("atelier"),
    )
    nom = models.CharField(_("nom"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    geometrie = models.JSONField(
        _("géométrie (GeoJSON)"), help_text=_("Point ou polygone, en longitude/latitude.")
    )
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("site démonstrateur")
        verbose_name_plural = _("sites démonstrateurs")
        ordering = ["atelier", "nom"]

    def __str__(self) -> str:
        return self.nom


class NotificationCandidature(models.Model):
    """An e-mail already sent about a candidature (receipt, admissibility, decision, deadline
    reminders). The unique pair makes each sending idempotent: a retried task sends nothing."""

    class Nature(models.TextChoices):
        RECUE = "recue", _("Accusé de réception")
        RECEVABILITE = "recevabilite", _("Recevabilité")
        DECISION = "decision", _("Décision")
        RAPPEL_J7 = "rappel_j7", _("Rappel 7 jours avant la clôture")
        RAPPEL_J1 = "rappel_j1", _("Rappel 1 jour avant la clôture")

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


class NotificationEtape(models.Model):
    """A stage e-mail already sent to one participant.

    ``cle`` names the change that triggered it (the date it announced and a random part), so
    a redelivered task finds the row and sends nothing, while a later change of the same
    stage (moved again, cancelled, re-planned) has another key and is sent. The row is written
    in the same transaction as the sending: a failed send leaves no row and its retry sends.
    """

    class Evenement(models.TextChoices):
        PLANIFIEE = "planifiee", _("Planifiée")
        DEPLACEE = "deplacee", _("Déplacée")
        ANNULEE = "annulee", _("Annulée")

    etape = models.ForeignKey(
        Etape, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("étape")
    )
    evenement = models.CharField(_("événement"), max_length=20, choices=Evenement.choices)
    cle = models.CharField(_("clé"), max_length=64)
    email = models.EmailField(_("adresse"))
    envoyee_le = models.DateTimeField(_("envoyée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification d'étape")
        verbose_name_plural = _("notifications d'étape")
        constraints = [
            models.UniqueConstraint(
                fields=["etape", "evenement", "cle", "email"], name="notification_etape_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_evenement_display()} — {self.etape} — {self.email}"


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


class JetonCalendrier(models.Model):
    """A secret, revocable token behind an iCalendar feed URL.

    Calendar clients cannot log in, so the URL itself is the credential: long, random, shown
    only to its owner, and revocable. ``atelier`` set: that atelier's feed; empty: the owner's
    personal feed (every atelier they take part in). Access is re-checked on each fetch, so a
    person removed from an atelier stops receiving it even if they keep the URL.
    """

    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jetons_calendrier",
        verbose_name=_("utilisateur"),
    )
    atelier = models.ForeignKey(
        Atelier,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jetons_calendrier",
        verbose_name=_("atelier"),
    )
    jeton = models.CharField(_("jeton"), max_length=64, unique=True)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    revoque_le = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien d'abonnement au calendrier")
        verbose_name_plural = _("liens d'abonnement au calendrier")
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["utilisateur", "atelier"])]

    def __str__(self) -> str:
        return f"Calendrier de {self.utilisateur} ({self.atelier_id or 'personnel'})"

    @property
    def actif(self) -> bool:
        return self.revoque_le is None
