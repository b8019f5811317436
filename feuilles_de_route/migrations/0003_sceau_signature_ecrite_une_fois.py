"""The platform signature of a seal (``sceau_signature``, ``sceau_cle``) may be written once
on a signature sealed before it existed (``manage.py seals_sign_existing``), never changed.

Everything 0002 guarded stays guarded: the signed columns never change, the seal is
written once, a signature is never deleted on PostgreSQL.
"""

from django.db import migrations

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
MESSAGE = "Une signature ne peut être ni modifiée ni supprimée."


def _changed(columns, op):
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in columns)


def _refused(op):
    return (
        f"{_changed(SIGNATURE_COLUMNS, op)}"
        f" OR (OLD.sceau <> '' AND NEW.sceau {op} OLD.sceau)"
        f" OR (OLD.sceau_signature <> '' AND (NEW.sceau_signature {op} OLD.sceau_signature"
        f" OR NEW.sceau_cle {op} OLD.sceau_cle))"
    )


PG = f"""
CREATE OR REPLACE FUNCTION fdr_signature_scellee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR {_refused("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE = [
    "DROP TRIGGER IF EXISTS fdr_signature_scellee;",
    f"""CREATE TRIGGER fdr_signature_scellee BEFORE UPDATE ON feuilles_de_route_signature
    WHEN {_refused("IS NOT")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]


def replace_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("feuilles_de_route", "0002_versions_figees")]

    operations = [migrations.RunPython(replace_trigger, migrations.RunPython.noop)]
