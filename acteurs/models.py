"""People and organisations, their roles in ateliers, invitations and attendance."""

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DGALN_GROUP = "DGALN"


class UtilisateurManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class Utilisateur(AbstractUser):
    """An account. The e-mail address is the login; there is no username."""

    class FrequenceResume(models.TextChoices):
        QUOTIDIEN = "quotidien", _("Chaque jour")
        HEBDOMADAIRE = "hebdomadaire", _("Chaque semaine, le lundi")
        AUCUN = "aucun", _("Jamais")

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    # The e-mail digest of « Ce qui m'attend » (acteurs.services.resume_send), chosen on
    # « Mon espace »; switched off from the digest's own link too.
    resume_frequence = models.CharField(
        _("résumé par courriel"),
        max_length=20,
        choices=FrequenceResume.choices,
        default=FrequenceResume.HEBDOMADAIRE,
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UtilisateurManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} <{self.email}>" if full else self.email


class Organisation(models.Model):
    class Nature(models.TextChoices):
        COLLECTIVITE = "collectivite", _("Collectivité")
        DGALN = "dgaln", _("Service de l'État — DGALN")
        DREAL = "dreal", _("Service de l'État — DREAL")
        DDT = "ddt", _("Service de l'État — DDT(M)")
        ETAT_AUTRE = "etat_autre", _("Autre service de l'État")
        OPERATEUR = "operateur", _("Opérateur de l'État")
        ENTREPRISE = "entreprise", _("Entreprise")
        ASSOCIATION = "association", _("Association")
        BUREAU_ETUDES = "bureau_etudes", _("Bureau d'études")
        COLLECTIF_CITOYEN = "collectif_citoyen", _("Collectif d'habitants")

    NATURES_ETAT = (Nature.DGALN, Nature.DREAL, Nature.DDT, Nature.ETAT_AUTRE, Nature.OPERATEUR)

    nom = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    departement = models.ForeignKey(
        "territoires.Departement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("département"),
    )
    est_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["nom"]
        indexes = [models.Index(fields=["nature"])]

    def __str__(self) -> str:
        return self.nom

    @property
    def est_etat(self) -> bool:
        return self.nature in self.NATURES_ETAT


class Acteur(models.Model):
    """A person taking part in the programme, with or without an account."""

    class Specialite(models.TextChoices):
        AUCUNE = "", _("—")
        ARCHITECTE = "architecte", _("Architecte")
        URBANISTE = "urbaniste", _("Urbaniste")
        PAYSAGISTE = "paysagiste", _("Paysagiste")
        GEOGRAPHE = "geographe", _("Géographe")
        SOCIOLOGUE = "sociologue", _("Sociologue")
        ECONOMISTE = "economiste", _("Économiste")
        EXPERT_MOBILITE = "mobilite", _("Experte ou expert mobilité")
        EXPERT_EAU = "hydrologie", _("Experte ou expert eau / hydrologie")
        EXPERT_TOURISME = "tourisme", _("Experte ou expert tourisme")
        EXPERT_AUTRE = "expert", _("Autre expertise")

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="acteur",
        verbose_name=_("compte"),
    )
    prenom = models.CharField(_("prénom"), max_length=100)
    nom = models.CharField(_("nom"), max_length=100)
    email = models.EmailField(_("adresse électronique"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="acteurs",
        verbose_name=_("organisation"),
    )
    fonction = models.CharField(_("fonction"), max_length=200, blank=True)
    specialite = models.CharField(
        _("spécialité"), max_length=20, choices=Specialite.choices, blank=True, default=""
    )
    est_demo = models.BooleanField(_("donnée de démonstration"), default=False)

    class Meta:
        verbose_name = _("acteur")
        verbose_name_plural = _("acteurs")
        ordering = ["nom", "prenom"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}".strip()


class ServiceEtat(models.Model):
    """A State service that may run an atelier or act for the State: DGALN, a DREAL (DEAL
    overseas, DRIEAT in Île-de-France) or a DDT(M). Reference data (``acteurs.reference``),
    kept up to date by DGALN in ``/gestion/services-etat/``."""

    class Nature(models.TextChoices):
        DGALN = "dgaln", _("DGALN")
        DREAL = "dreal", _("DREAL / DEAL")
        DDT = "ddt", _("DDT(M)")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    nom = models.CharField(_("nom"), max_length=200)
    nature = models.CharField(_("nature"), max_length=10, choices=Nature.choices)
    region = models.ForeignKey(
        "territoires.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services_etat",
        verbose_name=_("région"),
    )
    departement = models.ForeignKey(
        "territoires.Departement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="services_etat",
        verbose_name=_("département"),
    )
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        help_text=_("Un agent connecté par ProConnect avec ce SIRET est reconnu comme agent."),
    )
    # The Organisation ateliers and acteurs point to (Atelier.service_pilote).
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_etat",
        verbose_name=_("organisation"),
    )
    actif = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("service de l'État")
        verbose_name_plural = _("services de l'État")
        ordering = ["nature", "nom"]

    def __str__(self) -> str:
        return self.nom


class AgentEtatQuerySet(models.QuerySet):
    def actifs(self) -> "AgentEtatQuerySet":
        return self.filter(revoque_le__isnull=True, service__actif=True)


class AgentEtat(models.Model):
    """An account vetted as an agent of a State service: only such an account may be the
    pilote of an atelier or sign a roadmap for the State. Vetted by DGALN (or recognised
    from a ProConnect login with the SIRET of a State service); revocable."""

    class Source(models.TextChoices):
        DGALN = "dgaln", _("Vérifié par la DGALN")
        PROCONNECT = "proconnect", _("ProConnect (SIRET d'un service de l'État)")

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agent_etat",
        verbose_name=_("compte"),
    )
    service = models.ForeignKey(
        ServiceEtat, on_delete=models.PROTECT, related_name="agents", verbose_name=_("service")
    )
    fonction = models.CharField(
        _("fonction"),
        max_length=200,
        help_text=_(
            "Par exemple « Cheffe du service aménagement ». Elle figure sur les signatures."
        ),
    )
    source = models.CharField(
        _("origine"), max_length=12, choices=Source.choices, default=Source.DGALN
    )
    verifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vérifié par"),
    )
    verifie_le = models.DateTimeField(_("vérifié le"))
    revoque_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("révoqué par"),
    )
    revoque_le = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    objects = AgentEtatQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent de l'État")
        verbose_name_plural = _("agents de l'État")
        ordering = ["service__nom", "utilisateur__last_name"]

    def __str__(self) -> str:
        return f"{self.nom_complet}, {self.qualite}"

    @property
    def nom_complet(self) -> str:
        return self.utilisateur.get_full_name() or self.utilisateur.email

    @property
    def qualite(self) -> str:
        """The capacity in which the agent acts and signs: function and service."""
        return f"{self.fonction}, {self.service.nom}" if self.fonction else self.service.nom

    @property
    def est_actif(self) -> bool:
        return self.revoque_le is None and self.service.actif


class Role(models.TextChoices):
    PILOTE = "pilote", _("Pilote")
    EQUIPE = "equipe", _("Équipe pluridisciplinaire")
    ELU = "elu", _("Élu·e")
    TECHNICIEN = "technicien", _("Technicien·ne")
    SOCIO_PROFESSIONNEL = "socio_professionnel", _("Acteur socio-professionnel")
    HABITANT = "habitant", _("Habitant·e")
    OBSERVATEUR = "observateur", _("Observateur·rice")


class Participation(models.Model):
    """An acteur in an atelier, with one role there (other ateliers may give other roles)."""

    acteur = models.ForeignKey(
        Acteur, on_delete=models.CASCADE, related_name="participations", verbose_name=_("acteur")
    )
    atelier = models.ForeignKey(
        "ateliers.Atelier",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("atelier"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    cree_le = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    # An élu's mandate, as the pilote vouched for it when inviting them (copied from the
    # invitation): it is what the élu signs as, and the signature shows who vouched.
    collectivite = models.CharField(_("collectivité"), max_length=200, blank=True)
    mandat = models.CharField(_("mandat"), max_length=200, blank=True)
    atteste_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mandat attesté par"),
    )
    atteste_par_nom = models.CharField(_("mandat attesté par (nom)"), max_length=250, blank=True)
    atteste_le = models.DateTimeField(_("mandat attesté le"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["atelier", "role", "acteur__nom"]
        constraints = [
            models.UniqueConstraint(fields=["acteur", "atelier"], name="participation_unique"),
        ]
        indexes = [models.Index(fields=["atelier", "role"])]

    def __str__(self) -> str:
        # Read in the atelier's history and the DGALN log, which name the atelier already.
        return f"{self.acteur} — {self.get_role_display()}"

    @property
    def qualite_elu(self) -> str:
        """What an élu signs as: the mandate and collectivité the pilote vouched for."""
        return ", ".join(part for part in (self.mandat, self.collectivite) if part)


class Invitation(models.Model):
    class Statut(models.TextChoices):
        ENVOYEE = "envoyee", _("Envoyée")
        ACCEPTEE = "acceptee", _("Acceptée")
        ANNULEE = "annulee", _("Annulée")

    TRANSITIONS = {
        Statut.ENVOYEE: {Statut.ACCEPTEE, Statut.ANNULEE},
        Statut.ACCEPTEE: set(),
        Statut.ANNULEE: set(),
    }

    atelier = models.ForeignKey(
        "ateliers.Atelier",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("atelier"),
    )
    email = models.EmailField(_("adresse électronique"))
    prenom = models.CharField(_("prénom"), max_length=100, blank=True)
    nom = models.CharField(_("nom"), max_length=100, blank=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    # For an élu: the mandate the inviting pilote vouches for (see Participation).
    collectivite = models.CharField(_("collectivité"), max_length=200, blank=True)
    mandat = models.CharField(_("mandat"), max_length=200, blank=True)
    statut = models.CharField(
        _("statut"), max_length=20, choices=Statut.choices, default=Statut.ENVOYEE
    )
    invitee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invitée par"),
    )
    cree_le = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expire_le = models.DateTimeField(_("expire le"))
    acceptee_le = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    # Set when the e-mail went (``atelier.emails.send_once``): a redelivered task sends nothing.
    courriel_envoye_le = models.DateTimeField(_("courriel parti le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expire_le__gt=models.F("cree_le")), name="invitation_expire_apres"
            ),
        ]

    def __str__(self) -> str:
        # Read in the atelier's history and the DGALN log, which name the atelier already.
        return f"Invitation de {self.email} ({self.get_role_display()})"


class Presence(models.Model):
    """Attendance of a participant at a stage."""

    etape = models.ForeignKey(
        "ateliers.Etape",
        on_delete=models.CASCADE,
        related_name="presences",
        verbose_name=_("étape"),
    )
    participation = models.ForeignKey(
        Participation,
        on_delete=models.CASCADE,
        related_name="presences",
        verbose_name=_("participation"),
    )
    present = models.BooleanField(_("présent·e"), default=True)

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["etape", "participation"], name="presence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.participation.acteur} @ {self.etape}"


class ResumeEnvoye(models.Model):
    """The proof that a person's digest for one period went (one per person and period)."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="+", verbose_name=_("destinataire")
    )
    # "2026-12-01" for a daily digest, "2026-S49" for a weekly one.
    periode = models.CharField(_("période"), max_length=20)
    envoye_le = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("résumé envoyé")
        verbose_name_plural = _("résumés envoyés")
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "periode"], name="resume_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur_id} — {self.periode}"
