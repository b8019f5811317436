"""Roadmaps: axes and actions, frozen versions, co-signatures, the restitution report, follow-up."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atelier.dates import format_date


class FeuilleDeRoute(models.Model):
    atelier = models.OneToOneField(
        "ateliers.Atelier",
        on_delete=models.CASCADE,
        related_name="feuille_de_route",
        verbose_name=_("atelier"),
    )
    titre = models.CharField(_("titre"), max_length=250)
    preambule = models.TextField(_("préambule"), blank=True)
    version_adoptee = models.ForeignKey(
        "Version",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version adoptée"),
    )
    publiee = models.BooleanField(_("publiée"), default=False)
    publiee_le = models.DateTimeField(_("publiée le"), null=True, blank=True)
    modifie_le = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        verbose_name = _("feuille de route")
        verbose_name_plural = _("feuilles de route")
        constraints = [
            models.CheckConstraint(
                condition=Q(publiee=False) | Q(version_adoptee__isnull=False),
                name="feuille_publiee_si_adoptee",
            ),
        ]

    def __str__(self) -> str:
        return self.titre


class Axe(models.Model):
    feuille = models.ForeignKey(
        FeuilleDeRoute, on_delete=models.CASCADE, related_name="axes", verbose_name=_("feuille")
    )
    titre = models.CharField(_("titre"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("axe stratégique")
        verbose_name_plural = _("axes stratégiques")
        ordering = ["feuille", "ordre", "id"]

    def __str__(self) -> str:
        return self.titre


class StatutSuivi(models.TextChoices):
    A_VENIR = "a_venir", _("À venir")
    EN_COURS = "en_cours", _("En cours")
    REALISEE = "realisee", _("Réalisée")
    ABANDONNEE = "abandonnee", _("Abandonnée")
    BLOQUEE = "bloquee", _("Bloquée")


class Action(models.Model):
    class Priorite(models.TextChoices):
        HAUTE = "haute", _("Haute")
        MOYENNE = "moyenne", _("Moyenne")
        BASSE = "basse", _("Basse")

    axe = models.ForeignKey(
        Axe, on_delete=models.CASCADE, related_name="actions", verbose_name=_("axe")
    )
    titre = models.CharField(_("titre"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    porteur = models.ForeignKey(
        "acteurs.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions_portees",
        verbose_name=_("porteur"),
    )
    partenaires = models.ManyToManyField(
        "acteurs.Organisation",
        blank=True,
        related_name="actions_partenaires",
        verbose_name=_("partenaires"),
    )
    echeance = models.DateField(_("échéance"), null=True, blank=True)
    cout_estime = models.DecimalField(
        _("coût estimé (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    indicateurs = models.TextField(_("indicateurs de suivi"), blank=True)
    site = models.ForeignKey(
        "ateliers.SiteDemonstrateur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("site démonstrateur"),
    )
    priorite = models.CharField(
        _("priorité"), max_length=10, choices=Priorite.choices, default=Priorite.MOYENNE
    )
    ordre = models.PositiveSmallIntegerField(_("ordre"), default=0)
    statut_suivi = models.CharField(
        _("état d'avancement"),
        max_length=20,
        choices=StatutSuivi.choices,
        default=StatutSuivi.A_VENIR,
    )
    avancement = models.PositiveSmallIntegerField(_("avancement (%)"), null=True, blank=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["axe", "ordre", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cout_estime__isnull=True) | Q(cout_estime__gte=0),
                name="action_cout_positif",
            ),
            models.CheckConstraint(
                condition=Q(avancement__isnull=True) | Q(avancement__lte=100),
                name="action_avancement_pourcentage",
            ),
        ]

    def __str__(self) -> str:
        return self.titre


class Financeur(models.TextChoices):
    """Who funds an action: the list the programme's roadmaps name (« autre » needs a label)."""

    ETAT = "etat", _("État")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    EPCI = "epci", _("EPCI")
    COMMUNE = "commune", _("Commune")
    EUROPE = "europe", _("Europe")
    ADEME = "ademe", _("ADEME")
    BANQUE_DES_TERRITOIRES = "banque_des_territoires", _("Banque des Territoires")
    AGENCE_DE_L_EAU = "agence_de_l_eau", _("Agence de l'eau")
    AUTRE = "autre", _("Autre")


class StatutFinancement(models.TextChoices):
    ENVISAGE = "envisage", _("Envisagé")
    DEMANDE = "demande", _("Demandé")
    ACQUIS = "acquis", _("Acquis")


class Financement(models.Model):
    """One funding line of an action: a funder from the list, an amount, where it stands."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="financements", verbose_name=_("action")
    )
    financeur = models.CharField(
        _("financeur"), max_length=30, choices=Financeur.choices, default=Financeur.AUTRE
    )
    # Required for « autre »; a precision otherwise (« DSIL », « Région Bretagne »…).
    libelle = models.CharField(_("précision ou nom du financeur"), max_length=250, blank=True)
    montant = models.DecimalField(_("montant (€)"), max_digits=14, decimal_places=2)
    statut = models.CharField(
        _("statut"),
        max_length=10,
        choices=StatutFinancement.choices,
        default=StatutFinancement.ENVISAGE,
    )

    class Meta:
        verbose_name = _("financement")
        verbose_name_plural = _("financements")
        ordering = ["action", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(montant__gte=0), name="financement_positif"),
            models.CheckConstraint(
                condition=~Q(financeur="autre") | ~Q(libelle=""),
                name="financement_autre_nomme",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} : {self.montant} € ({self.get_statut_display()})"

    @property
    def source(self) -> str:
        """The funder as a person reads it (and as a frozen version records it)."""
        return source_label(self.financeur, self.libelle)


def source_label(financeur: str, libelle: str) -> str:
    """« Région », « État — DSIL », or the label of an « autre » funder."""
    if financeur == Financeur.AUTRE or not financeur:
        return libelle
    label = str(Financeur(financeur).label)
    return f"{label} — {libelle}" if libelle else label


class Version(models.Model):
    """A frozen snapshot of a roadmap. Its content never changes once created."""

    class Statut(models.TextChoices):
        FIGEE = "figee", _("Figée")
        EN_SIGNATURE = "en_signature", _("En signature")
        ADOPTEE = "adoptee", _("Adoptée")
        REMPLACEE = "remplacee", _("Remplacée")

    TRANSITIONS = {
        Statut.FIGEE: {Statut.EN_SIGNATURE, Statut.REMPLACEE},
        Statut.EN_SIGNATURE: {Statut.ADOPTEE, Statut.REMPLACEE},
        Statut.ADOPTEE: {Statut.REMPLACEE},
        Statut.REMPLACEE: set(),
    }

    feuille = models.ForeignKey(
        FeuilleDeRoute,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("feuille de route"),
    )
    numero = models.PositiveIntegerField(_("numéro"))
    contenu = models.JSONField(_("contenu canonique"))
    empreinte = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.FIGEE
    )
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    creee_le = models.DateTimeField(_("créée le"), auto_now_add=True)
    adoptee_le = models.DateTimeField(_("adoptée le"), null=True, blank=True)
    deliberation_reference = models.CharField(
        _("référence de la délibération"), max_length=200, blank=True
    )
    deliberation_date = models.DateField(_("date de la délibération"), null=True, blank=True)
    # Set by the pilote when sending for signature: shown to the signatories, a reminder
    # before it (send_signature_reminders), « en retard » after it.
    signer_avant = models.DateField(_("à signer avant le"), null=True, blank=True)

    class Meta:
        verbose_name = _("version de feuille de route")
        verbose_name_plural = _("versions de feuilles de route")
        ordering = ["feuille", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["feuille", "numero"], name="version_numero_unique"),
            models.CheckConstraint(
                condition=~Q(statut="adoptee") | Q(adoptee_le__isnull=False),
                name="version_adoption_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feuille} — version {self.numero}"

    @property
    def signature_en_retard(self) -> bool:
        """Still in signature after the day it was to be signed by."""
        return (
            self.statut == self.Statut.EN_SIGNATURE
            and self.signer_avant is not None
            and self.signer_avant < timezone.localdate()
        )


class Qualite(models.TextChoices):
    ELU = "elu", _("Élu·e du territoire")
    ETAT = "etat", _("Représentant·e de l'État")


class SignataireRequis(models.Model):
    version = models.ForeignKey(
        Version,
        on_delete=models.CASCADE,
        related_name="signataires_requis",
        verbose_name=_("version"),
    )
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signatures_attendues",
        verbose_name=_("signataire"),
    )
    qualite = models.CharField(_("qualité"), max_length=10, choices=Qualite.choices)
    demande_le = models.DateTimeField(_("demandée le"), auto_now_add=True)
    # Set when the e-mail went (``atelier.emails.send_once``): a redelivered task sends nothing.
    courriel_demande_le = models.DateTimeField(_("demande envoyée le"), null=True, blank=True)
    courriel_remplacement_le = models.DateTimeField(
        _("remplacement annoncé le"), null=True, blank=True
    )
    # The reminder before the version's ``signer_avant`` (send_once: at most one).
    rappel_envoye_le = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("signataire requis")
        verbose_name_plural = _("signataires requis")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "utilisateur"], name="signataire_requis_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} ({self.get_qualite_display()})"


class Signature(models.Model):
    version = models.ForeignKey(
        Version, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("version")
    )
    signataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("signataire"),
    )
    # The name shown. Replaceable, once, by the pseudonym of a closed account: the seal covers
    # the salted commitment below, not this text (feuilles_de_route.services.signature_document).
    nom_signataire = models.CharField(_("nom du signataire"), max_length=250)
    # SHA-256 of the canonical {"nom", "sel"}: the identity the seal covers (seal format 2).
    # Empty on a format-1 seal, which covers the name itself.
    engagement_identite = models.CharField(
        _("engagement sur l'identité"), max_length=64, blank=True
    )
    # The random salt of that commitment: published with the name so that anyone checks that
    # the name shown is the one sealed; erased when the account closes (the commitment then
    # reveals nothing, and no guessed name can be confirmed against it).
    sel_identite = models.CharField(_("sel de l'engagement"), max_length=64, blank=True)
    pseudonymisee_le = models.DateTimeField(_("nom pseudonymisé le"), null=True, blank=True)
    qualite = models.CharField(_("qualité"), max_length=10, choices=Qualite.choices)
    capacite = models.CharField(
        _("en qualité de"), max_length=250, help_text=_("Par exemple « Maire de Quintin ».")
    )
    # Who vouched for the capacity: the DGALN agent who vetted a State agent, the pilote
    # who vouched for an élu's mandate (shown on the signature page and at /verifier/).
    attestation = models.CharField(_("qualité attestée par"), max_length=300, blank=True)
    signee_le = models.DateTimeField(_("signée le"), default=timezone.now)
    empreinte = models.CharField(_("empreinte SHA-256 signée"), max_length=64, db_index=True)
    # The seal of this signature: SHA-256 of the canonical {version hash, who, capacity, when},
    # so that a signature can be checked on its own at /verifier/<sceau>/.
    sceau = models.CharField(_("sceau de la signature"), max_length=64, blank=True, db_index=True)
    # The platform's Ed25519 signature of the seal (atelier/signing.py) and the identifier of
    # the key that made it: what proves the row was written by the platform.
    sceau_signature = models.CharField(_("signature du sceau"), max_length=100, blank=True)
    sceau_cle = models.CharField(_("clé du sceau"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["version", "signee_le"]
        constraints = [
            models.UniqueConstraint(fields=["version", "signataire"], name="signature_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.nom_signataire}, {self.capacite}"


class StatutDocument(models.TextChoices):
    EN_ATTENTE = "en_attente", _("En attente")
    EN_COURS = "en_cours", _("En cours")
    PRET = "pret", _("Prêt")
    ECHEC = "echec", _("Échec")


class DocumentGenere(models.Model):
    """What every PDF the platform generates shares (the restitution report, the carnet de
    suivi, the national synthesis): the render's state, its file and hash, who asked, when.

    The steps (render → hash → seal → store → ready, the failure, the re-render after an
    account closure) are in ``feuilles_de_route.documents``; each concrete model names its
    file (``fichier``, its folder) and may redefine a field's label (« demandée par »).
    """

    Statut = StatutDocument
    TRANSITIONS = {
        Statut.EN_ATTENTE: {Statut.EN_COURS},
        # en_cours -> en_attente: the render outlived its deadline (rapport_watchdog, Relancer).
        Statut.EN_COURS: {Statut.PRET, Statut.ECHEC, Statut.EN_COURS, Statut.EN_ATTENTE},
        Statut.ECHEC: {Statut.EN_ATTENTE},
        Statut.PRET: set(),
    }

    statut = models.CharField(
        _("statut"),
        max_length=20,
        choices=StatutDocument.choices,
        default=StatutDocument.EN_ATTENTE,
    )
    empreinte = models.CharField(_("empreinte SHA-256"), max_length=64, blank=True, db_index=True)
    taille = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    erreur = models.TextField(_("erreur"), blank=True)
    tentatives = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    demande_le = models.DateTimeField(_("demandé le"), auto_now_add=True)
    # When the render read the data its file shows (the start of the render).
    genere_le = models.DateTimeField(_("généré le"), null=True, blank=True)
    publie = models.BooleanField(_("publié"), default=False)

    class Meta:
        abstract = True

    @property
    def bloque(self) -> bool:
        """Queued or being rendered past its deadline: its worker died or its message was lost.
        Only a document with a deadline (``echeance``, the report) is ever stuck."""
        echeance = getattr(self, "echeance", None)
        return (
            self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS)
            and echeance is not None
            and echeance < timezone.now()
        )


class DocumentScelle(DocumentGenere):
    """A generated document whose hash the platform signs (atelier/signing.py)."""

    # The platform's Ed25519 signature of ``empreinte`` and its key (atelier/signing.py).
    sceau_signature = models.CharField(_("signature de l'empreinte"), max_length=100, blank=True)
    sceau_cle = models.CharField(_("clé de la signature"), max_length=16, blank=True)

    class Meta:
        abstract = True


class Rapport(DocumentScelle):
    """The restitution report (PDF) of an atelier for one adopted roadmap version."""

    atelier = models.ForeignKey(
        "ateliers.Atelier", on_delete=models.CASCADE, related_name="rapports"
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rapports",
        verbose_name=_("version de la feuille de route"),
    )
    fichier = models.FileField(_("fichier PDF"), upload_to="rapports/%Y/", blank=True)
    # While queued or being rendered: the moment after which the report counts as stuck (its
    # worker died, its message was lost); the watchdog then queues it again, and "Relancer"
    # is offered (rapport_watchdog, rapport_retry).
    echeance = models.DateTimeField(_("échéance du rendu"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapport de restitution")
        verbose_name_plural = _("rapports de restitution")
        ordering = ["atelier", "-demande_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["atelier", "version"], name="rapport_unique_par_version"
            ),
            models.CheckConstraint(
                condition=~Q(statut="pret") | ~Q(empreinte=""), name="rapport_pret_a_empreinte"
            ),
            models.CheckConstraint(
                condition=Q(publie=False) | Q(statut="pret"), name="rapport_publie_si_pret"
            ),
        ]

    def __str__(self) -> str:
        return f"Rapport de restitution — {self.atelier}"


class PointSuivi(models.Model):
    """A dated check-in on an action's progress after adoption."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="points_suivi", verbose_name=_("action")
    )
    date = models.DateField(_("date"))
    etat = models.CharField(_("état"), max_length=20, choices=StatutSuivi.choices)
    commentaire = models.TextField(_("commentaire"))
    pourcentage = models.PositiveSmallIntegerField(_("avancement (%)"), null=True, blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    cree_le = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("point de suivi")
        verbose_name_plural = _("points de suivi")
        ordering = ["action", "-date", "-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pourcentage__isnull=True) | Q(pourcentage__lte=100),
                name="suivi_pourcentage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {format_date(self.date)} : {self.get_etat_display()}"


class RappelSuivi(models.Model):
    """Marks that the n-month follow-up reminder was sent, so beat never sends it twice."""

    feuille = models.ForeignKey(FeuilleDeRoute, on_delete=models.CASCADE, related_name="rappels")
    mois = models.PositiveSmallIntegerField(_("mois après adoption"))
    envoye_le = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    courriel_envoye_le = models.DateTimeField(_("courriel parti le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rappel de suivi")
        verbose_name_plural = _("rappels de suivi")
        constraints = [
            models.UniqueConstraint(fields=["feuille", "mois"], name="rappel_unique"),
            models.CheckConstraint(condition=Q(mois__gt=0), name="rappel_mois_positif"),
        ]

    def __str__(self) -> str:
        return f"{self.feuille} — {self.mois} mois"


# --- Indicators (issue 17) ---------------------------------------------------------------------


class Unite(models.TextChoices):
    """Units an indicator can be measured in; ``UNITES_ENTIERES`` only take whole numbers."""

    NOMBRE = "nombre", _("nombre")
    POURCENTAGE = "pourcentage", _("%")
    EUROS = "euros", _("€")
    HECTARES = "hectares", _("ha")
    METRES_CARRES = "m2", _("m²")
    KILOMETRES = "km", _("km")
    LOGEMENTS = "logements", _("logements")
    EMPLOIS = "emplois", _("emplois")
    TONNES_CO2 = "tco2e", _("t CO₂e")
    MWH = "mwh", _("MWh")


UNITES_ENTIERES = {Unite.NOMBRE, Unite.LOGEMENTS, Unite.EMPLOIS}


class Indicateur(models.Model):
    """An indicator of the national catalogue kept by DGALN, or a local one (``local``)."""

    class Sens(models.TextChoices):
        HAUSSE = "hausse", _("Plus c'est haut, mieux c'est")
        BAISSE = "baisse", _("Plus c'est bas, mieux c'est")

    class Periodicite(models.TextChoices):
        MENSUELLE = "mensuelle", _("Mensuelle")
        TRIMESTRIELLE = "trimestrielle", _("Trimestrielle")
        SEMESTRIELLE = "semestrielle", _("Semestrielle")
        ANNUELLE = "annuelle", _("Annuelle")
        PONCTUELLE = "ponctuelle", _("Ponctuelle")

    nom = models.CharField(_("nom"), max_length=200)
    definition = models.TextField(_("définition"))
    unite = models.CharField(_("unité"), max_length=20, choices=Unite.choices)
    source = models.CharField(_("source des données"), max_length=250, blank=True)
    periodicite = models.CharField(
        _("périodicité"),
        max_length=20,
        choices=Periodicite.choices,
        default=Periodicite.ANNUELLE,
    )
    sens = models.CharField(
        _("sens souhaité"), max_length=10, choices=Sens.choices, default=Sens.HAUSSE
    )
    themes = models.CharField(
        _("thèmes"), max_length=300, blank=True, help_text=_("Séparés par des virgules.")
    )
    cible_nationale = models.DecimalField(
        _("cible nationale"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    local = models.BooleanField(
        _("indicateur local"),
        default=False,
        help_text=_("Créé pour une action quand le catalogue national n'en offre aucun."),
    )
    actif = models.BooleanField(_("proposé dans le catalogue"), default=True)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["local", "nom", "id"]

    def __str__(self) -> str:
        return self.nom

    @property
    def liste_themes(self) -> list[str]:
        return [t.strip() for t in self.themes.split(",") if t.strip()]


class IndicateurAction(models.Model):
    """An indicator followed for one action, with its baseline and its target."""

    action = models.ForeignKey(
        Action,
        on_delete=models.CASCADE,
        related_name="indicateurs_suivis",
        verbose_name=_("action"),
    )
    indicateur = models.ForeignKey(
        Indicateur,
        on_delete=models.PROTECT,
        related_name="suivis",
        verbose_name=_("indicateur"),
    )
    valeur_initiale = models.DecimalField(
        _("valeur de référence"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    date_initiale = models.DateField(_("date de la valeur de référence"), null=True, blank=True)
    valeur_cible = models.DecimalField(
        _("valeur cible"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    date_cible = models.DateField(_("échéance de la cible"), null=True, blank=True)
    # The latest measure, kept here by the service that records measures, so that lists
    # and roll-ups read one row per indicator instead of every measure.
    derniere_valeur = models.DecimalField(
        _("dernière valeur"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    derniere_date = models.DateField(_("date de la dernière valeur"), null=True, blank=True)

    class Meta:
        verbose_name = _("indicateur d'une action")
        verbose_name_plural = _("indicateurs des actions")
        ordering = ["action", "indicateur__nom", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "indicateur"], name="indicateur_action_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.indicateur}"


class MesureIndicateur(models.Model):
    """A measured value of an action's indicator, entered at follow-up."""

    suivi = models.ForeignKey(
        IndicateurAction,
        on_delete=models.CASCADE,
        related_name="mesures",
        verbose_name=_("indicateur suivi"),
    )
    date = models.DateField(_("date"))
    valeur = models.DecimalField(_("valeur"), max_digits=16, decimal_places=3)
    source = models.CharField(_("source"), max_length=250, blank=True)
    commentaire = models.TextField(_("commentaire"), blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )
    cree_le = models.DateTimeField(_("saisie le"), auto_now_add=True)

    class Meta:
        verbose_name = _("mesure d'indicateur")
        verbose_name_plural = _("mesures d'indicateurs")
        ordering = ["suivi", "-date", "-cree_le"]
        indexes = [models.Index(fields=["suivi", "-date"], name="mesure_suivi_date")]

    def __str__(self) -> str:
        return f"{self.suivi} — {format_date(self.date)} : {self.valeur}"


class Synthese(DocumentScelle):
    """The synthesis PDF of a national session (or a selection of ateliers), for the national
    meeting and the reference publication. Each generation is a new numbered version."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        EN_COURS = "en_cours", _("En cours")
        PRET = "pret", _("Prête")
        ECHEC = "echec", _("Échec")

    TRANSITIONS = {
        Statut.EN_ATTENTE: {Statut.EN_COURS},
        Statut.EN_COURS: {Statut.PRET, Statut.ECHEC, Statut.EN_COURS},
        Statut.ECHEC: {Statut.EN_ATTENTE},
        Statut.PRET: set(),
    }

    session = models.ForeignKey(
        "ateliers.SessionNationale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="syntheses",
        verbose_name=_("session nationale"),
    )
    ateliers = models.ManyToManyField(
        "ateliers.Atelier", blank=True, related_name="+", verbose_name=_("ateliers")
    )
    titre = models.CharField(_("titre"), max_length=250)
    numero = models.PositiveIntegerField(_("version"))
    lecons = models.TextField(_("enseignements transversaux"), blank=True)
    # The fields of DocumentGenere, with the feminine labels of « la synthèse ».
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE
    )
    fichier = models.FileField(_("fichier PDF"), upload_to="syntheses/%Y/", blank=True)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("demandée par"),
    )
    demande_le = models.DateTimeField(_("demandée le"), auto_now_add=True)
    genere_le = models.DateTimeField(_("générée le"), null=True, blank=True)
    publie = models.BooleanField(_("publiée"), default=False)

    class Meta:
        verbose_name = _("synthèse nationale")
        verbose_name_plural = _("synthèses nationales")
        ordering = ["-demande_le", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "numero"], name="synthese_numero_unique"),
            models.CheckConstraint(
                condition=~Q(statut="pret") | ~Q(empreinte=""), name="synthese_prete_a_empreinte"
            ),
            models.CheckConstraint(
                condition=Q(publie=False) | Q(statut="pret"), name="synthese_publiee_si_prete"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.titre} — version {self.numero}"


class Consultation(models.Model):
    """The concertation on a frozen draft version: invited roles react before signature."""

    class Statut(models.TextChoices):
        OUVERTE = "ouverte", _("Ouverte")
        CLOSE = "close", _("Clôturée")

    TRANSITIONS = {Statut.OUVERTE: {Statut.CLOSE}, Statut.CLOSE: set()}

    version = models.OneToOneField(
        Version,
        on_delete=models.PROTECT,
        related_name="consultation",
        verbose_name=_("version"),
    )
    statut = models.CharField(
        _("statut"), max_length=10, choices=Statut.choices, default=Statut.OUVERTE
    )
    # The participants' roles invited to comment (acteurs.models.Role values).
    roles = models.JSONField(_("rôles invités"), default=list)
    cloture_prevue = models.DateTimeField(_("date de clôture"))
    ouverte_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("ouverte par"),
    )
    ouverte_le = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    close_le = models.DateTimeField(_("close le"), null=True, blank=True)
    # The summary computed at closing (selectors.consultation_summary), kept with the version.
    synthese = models.JSONField(_("synthèse"), null=True, blank=True)

    class Meta:
        verbose_name = _("concertation")
        verbose_name_plural = _("concertations")

    def __str__(self) -> str:
        return f"Concertation sur la version {self.version.numero}"


class Cible(models.TextChoices):
    AXE = "axe", _("Axe")
    ACTION = "action", _("Action")


class PriseEnCompte(models.TextChoices):
    RETENU = "retenu", _("Retenu")
    PARTIELLEMENT = "partiellement", _("Partiellement retenu")
    NON_RETENU = "non_retenu", _("Non retenu")


class Commentaire(models.Model):
    """A participant's comment on an axis or an action of the version under consultation.

    ``ref`` is the axis' or action's ``ref`` in the version's canonical content (the draft
    may have changed since), ``cible_titre`` its title there.
    """

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="commentaires",
        verbose_name=_("concertation"),
    )
    cible = models.CharField(_("porte sur"), max_length=10, choices=Cible.choices)
    ref = models.PositiveIntegerField(_("référence"))
    cible_titre = models.CharField(_("titre de l'élément"), max_length=250)
    axe_ref = models.PositiveIntegerField(_("axe"))
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commentaires_concertation",
        verbose_name=_("auteur"),
    )
    role = models.CharField(_("rôle de l'auteur"), max_length=30)
    texte = models.TextField(_("commentaire"))
    cree_le = models.DateTimeField(_("écrit le"), auto_now_add=True)
    reponse = models.TextField(_("réponse du pilote"), blank=True)
    prise_en_compte = models.CharField(
        _("prise en compte"), max_length=20, choices=PriseEnCompte.choices, blank=True
    )
    repondu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("répondu par"),
    )
    repondu_le = models.DateTimeField(_("répondu le"), null=True, blank=True)
    masque = models.BooleanField(_("masqué"), default=False)
    masque_motif = models.TextField(_("motif du masquage"), blank=True)

    class Meta:
        verbose_name = _("commentaire de concertation")
        verbose_name_plural = _("commentaires de concertation")
        ordering = ["consultation", "cree_le", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(masque=False) | ~Q(masque_motif=""), name="commentaire_masque_motive"
            ),
            models.CheckConstraint(
                condition=Q(prise_en_compte="") | ~Q(reponse=""),
                name="commentaire_prise_en_compte_motivee",
            ),
        ]

    def __str__(self) -> str:
        return f"Commentaire sur « {self.cible_titre} »"


class Soutien(models.Model):
    """A participant supports an axis or an action of the version (once per element)."""

    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.CASCADE,
        related_name="soutiens",
        verbose_name=_("concertation"),
    )
    cible = models.CharField(_("porte sur"), max_length=10, choices=Cible.choices)
    ref = models.PositiveIntegerField(_("référence"))
    axe_ref = models.PositiveIntegerField(_("axe"))
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="soutiens_concertation",
        verbose_name=_("auteur"),
    )
    role = models.CharField(_("rôle de l'auteur"), max_length=30)
    cree_le = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "cible", "ref", "auteur"], name="soutien_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Soutien ({self.get_cible_display()} {self.ref})"


class CarnetDeSuivi(DocumentGenere):
    """The carnet de suivi (PDF): the course of the atelier stage by stage, minutes and
    deliverables, logbook, concertation, proposals. Regenerated on request: each request
    makes a new numbered edition with its own hash."""

    atelier = models.ForeignKey(
        "ateliers.Atelier", on_delete=models.CASCADE, related_name="carnets"
    )
    numero = models.PositiveIntegerField(_("édition"))
    fichier = models.FileField(_("fichier PDF"), upload_to="carnets/%Y/", blank=True)

    class Meta:
        verbose_name = _("carnet de suivi")
        verbose_name_plural = _("carnets de suivi")
        ordering = ["atelier", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["atelier", "numero"], name="carnet_numero_unique"),
            models.CheckConstraint(
                condition=~Q(statut="pret") | ~Q(empreinte=""), name="carnet_pret_a_empreinte"
            ),
            models.CheckConstraint(
                condition=Q(publie=False) | Q(statut="pret"), name="carnet_publie_si_pret"
            ),
        ]

    def __str__(self) -> str:
        return f"Carnet de suivi n° {self.numero} — {self.atelier}"


class EmpreinteRemplacee(models.Model):
    """The hash of a generated document whose file was replaced by a new render (a person it
    named closed their account): /verifier/<empreinte>/ still answers that the document
    existed, when and why it was replaced, by which hash, and that the platform signed it.
    The old file itself is deleted (it held the name)."""

    class Motif(models.TextChoices):
        CLOTURE_COMPTE = "cloture_compte", _("Clôture du compte d'une personne nommée")

    # The seal's nature (atelier/signing.py): « rapport », « synthese », or « carnet ».
    nature = models.CharField(_("nature du document"), max_length=20)
    document_id = models.PositiveBigIntegerField(_("document"))
    empreinte = models.CharField(_("empreinte SHA-256 remplacée"), max_length=64, unique=True)
    sceau_signature = models.CharField(_("signature de l'empreinte"), max_length=100, blank=True)
    sceau_cle = models.CharField(_("clé de la signature"), max_length=16, blank=True)
    genere_le = models.DateTimeField(_("généré le"), null=True, blank=True)
    nouvelle_empreinte = models.CharField(_("remplacée par l'empreinte"), max_length=64)
    remplacee_le = models.DateTimeField(_("remplacée le"), default=timezone.now)
    motif = models.CharField(_("motif"), max_length=20, choices=Motif.choices)

    class Meta:
        verbose_name = _("empreinte remplacée")
        verbose_name_plural = _("empreintes remplacées")
        ordering = ["-remplacee_le"]
        indexes = [models.Index(fields=["nature", "document_id"], name="empreinte_remplacee_doc")]

    def __str__(self) -> str:
        return f"{self.empreinte[:12]}… → {self.nouvelle_empreinte[:12]}…"


class RegenerationDue(models.Model):
    """A generated document owed a new render because a person it may name closed their
    account: written in the closure's transaction (so it is the closure's committed marker),
    deleted once a render that began after that commit has replaced the file (the re-render,
    or an ordinary render that started later). While it exists the stored PDF may still
    name the person: the watchdog queues the re-render again, a bounded number of times,
    and a failed one is shown to DGALN on /gestion/ (``documents.regenerations_watchdog``).
    """

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", _("En attente")
        ECHEC = "echec", _("Échec")

    # The document's nature, as in EmpreinteRemplacee: « rapport », « synthese », « carnet ».
    nature = models.CharField(_("nature du document"), max_length=20)
    document_id = models.PositiveBigIntegerField(_("document"))
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE
    )
    # Set again by each closure that owes it: a render that saw an earlier value did not
    # see the later closure.
    demandee_le = models.DateTimeField(_("demandée le"), default=timezone.now)
    tentatives = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # The watchdog queues the re-render again from then on (its task was lost or failed).
    relance_le = models.DateTimeField(_("à relancer à partir du"))
    erreur = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("régénération due")
        verbose_name_plural = _("régénérations dues")
        ordering = ["demandee_le"]
        constraints = [
            models.UniqueConstraint(fields=["nature", "document_id"], name="regeneration_due_doc")
        ]
        indexes = [models.Index(fields=["statut", "relance_le"], name="regeneration_due_relance")]

    def __str__(self) -> str:
        return f"{self.nature} {self.document_id} ({self.get_statut_display()})"
