from django.db import migrations

from territoires.reference import load_geography


def forwards(apps, schema_editor):
    load_geography(apps)


class Migration(migrations.Migration):

    dependencies = [
        ('territoires', '0001_initial'),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
