"""Factories and builders for roadmap tests."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from acteurs.models import Organisation, Role
from ateliers.models import SiteDemonstrateur
from feuilles_de_route import services
from feuilles_de_route.models import Action, Axe, Financement, Qualite
from tests import factories


def site(atelier, nom="Centre-bourg", lon=-2.93, lat=48.40):
    return SiteDemonstrateur.objects.create(
        atelier=atelier, nom=nom, geometrie={"type": "Point", "coordinates": [lon, lat]}
    )


def feuille_with_actions(atelier, *, axes=2, actions_per_axe=2, description=""):
    """A roadmap draft with numbered axes and actions carrying every field."""
    feuille = services.feuille_get_or_create(atelier=atelier)
    porteur = factories.OrganisationFactory(
        nom=f"Commune de Quintin {atelier.pk}", nature=Organisation.Nature.COLLECTIVITE
    )
    partenaire = factories.OrganisationFactory(nom=f"Agence de l'eau {atelier.pk}")
    demo = site(atelier)
    for i in range(axes):
        axe = Axe.objects.create(feuille=feuille, titre=f"Axe {i + 1} : revitaliser", ordre=i)
        for j in range(actions_per_axe):
            action = Action.objects.create(
                axe=axe,
                titre=f"Action {i + 1}.{j + 1} réhabiliter la halle",
                description=description or f"Description de l'action {i + 1}.{j + 1}",
                porteur=porteur,
                echeance=dt.date(2027, 6, 30),
                cout_estime=Decimal("125000.50"),
                indicateurs="Nombre de logements",
                site=demo,
                priorite=Action.Priorite.HAUTE,
                ordre=j,
            )
            action.partenaires.add(partenaire)
            Financement.objects.create(
                action=action, financeur="autre", libelle="DSIL", montant=Decimal("50000")
            )
    return feuille


def etat_signataire(atelier, email="prefete@interieur.gouv.fr"):
    """A State representative taking part in the atelier: an observateur vetted by DGALN as
    an agent of the DDTM des Côtes-d'Armor."""
    user = factories.participant(atelier, Role.OBSERVATEUR, email=email)
    factories.vetted_agent(user, fonction="Directrice départementale")
    return user


def send(feuille, pilote, elu, etat):
    return services.version_send_for_signature(
        feuille=feuille, by=pilote, signataires=[(elu, Qualite.ELU), (etat, Qualite.ETAT)]
    )


def adopt(feuille, pilote, elu, etat, password=factories.PASSWORD):
    version = send(feuille, pilote, elu, etat)
    services.version_sign(version=version, by=elu, password=password)
    services.version_sign(version=version, by=etat, password=password)
    version.refresh_from_db()
    return version


def ensure_reference_data() -> None:
    """Reload régions/départements if a transactional test flushed them (they come from
    migrations, which a flush does not replay)."""
    from acteurs.reference import load_services_etat
    from territoires.models import Region
    from territoires.reference import load_geography

    if not Region.objects.exists():
        load_geography()
    load_services_etat()


def tamper_version(version, contenu) -> None:
    """Simulate an attacker with database access rewriting a version's content: the guard
    trigger is disabled for this test's transaction only (rolled back at the end)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS fdr_version_figee")
    type(version).objects.filter(pk=version.pk).update(contenu=contenu)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def publish(version) -> None:
    """Put the atelier and its roadmap (with ``version`` adopted) on the public site."""
    from ateliers.models import Atelier
    from feuilles_de_route.models import FeuilleDeRoute

    feuille = version.feuille
    Atelier.objects.filter(pk=feuille.atelier_id).update(publie=True, publie_le=timezone.now())
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        publiee=True, publiee_le=timezone.now(), version_adoptee=version
    )
