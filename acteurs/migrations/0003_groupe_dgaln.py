from django.db import migrations

DGALN_GROUP = "DGALN"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=DGALN_GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("acteurs", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
