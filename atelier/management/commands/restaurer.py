from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atelier.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de `sauvegarder` dans la base (vide) de DATABASE_URL et le "
        "stockage des médias configuré, après avoir vérifié chaque empreinte du manifeste."
    )

    def add_arguments(self, parser):
        parser.add_argument("sauvegarde", type=Path, help="dossier sauvegarde-AAAAMMJJ-HHMMSS")

    def handle(self, *args, sauvegarde: Path, **options):
        try:
            manifest = restore(sauvegarde)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde du {manifest['cree_le']} restaurée "
                f"(base et {len(manifest['medias'])} fichiers). Vérifiez-la : "
                "python manage.py verifier_integrite"
            )
        )
