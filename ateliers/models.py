"""National sessions, ateliers and their stages, deliverables, documents, logbook and sites."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from atelier.dates import format_date
from atelier.uploads import CheckedFileModel

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
        return reverse("public:session", kwargs={"slug": self.slug})

    @property
    def annees(self) -> str:
        if self.annee_fin and self.annee_fin != self.annee_debut:
            return f"{self.annee_debut}–{self.annee_fin}"
        return str(self.annee_debut)


class LaureatHistorique(models.Model):
    """A lauréat territory of a national session before the platform, as a public source
    names it (``territoires/data/laureats_historiques.csv``, loaded by ``load_reference``).

    Not an atelier: no workspace, no roadmap, no state. Its territory comes from the
    reference when the source names reference places (a commune, an EPCI, communes, a
    département); otherwise only its départements and région are known, and the name is
    the source's words. Every row carries the address and title of its source.
    """

    class Localisation(models.TextChoices):
        TERRITOIRE = "territoire", _("Périmètre du référentiel")
        DEPARTEMENT = "departement", _("Approchée au département")
        REGION = "region", _("Approchée à la région")
        AUCUNE = "", _("Non localisé")

    session = models.ForeignKey(
        SessionNationale,
        on_delete=models.CASCADE,
        related_name="laureats_historiques",
        verbose_name=_("session nationale"),
    )
    nom = models.CharField(_("territoire (tel que la source le nomme)"), max_length=250)
    nature = models.CharField(_("nature (selon la source)"), max_length=20, blank=True)
    annee = models.PositiveSmallIntegerField(_("année de la session"))
    territoire = models.ForeignKey(
        "territoires.Territoire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="laureats_historiques",
        verbose_name=_("territoire du référentiel"),
    )
    departements = models.ManyToManyField(
        "territoires.Departement",
        related_name="laureats_historiques",
        verbose_name=_("départements"),
        blank=True,
    )
    regions = models.ManyToManyField(
        "territoires.Region",
        related_name="laureats_historiques",
        verbose_name=_("régions"),
        blank=True,
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    localisation = models.CharField(
        _("localisation"), max_length=20, choices=Localisation.choices, blank=True
    )
    source_url = models.URLField(_("adresse de la source"), max_length=500)
    source_titre = models.CharField(_("titre de la source"), max_length=300)
    remarque = models.TextField(_("remarque"), blank=True)
    # Names and codes of its places (communes, EPCI, départements, région), for the search.
    lieux = models.TextField(_("lieux (recherche)"), blank=True, editable=False)

    # Not a field: lets a list that mixes ateliers and historical lauréats tell them apart.
    est_historique = True

    class Meta:
        verbose_name = _("lauréat historique")
        verbose_name_plural = _("lauréats historiques")
        ordering = ["-annee", "nom"]
        constraints = [
            models.UniqueConstraint(fields=["session", "nom"], name="laureat_historique_unique")
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.session.titre}, {self.annee})"

    @property
    def region_principale(self):
        regions = list(self.regions.all())
        return regions[0] if regions else None


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


# The first version of a document, the id its series shares (``serie``, or its own).
SERIE_DE_DOCUMENT = Coalesce("serie", "id")


class Document(CheckedFileModel):
    UPLOAD_DIR = "ateliers"

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
        # The list of documents keeps each series' current version (selectors.documents).
        indexes = [
            models.Index(SERIE_DE_DOCUMENT, "version", name="document_serie_version"),
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
    # Edited by its author (the earlier texts kept in RevisionJournal), or removed with a
    # reason: the entry stays in the thread, its content hidden (ateliers.services).
    modifiee_le = models.DateTimeField(_("modifiée le"), null=True, blank=True)
    retiree_le = models.DateTimeField(_("retirée le"), null=True, blank=True)
    retiree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retirée par"),
    )
    motif_retrait = models.TextField(_("motif du retrait"), blank=True)

    class Meta:
        verbose_name = _("entrée du cahier de suivi")
        verbose_name_plural = _("cahier de suivi")
        ordering = ["atelier", "-date", "-cree_le"]

    def __str__(self) -> str:
        if self.retiree_le:
            return f"{format_date(self.date)} — entrée retirée"
        return f"{format_date(self.date)} — {self.texte[:40]}"


class RevisionJournal(models.Model):
    """An earlier text of a logbook entry, kept when its author edits it."""

    entree = models.ForeignKey(EntreeJournal, on_delete=models.CASCADE, related_name="revisions")
    date = models.DateField(_("date"))
    texte = models.TextField(_("texte (Markdown)"))
    # When this text was written (the entry's creation or its previous edit).
    ecrit_le = models.DateTimeField(_("écrit le"))
    remplace_le = models.DateTimeField(_("remplacé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("version antérieure d'une entrée du cahier")
        verbose_name_plural = _("versions antérieures des entrées du cahier")
        ordering = ["entree", "-remplace_le"]

    def __str__(self) -> str:
        return f"{self.entree_id} — {self.ecrit_le:%d/%m/%Y %H:%M}"


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


# --- Capitalisation (issue 17) -----------------------------------------------------------------


class FicheCapitalisation(models.Model):
    """What an atelier teaches the programme, written by its pilote at restitution and
    reviewed by DGALN before it is published or compared."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", _("Brouillon")
        SOUMISE = "soumise", _("Soumise à la DGALN")
        VALIDEE = "validee", _("Validée")
        A_REVOIR = "a_revoir", _("À revoir")

    TRANSITIONS = {
        Statut.BROUILLON: {Statut.SOUMISE},
        Statut.SOUMISE: {Statut.VALIDEE, Statut.A_REVOIR},
        Statut.A_REVOIR: {Statut.SOUMISE},
        Statut.VALIDEE: {Statut.A_REVOIR},
    }

    class Echelle(models.TextChoices):
        COMMUNALE = "communale", _("Communale")
        INTERCOMMUNALE = "intercommunale", _("Intercommunale")
        BASSIN_DE_VIE = "bassin_de_vie", _("Bassin de vie")
        DEPARTEMENTALE = "departementale", _("Départementale")
        INTERTERRITORIALE = "interterritoriale", _("Interterritoriale")

    atelier = models.OneToOneField(
        Atelier,
        on_delete=models.CASCADE,
        related_name="fiche_capitalisation",
        verbose_name=_("atelier"),
    )
    reussites = models.TextField(_("ce qui a fonctionné"), blank=True)
    obstacles = models.TextField(_("obstacles rencontrés"), blank=True)
    conditions_reussite = models.TextField(_("conditions de réussite"), blank=True)
    pratiques_transferables = models.TextField(_("pratiques transférables"), blank=True)
    themes = models.CharField(
        _("thèmes"), max_length=300, blank=True, help_text=_("Séparés par des virgules.")
    )
    echelle = models.CharField(_("échelle du projet"), max_length=20, choices=Echelle.choices)
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.BROUILLON
    )
    motif_revue = models.TextField(_("remarques de la DGALN"), blank=True)
    modifiee_le = models.DateTimeField(_("modifiée le"), auto_now=True)
    validee_le = models.DateTimeField(_("validée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("fiche de capitalisation")
        verbose_name_plural = _("fiches de capitalisation")
        constraints = [
            models.CheckConstraint(
                condition=~Q(statut="validee") | Q(validee_le__isnull=False),
                name="fiche_validation_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"Fiche de capitalisation — {self.atelier}"

    @property
    def liste_themes(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]
