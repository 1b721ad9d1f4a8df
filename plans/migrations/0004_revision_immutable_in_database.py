"""Database-level immutability of plan revisions, under the model-level check.

The model refuses changes, but a raw UPDATE, a queryset .update() or a bulk delete never
calls save()/delete(). These triggers refuse them in the database itself: once a revision
exists only its review `status` may change, and it cannot be deleted (deleting its plan is
refused too, since the cascade deletes the revision first: a submitted plan is a record).

(Superseded for deletion by 0005: the unlock table and the flush command that wrote into
it are gone; a revision's seal, checked at commit, now guards its deletion.)
"""

from django.db import migrations

TABLE = "plans_planrevision"
IMMUTABLE = ("number", "schema", "snapshot", "plan_id", "submitted_by_id", "submitted_at", "submitted_from")

POSTGRES_UP = [
    "CREATE TABLE IF NOT EXISTS plans_revision_unlock (flag integer NOT NULL)",
    """
    CREATE OR REPLACE FUNCTION plans_revision_guard() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM plans_revision_unlock) THEN
            RETURN COALESCE(NEW, OLD);
        END IF;
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'A plan revision cannot be deleted.' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF %s THEN
            RAISE EXCEPTION 'A plan revision cannot be changed once submitted.' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """
    % " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in IMMUTABLE),
    f"CREATE TRIGGER plans_revision_guard BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION plans_revision_guard()",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS plans_revision_guard ON {TABLE}",
    "DROP FUNCTION IF EXISTS plans_revision_guard()",
    "DROP TABLE IF EXISTS plans_revision_unlock",
]

SQLITE_UP = [
    "CREATE TABLE IF NOT EXISTS plans_revision_unlock (flag integer NOT NULL)",
    f"""
    CREATE TRIGGER plans_revision_no_update BEFORE UPDATE ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM plans_revision_unlock) AND ({" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in IMMUTABLE)})
    BEGIN SELECT RAISE(ABORT, 'A plan revision cannot be changed once submitted.'); END
    """,
    f"""
    CREATE TRIGGER plans_revision_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM plans_revision_unlock)
    BEGIN SELECT RAISE(ABORT, 'A plan revision cannot be deleted.'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS plans_revision_no_update",
    "DROP TRIGGER IF EXISTS plans_revision_no_delete",
    "DROP TABLE IF EXISTS plans_revision_unlock",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_workflow_records")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
