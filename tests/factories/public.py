"""Helpers for the public site tests: published lauréats, roadmaps and reports."""

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify

from atelier import signing
from ateliers.models import Atelier
from feuilles_de_route import canonical
from feuilles_de_route.financements import qualifier
from feuilles_de_route.models import FeuilleDeRoute, Qualite, Rapport, Signature, Version
from feuilles_de_route.services import signature_seal
from territoires.models import Departement, Region, Territoire
from tests import factories

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def donnees_de_reference() -> None:
    """Régions, départements and historical sessions come from data migrations; a
    transactional test (live server) flushes them, so put them back when missing."""
    if not Region.objects.exists():
        from ateliers.reference import load_sessions
        from territoires.reference import load_geography

        load_geography()
        load_sessions()


def laureat(
    *,
    nom: str,
    region: str = "53",
    departements: tuple[str, ...] = ("22",),
    format: str = "local",
    annee: int = 2024,
    statut: str = Atelier.Statut.EN_COURS,
    theme: str = "",
    session=None,
    publie: bool = True,
    lat: float | None = 48.4,
    lon: float | None = -2.9,
    description: str = "",
    perimetre: dict | None = None,
) -> Atelier:
    """A territory and its atelier, published unless told otherwise."""
    donnees_de_reference()
    territoire = Territoire.objects.create(
        nom=nom,
        slug=slugify(nom),
        nature=Territoire.Nature.EPCI,
        region=Region.objects.get(code=region),
        latitude=lat,
        longitude=lon,
        description=description,
        perimetre=perimetre,
    )
    territoire.departements.set(Departement.objects.filter(code__in=departements))
    if format == "multisite" and session is None:
        session = factories.SessionFactory()
    return factories.AtelierFactory(
        territoire=territoire,
        titre=f"Atelier {nom}",
        format=format,
        annee=annee,
        statut=statut,
        theme=theme,
        session=session,
        publie=publie,
        publie_le=timezone.now() if publie else None,
    )


SIGNATAIRES = (
    (Qualite.ELU, "Anne Kervella", "Présidente de l'intercommunalité"),
    (Qualite.ETAT, "Paul Riou", "Pour le préfet, directeur de la DDTM"),
)


def feuille_publiee(
    atelier: Atelier,
    *,
    axes: int = 2,
    actions: int = 2,
    signataires=SIGNATAIRES,
    financements: list[tuple[str, ...]] = (),
) -> FeuilleDeRoute:
    """A roadmap whose adopted version freezes its axes and actions, signed and published;
    ``financements`` (source, amount[, status]) go to the first action, before the version is frozen."""
    feuille = factories.FeuilleDeRouteFactory(atelier=atelier)
    for i in range(axes):
        axe = factories.AxeFactory(feuille=feuille, titre=f"Axe stratégique {i + 1}", ordre=i)
        for j in range(actions):
            action = factories.ActionFactory(axe=axe, titre=f"Action {i + 1}.{j + 1}", ordre=j)
            if i == j == 0:
                for source, montant, *statut in financements:
                    action.financements.create(
                        **qualifier(source),
                        montant=montant,
                        statut=statut[0] if statut else "envisage",
                    )
    contenu = canonical.snapshot(feuille)
    version = Version.objects.create(
        feuille=feuille,
        numero=1,
        contenu=contenu,
        empreinte=canonical.empreinte(contenu),
        statut=Version.Statut.ADOPTEE,
        adoptee_le=timezone.now(),
    )
    for qualite, nom, capacite in signataires:
        signature = Signature(
            version=version,
            signataire=factories.UtilisateurFactory(),
            nom_signataire=nom,
            qualite=qualite,
            capacite=capacite,
            empreinte=version.empreinte,
        )
        signature_seal(signature)
        signature.save()
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        version_adoptee=version, publiee=True, publiee_le=timezone.now()
    )
    feuille.refresh_from_db()
    return feuille


def rapport_publie(atelier: Atelier, *, version=None) -> Rapport:
    rapport = Rapport(
        atelier=atelier,
        version=version,
        statut=Rapport.Statut.PRET,
        empreinte=hashlib.sha256(PDF).hexdigest(),
        taille=len(PDF),
        genere_le=timezone.now() - dt.timedelta(minutes=1),
        publie=True,
    )
    rapport.sceau_cle, rapport.sceau_signature = signing.sign("rapport", rapport.empreinte)
    rapport.fichier.save("rapport-restitution.pdf", ContentFile(PDF), save=False)
    rapport.save()
    return rapport
