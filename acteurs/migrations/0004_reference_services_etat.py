"""Data migration: the reference State services (DGALN, DREAL/DEAL, DDT(M)). Self-contained
apart from the reference list itself (``acteurs.reference``, plain data and one loader)."""

from django.db import migrations


def load(apps, schema_editor):
    from acteurs.reference import load_services_etat

    load_services_etat(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("acteurs", "0003_groupe_dgaln"),
        ("territoires", "0002_reference_geographie"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
