"""Funding lines become structured: a funder from the list, a label, an amount, a status.

Existing lines keep their text: a text that is exactly one of the list's names (« Région »,
« ADEME »…) becomes that funder; any other text (« DSIL », « Région Bretagne ») becomes
« autre » with the text as its label, so that what a frozen version recorded reads the same.
Every existing line is « envisagé »: nothing said it was requested or acquired.
"""

from django.db import migrations, models

NOMS = {
    "État": "etat",
    "Région": "region",
    "Département": "departement",
    "EPCI": "epci",
    "Commune": "commune",
    "Europe": "europe",
    "ADEME": "ademe",
    "Banque des Territoires": "banque_des_territoires",
    "Agence de l'eau": "agence_de_l_eau",
}


def qualifier(apps, schema_editor):
    Financement = apps.get_model("feuilles_de_route", "Financement")
    for texte, code in NOMS.items():
        Financement.objects.filter(libelle=texte).update(financeur=code, libelle="")


def dequalifier(apps, schema_editor):
    Financement = apps.get_model("feuilles_de_route", "Financement")
    for texte, code in NOMS.items():
        Financement.objects.filter(financeur=code, libelle="").update(libelle=texte)


class Migration(migrations.Migration):
    dependencies = [
        ("feuilles_de_route", "0005_vie"),
    ]

    operations = [
        migrations.RenameField(model_name="financement", old_name="source", new_name="libelle"),
        migrations.AlterField(
            model_name="financement",
            name="libelle",
            field=models.CharField(
                blank=True, max_length=250, verbose_name="précision ou nom du financeur"
            ),
        ),
        migrations.AddField(
            model_name="financement",
            name="financeur",
            field=models.CharField(
                choices=[
                    ("etat", "État"),
                    ("region", "Région"),
                    ("departement", "Département"),
                    ("epci", "EPCI"),
                    ("commune", "Commune"),
                    ("europe", "Europe"),
                    ("ademe", "ADEME"),
                    ("banque_des_territoires", "Banque des Territoires"),
                    ("agence_de_l_eau", "Agence de l'eau"),
                    ("autre", "Autre"),
                ],
                default="autre",
                max_length=30,
                verbose_name="financeur",
            ),
        ),
        migrations.AddField(
            model_name="financement",
            name="statut",
            field=models.CharField(
                choices=[("envisage", "Envisagé"), ("demande", "Demandé"), ("acquis", "Acquis")],
                default="envisage",
                max_length=10,
                verbose_name="statut",
            ),
        ),
        migrations.RunPython(qualifier, dequalifier),
        migrations.AddConstraint(
            model_name="financement",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("financeur", "autre"), _negated=True),
                    models.Q(("libelle", ""), _negated=True),
                    _connector="OR",
                ),
                name="financement_autre_nomme",
            ),
        ),
    ]
