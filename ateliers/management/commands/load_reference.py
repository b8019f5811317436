from django.core.management.base import BaseCommand
from django.db import transaction

from acteurs.reference import load_services_etat
from ateliers.reference import load_laureats_historiques, load_sessions
from territoires.reference import load_communes, load_geography, load_site


class Command(BaseCommand):
    help = (
        "Charge les données de référence (régions, départements, communes et EPCI du COG "
        "avec leurs contours, sessions nationales 2006–2023 et leurs lauréats retrouvés "
        "dans les sources publiques, services de l'État) et règle "
        "l'enregistrement Site sur ATELIER_SITE_URL. Idempotent : "
        "les relancer ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Réécrit les communes et EPCI même si ce millésime est déjà chargé.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        regions, departements = load_geography()
        cog = load_communes(force=options["force"])
        sessions = load_sessions()
        historiques = load_laureats_historiques()
        services = load_services_etat()
        domaine = load_site()
        site = f" Site : {domaine}." if domaine else " ATELIER_SITE_URL vide : Site inchangé."
        self.stdout.write(
            self.style.SUCCESS(
                f"Référentiel à jour : {regions} régions, {departements} départements, "
                f"{sessions} sessions nationales historiques ({historiques['laureats']} lauréats "
                f"retrouvés dans les sources), {services} services de l'État, "
                f"{cog['communes']} communes et {cog['epci']} EPCI et EPT "
                f"(COG {cog['millesime']}).{site}"
            )
        )
