"""The programme's three formats and the stages each one runs, as the ministry describes them.

Reference data shipped with the code (source: ``shared/seed/atelier-des-territoires.txt``):
Multisite and Local run for 10–12 months with three workshops, Flash for 3–6 months with one.
Each stage template lists the deliverables it must produce before it can be marked done.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    MULTISITE = "multisite", _("Multisite")
    LOCAL = "local", _("Local")
    FLASH = "flash", _("Flash")


class NatureEtape(models.TextChoices):
    LANCEMENT = "lancement", _("Séminaire de lancement")
    VISITE = "visite", _("Visite de terrain")
    ATELIER_1 = "atelier_1", _("Atelier 1 — prise de connaissance")
    ATELIER_2 = "atelier_2", _("Atelier 2 — consolidation")
    ATELIER_3 = "atelier_3", _("Atelier 3 — stratégie")
    ATELIER_FLASH = "atelier_flash", _("Atelier flash")
    INTER_ATELIER = "inter_atelier", _("Inter-atelier")
    RESTITUTION = "restitution", _("Séminaire de restitution")
    PRESENTATION = "presentation", _("Présentation publique")


class NatureLivrable(models.TextChoices):
    NOTE_CADRAGE = "note_cadrage", _("Note de cadrage (méthode et calendrier)")
    COMPTE_RENDU = "compte_rendu", _("Compte rendu de la séance")
    RAPPORT_ETONNEMENT = "rapport_etonnement", _("Rapport d'étonnement")
    VISION_PARTAGEE = "vision_partagee", _("Vision territoriale partagée")
    SITES_DEMONSTRATEURS = "sites_demonstrateurs", _("Sites démonstrateurs")
    PROJET_FEUILLE_DE_ROUTE = "projet_feuille_de_route", _("Projet de feuille de route")


@dataclass(frozen=True)
class ModeleEtape:
    nature: str
    livrables: tuple[str, ...] = ()
    optionnelle: bool = False


@dataclass(frozen=True)
class SpecFormat:
    code: str
    duree_min_mois: int
    duree_max_mois: int
    selection: str
    enjeux: str
    thematique: str
    reseau: str
    etapes: tuple[ModeleEtape, ...] = field(default_factory=tuple)

    @property
    def nombre_ateliers(self) -> int:
        ateliers = {NatureEtape.ATELIER_1, NatureEtape.ATELIER_2, NatureEtape.ATELIER_3}
        return sum(
            1 for e in self.etapes if e.nature in ateliers or e.nature == NatureEtape.ATELIER_FLASH
        )


CR = NatureLivrable.COMPTE_RENDU
# The 2026 description: the note de cadrage (method and calendar) comes first, before the
# launch seminar, in every format.
CADRAGE = NatureLivrable.NOTE_CADRAGE

_ETAPES_LONGUES = (
    ModeleEtape(NatureEtape.LANCEMENT, (CADRAGE, CR)),
    ModeleEtape(NatureEtape.VISITE, (), optionnelle=True),
    ModeleEtape(NatureEtape.ATELIER_1, (CR, NatureLivrable.RAPPORT_ETONNEMENT)),
    ModeleEtape(
        NatureEtape.ATELIER_2,
        (CR, NatureLivrable.VISION_PARTAGEE, NatureLivrable.SITES_DEMONSTRATEURS),
    ),
    ModeleEtape(NatureEtape.ATELIER_3, (CR, NatureLivrable.PROJET_FEUILLE_DE_ROUTE)),
    ModeleEtape(NatureEtape.RESTITUTION, (CR,)),
    ModeleEtape(NatureEtape.PRESENTATION, (), optionnelle=True),
)

FORMATS: dict[str, SpecFormat] = {
    Format.MULTISITE: SpecFormat(
        code=Format.MULTISITE,
        duree_min_mois=10,
        duree_max_mois=12,
        selection=_("candidature et sélection par AMI"),
        enjeux=_("enjeux de grande échelle"),
        thematique=_("thématique commune nationale"),
        reseau=_("mise en réseau, capitalisation et production d'un « bouger les lignes »"),
        etapes=_ETAPES_LONGUES,
    ),
    Format.LOCAL: SpecFormat(
        code=Format.LOCAL,
        duree_min_mois=10,
        duree_max_mois=12,
        selection=_("candidature et sélection au fil de l'eau"),
        enjeux=_("enjeux de grande échelle"),
        thematique=_("thématique spécifique locale"),
        reseau=_("mise en réseau selon les besoins et capitalisation"),
        etapes=_ETAPES_LONGUES,
    ),
    Format.FLASH: SpecFormat(
        code=Format.FLASH,
        duree_min_mois=3,
        duree_max_mois=6,
        selection=_("candidature et sélection au fil de l'eau"),
        enjeux=_("enjeux de petite échelle"),
        thematique=_("thématique spécifique locale"),
        reseau=_("mise en réseau selon les besoins et capitalisation"),
        etapes=(
            ModeleEtape(NatureEtape.LANCEMENT, (CADRAGE, CR)),
            ModeleEtape(
                NatureEtape.ATELIER_FLASH,
                (CR, NatureLivrable.RAPPORT_ETONNEMENT, NatureLivrable.PROJET_FEUILLE_DE_ROUTE),
            ),
            ModeleEtape(NatureEtape.RESTITUTION, (CR,)),
        ),
    ),
}


def spec(format_code: str) -> SpecFormat:
    return FORMATS[format_code]
