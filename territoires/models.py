"""Reference geography (régions, départements, communes, EPCI) and the project perimeters of
ateliers."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    nom = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    latitude = models.FloatField(_("latitude du centre"), null=True, blank=True)
    longitude = models.FloatField(_("longitude du centre"), null=True, blank=True)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        # French order: the slug is the name without accents or capitals, so Île-de-France
        # comes among the I (by "nom", it would come after Provence-Alpes-Côte d'Azur).
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.nom


class Departement(models.Model):
    code = models.CharField(_("code INSEE"), max_length=3, unique=True)
    nom = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name=_("région")
    )
    latitude = models.FloatField(_("latitude de la préfecture"), null=True, blank=True)
    longitude = models.FloatField(_("longitude de la préfecture"), null=True, blank=True)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class ReferenceQuerySet(models.QuerySet):
    def actifs(self):
        """In the current vintage of the COG (a commune merged away stays, inactive)."""
        return self.filter(actif=True)


class Commune(models.Model):
    """A commune of the Code officiel géographique (INSEE), loaded by ``load_reference``."""

    code = models.CharField(_("code INSEE"), max_length=5, unique=True)
    nom = models.CharField(_("nom"), max_length=100)
    nom_recherche = models.CharField(max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name=_("département"),
    )
    population = models.PositiveIntegerField(_("population municipale"), default=0)
    codes_postaux = models.CharField(_("codes postaux"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    # The shipped encoding (territoires.contours), decoded on the way out: a third of the size.
    contour = models.JSONField(_("contour (encodé)"), null=True, blank=True, editable=False)
    actif = models.BooleanField(_("dans le millésime en vigueur"), default=True)
    millesime = models.CharField(_("millésime du COG"), max_length=4)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["nom", "code"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class EPCI(models.Model):
    """An intercommunality with its own tax system (CC, CA, CU, métropole) or a Grand Paris
    EPT. One that spans several départements or régions belongs to all of them."""

    class Nature(models.TextChoices):
        CC = "CC", _("Communauté de communes")
        CA = "CA", _("Communauté d'agglomération")
        CU = "CU", _("Communauté urbaine")
        ME = "ME", _("Métropole")
        EPT = "EPT", _("Établissement public territorial")

    siren = models.CharField(_("SIREN"), max_length=9, unique=True)
    nom = models.CharField(_("nom"), max_length=200)
    nom_recherche = models.CharField(max_length=200, db_index=True, editable=False)
    nature = models.CharField(_("nature"), max_length=3, choices=Nature.choices)
    communes = models.ManyToManyField(
        Commune, related_name="epci", verbose_name=_("communes membres"), blank=True
    )
    departements = models.ManyToManyField(
        Departement, related_name="epci", verbose_name=_("départements"), blank=True
    )
    regions = models.ManyToManyField(
        Region, related_name="epci", verbose_name=_("régions"), blank=True
    )
    population = models.PositiveIntegerField(_("population municipale"), default=0)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    contour = models.JSONField(_("contour (encodé)"), null=True, blank=True, editable=False)
    actif = models.BooleanField(_("dans le millésime en vigueur"), default=True)
    millesime = models.CharField(_("millésime du COG"), max_length=4)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class TerritoireQuerySet(models.QuerySet):
    def publics(self) -> "TerritoireQuerySet":
        """Territories with at least one published atelier."""
        return self.filter(ateliers__publie=True).distinct()


class Territoire(models.Model):
    class Nature(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        EPCI = "epci", _("Intercommunalité (EPCI)")
        PETR = "petr", _("PETR / Pays")
        PNR = "pnr", _("Parc naturel régional")
        DEPARTEMENT = "departement", _("Département")
        INTER_TERRITORIAL = "inter_territorial", _("Groupement inter-territorial")
        AUTRE = "autre", _("Autre périmètre")

    nom = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    nature = models.CharField(_("nature"), max_length=20, choices=Nature.choices)
    code_insee = models.CharField(_("code INSEE"), max_length=5, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="territoires", verbose_name=_("région")
    )
    departements = models.ManyToManyField(
        Departement, related_name="territoires", verbose_name=_("départements"), blank=True
    )
    description = models.TextField(_("présentation"), blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    perimetre = models.JSONField(
        _("périmètre (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("Polygone ou multipolygone GeoJSON, coordonnées en longitude/latitude."),
    )
    communes = models.ManyToManyField(
        Commune,
        related_name="territoires",
        verbose_name=_("communes membres"),
        blank=True,
        help_text=_("Les communes choisies une à une dans le référentiel."),
    )
    epci = models.ManyToManyField(
        EPCI,
        related_name="territoires",
        verbose_name=_("EPCI membres"),
        blank=True,
        help_text=_("Les intercommunalités choisies dans le référentiel, avec leurs communes."),
    )
    # Names and codes of the territory's places (communes, EPCI, départements, région), kept
    # by ``services.territoire_derive`` for the search: "Quintin" finds the EPCI around it.
    lieux = models.TextField(_("lieux (recherche)"), blank=True, editable=False)
    est_demo = models.BooleanField(_("donnée de démonstration"), default=False)
    cree_le = models.DateTimeField(_("créé le"), auto_now_add=True)
    modifie_le = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = TerritoireQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="territoire_latitude_valide",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="territoire_longitude_valide",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="territoire_point_complet",
            ),
            models.UniqueConstraint(
                fields=["siren"], condition=~Q(siren=""), name="territoire_siren_unique"
            ),
        ]
        indexes = [models.Index(fields=["nature"]), models.Index(fields=["region", "nom"])]

    def __str__(self) -> str:
        return self.nom

    def get_absolute_url(self) -> str:
        return reverse("public:detail", kwargs={"slug": self.slug})

    @property
    def point(self) -> dict | None:
        """The marker as a GeoJSON Point (lon, lat order), or None."""
        if self.latitude is None or self.longitude is None:
            return None
        return {"type": "Point", "coordinates": [self.longitude, self.latitude]}
