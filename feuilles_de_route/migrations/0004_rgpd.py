"""Seal format 2 and pseudonymisation of a signatory (feuilles_de_route.services).

A format-2 seal covers a salted commitment to the signatory's identity
(``engagement_identite``) instead of the clear name, so that the name shown
(``nom_signataire``) and the attestation may have a closed account's name replaced by its
pseudonym without breaking any seal. The trigger now lets a signature change only thus:

- ``nom_signataire`` and ``attestation``: a name replaced by a pseudonym, as listed in
  ``journal_remplacementnom`` in the same transaction (the journal's one rewrite path);
- ``sel_identite``: erased (set to ''), never set nor changed;
- ``pseudonymisee_le``: set once;
- the seal and its platform signature: written once, as before (0003);
- everything else the seal covers, never; a signature is never deleted on PostgreSQL.
"""


from django.db import migrations, models

FIXED = (
    "version_id",
    "signataire_id",
    "qualite",
    "capacite",
    "signee_le",
    "empreinte",
    "engagement_identite",
)
NAMES = ("nom_signataire", "attestation")
MESSAGE = "Une signature ne peut être ni modifiée ni supprimée."


def allowed(same):
    """SQL true when an UPDATE of a signature is one the module docstring allows."""
    conditions = [f"NEW.{c} {same} OLD.{c}" for c in FIXED]
    conditions += [
        f"(NEW.{c} {same} OLD.{c} OR EXISTS (SELECT 1 FROM journal_remplacementnom r"
        f" WHERE NEW.{c} = replace(OLD.{c}, r.nom, r.pseudonyme)))"
        for c in NAMES
    ]
    conditions += [
        f"(NEW.sel_identite {same} OLD.sel_identite OR NEW.sel_identite = '')",
        f"(NEW.pseudonymisee_le {same} OLD.pseudonymisee_le OR OLD.pseudonymisee_le IS NULL)",
        f"(OLD.sceau = '' OR NEW.sceau {same} OLD.sceau)",
        f"(OLD.sceau_signature = '' OR (NEW.sceau_signature {same} OLD.sceau_signature"
        f" AND NEW.sceau_cle {same} OLD.sceau_cle))",
    ]
    return " AND ".join(conditions)


PG = f"""
CREATE OR REPLACE FUNCTION fdr_signature_scellee() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {allowed("IS NOT DISTINCT FROM")} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE}';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE = [
    "DROP TRIGGER IF EXISTS fdr_signature_scellee;",
    f"""CREATE TRIGGER fdr_signature_scellee BEFORE UPDATE ON feuilles_de_route_signature
    WHEN NOT ({allowed("IS")})
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

    dependencies = [
        ('feuilles_de_route', '0003_sceau_signature_ecrite_une_fois'),
        ('journal', '0003_rgpd'),
    ]

    operations = [
        migrations.AddField(
            model_name='signature',
            name='engagement_identite',
            field=models.CharField(blank=True, max_length=64, verbose_name="engagement sur l'identité"),
        ),
        migrations.AddField(
            model_name='signature',
            name='pseudonymisee_le',
            field=models.DateTimeField(blank=True, null=True, verbose_name='nom pseudonymisé le'),
        ),
        migrations.AddField(
            model_name='signature',
            name='sel_identite',
            field=models.CharField(blank=True, max_length=64, verbose_name="sel de l'engagement"),
        ),
        migrations.RunPython(replace_trigger, migrations.RunPython.noop),
    ]
