from django.db import migrations

from ateliers.reference import load_sessions


def forwards(apps, schema_editor):
    load_sessions(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('ateliers', '0001_initial'),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
