"""The database refuses to change what was signed, whatever the code path (ORM, raw SQL, admin).

- a version's content, hash, number and roadmap can never be updated;
- a signature can never be updated, except that its seal (``sceau``), computed from the
  stored signing time right after the insert, is written once; on PostgreSQL it can never be
  deleted either (SQLite, the development database, keeps DELETE so that tests can flush it;
  PostgreSQL's flush is a TRUNCATE, which row triggers do not see).
"""

from django.db import migrations

VERSION_COLUMNS = ("contenu", "empreinte", "numero", "feuille_id")
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
MESSAGE_VERSION = "Une version de feuille de route est figée : son contenu ne peut pas changer."
MESSAGE_SIGNATURE = "Une signature ne peut être ni modifiée ni supprimée."


def _changed(columns, op):
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in columns)


PG = f"""
CREATE OR REPLACE FUNCTION fdr_version_figee() RETURNS trigger AS $$
BEGIN
    IF {_changed(VERSION_COLUMNS, "IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{MESSAGE_VERSION}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS fdr_version_figee ON feuilles_de_route_version;
CREATE TRIGGER fdr_version_figee BEFORE UPDATE ON feuilles_de_route_version
    FOR EACH ROW EXECUTE FUNCTION fdr_version_figee();

CREATE OR REPLACE FUNCTION fdr_signature_scellee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.sceau <> '' OR {_changed(SIGNATURE_COLUMNS, "IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{MESSAGE_SIGNATURE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS fdr_signature_scellee ON feuilles_de_route_signature;
CREATE TRIGGER fdr_signature_scellee BEFORE UPDATE OR DELETE ON feuilles_de_route_signature
    FOR EACH ROW EXECUTE FUNCTION fdr_signature_scellee();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS fdr_version_figee ON feuilles_de_route_version;
DROP FUNCTION IF EXISTS fdr_version_figee();
DROP TRIGGER IF EXISTS fdr_signature_scellee ON feuilles_de_route_signature;
DROP FUNCTION IF EXISTS fdr_signature_scellee();
"""
SQLITE = [
    f"""CREATE TRIGGER IF NOT EXISTS fdr_version_figee BEFORE UPDATE ON feuilles_de_route_version
    WHEN {_changed(VERSION_COLUMNS, "IS NOT")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_VERSION}'); END;""",
    f"""CREATE TRIGGER IF NOT EXISTS fdr_signature_scellee BEFORE UPDATE ON feuilles_de_route_signature
    WHEN OLD.sceau <> '' OR {_changed(SIGNATURE_COLUMNS, "IS NOT")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_SIGNATURE}'); END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS fdr_version_figee;",
    "DROP TRIGGER IF EXISTS fdr_signature_scellee;",
]


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("feuilles_de_route", "0001_initial")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
