from django.db import migrations

# On PostgreSQL the database itself refuses to rewrite history: no UPDATE or DELETE on the
# audit table, whatever the code path (ORM, raw SQL, admin).
PG_TRIGGER = """
CREATE OR REPLACE FUNCTION journal_audit_ajout_seul() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Le journal d''audit est en ajout seul (% refusé).', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS journal_audit_ajout_seul ON journal_evenementaudit;
CREATE TRIGGER journal_audit_ajout_seul
    BEFORE UPDATE OR DELETE ON journal_evenementaudit
    FOR EACH ROW EXECUTE FUNCTION journal_audit_ajout_seul();
"""
PG_TRIGGER_DROP = """
DROP TRIGGER IF EXISTS journal_audit_ajout_seul ON journal_evenementaudit;
DROP FUNCTION IF EXISTS journal_audit_ajout_seul();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TRIGGER, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_TRIGGER_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [migrations.RunPython(add_trigger, drop_trigger)]
