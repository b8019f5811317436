"""Sign with the platform key the seals recorded before seals were signed (run once)."""

from django.core.management.base import BaseCommand

from feuilles_de_route.services import seals_sign_existing


class Command(BaseCommand):
    help = (
        "Signe avec la clé de la plateforme les sceaux enregistrés avant la signature des "
        "sceaux (signatures et rapports), quand la plateforme les a elle-même consignés dans "
        "le journal d'audit et que leurs empreintes se recalculent. À lancer une fois, à la "
        "mise en service de la clé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Compte sans rien signer ni écrire."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        counts = seals_sign_existing(dry_run=dry_run)
        verbe = "à signer" if dry_run else "signés"
        self.stdout.write(
            f"Sceaux de signatures {verbe} : {counts['signatures']} ; rapports {verbe} : "
            f"{counts['rapports']} ; laissés non signés (non consignés ou altérés) : "
            f"{counts['refuses']}."
        )
