from django.core.management.base import BaseCommand, CommandError

from feuilles_de_route.selectors import integrity_check


class Command(BaseCommand):
    help = (
        "Recalcule chaque empreinte : versions signées, sceaux des signatures, SHA-256 des "
        "rapports et des fichiers téléversés. Échoue (code 1) si une seule ne correspond pas."
    )

    def handle(self, *args, **options):
        result = integrity_check()
        counts = result["counts"]
        summary = (
            f"{counts['versions']} versions, {counts['signatures']} signatures, "
            f"{counts['rapports']} rapports, {counts['fichiers']} fichiers vérifiés"
        )
        if result["failures"]:
            for failure in result["failures"]:
                self.stderr.write(f"  {failure}")
            raise CommandError(
                f"{len(result['failures'])} empreintes ne correspondent pas ({summary})."
            )
        self.stdout.write(self.style.SUCCESS(f"Tout est intact : {summary}."))
