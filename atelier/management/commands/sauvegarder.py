from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from atelier.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base PostgreSQL (pg_dump) et tous les fichiers téléversés (disque ou "
        "S3) dans un dossier daté, avec un manifeste des empreintes SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier", type=Path, help="dossier où créer la sauvegarde")

    def handle(self, *args, dossier: Path, **options):
        try:
            manifest = backup(dossier)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde écrite : {manifest['dossier']} "
                f"(base et {len(manifest['medias'])} fichiers)."
            )
        )
