"""Signature.attestation (who vetted the State agent or vouched for the élu's mandate), and
the sealed-signature trigger again, now guarding that column too.

SQLite rebuilds a table to add a column, which drops its triggers: they are re-created here
(self-contained copy of 0002's signature trigger with ``attestation`` added to the guarded
columns). At merge time, ``attestation`` belongs in 0002's ``SIGNATURE_COLUMNS``.
"""

from django.db import migrations, models

SIGNATURE_COLUMNS = (
    "version_id",
    "signataire_id",
    "nom_signataire",
    "qualite",
    "capacite",
    "attestation",
    "signee_le",
    "empreinte",
)
MESSAGE_SIGNATURE = "Une signature ne peut être ni modifiée ni supprimée."


def _changed(op):
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in SIGNATURE_COLUMNS)


PG = f"""
CREATE OR REPLACE FUNCTION fdr_signature_scellee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.sceau <> '' OR {_changed("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{MESSAGE_SIGNATURE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS fdr_signature_scellee ON feuilles_de_route_signature;
CREATE TRIGGER fdr_signature_scellee BEFORE UPDATE OR DELETE ON feuilles_de_route_signature
    FOR EACH ROW EXECUTE FUNCTION fdr_signature_scellee();
"""
SQLITE = [
    "DROP TRIGGER IF EXISTS fdr_signature_scellee;",
    f"""CREATE TRIGGER fdr_signature_scellee BEFORE UPDATE ON feuilles_de_route_signature
    WHEN OLD.sceau <> '' OR {_changed("IS NOT")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_SIGNATURE}'); END;""",
]


def add_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("feuilles_de_route", "0002_versions_figees")]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="attestation",
            field=models.CharField(
                blank=True, max_length=300, verbose_name="qualité attestée par"
            ),
        ),
        migrations.RunPython(add_trigger, migrations.RunPython.noop),
    ]
