"""Revisions sealed against deletion without overriding Django's flush.

0004 refused every DELETE of a revision with a row trigger, and opened the guard through an
"unlock" table that a replacement `flush` command wrote into: every user of manage.py got a
patched core command so the test runner could empty the database. A row trigger cannot tell
a flush from a mistaken bulk delete (SQLite has no statement triggers, and flush deletes the
tables in no fixed order, so a rule like "only once the plan row is gone" fails half the
time). What does tell them apart is the end of the transaction: flush empties every table in
one transaction, a mistake deletes revisions and leaves the rest.

So each revision now gets a seal row (written by a trigger on insert, whatever code inserts
it) whose foreign key to the revision is checked at commit (Django creates it DEFERRABLE
INITIALLY DEFERRED). Deleting a revision leaves its seal pointing at nothing and the commit
fails; flush deletes the seals too, in the same transaction, and commits. The ORM refuses
earlier still: the seal's foreign key is PROTECT, and PlanRevision's queryset refuses
delete(). Changing a revision stays refused by the row triggers (flush never updates).

PostgreSQL's flush is TRUNCATE, which fires no row trigger, so there the immediate DELETE
trigger stays, without the unlock table; the seal guards it there as well.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "plans_planrevision"
SEAL = "plans_revisionseal"
IMMUTABLE = ("number", "schema", "snapshot", "plan_id", "submitted_by_id", "submitted_at", "submitted_from")

POSTGRES_UP = [
    """
    CREATE OR REPLACE FUNCTION plans_revision_guard() RETURNS trigger AS $$
    BEGIN
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
    f"""
    CREATE OR REPLACE FUNCTION plans_revision_seal() RETURNS trigger AS $$
    BEGIN
        INSERT INTO {SEAL} (revision_id) VALUES (NEW.id);
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    f"CREATE TRIGGER plans_revision_seal AFTER INSERT ON {TABLE} FOR EACH ROW EXECUTE FUNCTION plans_revision_seal()",
    f"INSERT INTO {SEAL} (revision_id) SELECT id FROM {TABLE}",
    "DROP TABLE IF EXISTS plans_revision_unlock",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS plans_revision_seal ON {TABLE}",
    "DROP FUNCTION IF EXISTS plans_revision_seal()",
    "CREATE TABLE IF NOT EXISTS plans_revision_unlock (flag integer NOT NULL)",
]

SQLITE_UP = [
    "DROP TRIGGER IF EXISTS plans_revision_no_update",
    "DROP TRIGGER IF EXISTS plans_revision_no_delete",
    f"""
    CREATE TRIGGER plans_revision_no_update BEFORE UPDATE ON {TABLE}
    WHEN {" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in IMMUTABLE)}
    BEGIN SELECT RAISE(ABORT, 'A plan revision cannot be changed once submitted.'); END
    """,
    f"""
    CREATE TRIGGER plans_revision_seal AFTER INSERT ON {TABLE}
    BEGIN INSERT INTO {SEAL} (revision_id) VALUES (NEW.id); END
    """,
    f"INSERT INTO {SEAL} (revision_id) SELECT id FROM {TABLE}",
    "DROP TABLE IF EXISTS plans_revision_unlock",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS plans_revision_seal",
    "CREATE TABLE IF NOT EXISTS plans_revision_unlock (flag integer NOT NULL)",
    # 0004's triggers come back with its own migration's state; recreating them here would
    # duplicate that SQL, so going back past 0005 re-runs 0004 (migrate plans 0003, then 0004).
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("plans", "0004_revision_immutable_in_database")]

    operations = [
        migrations.CreateModel(
            name="RevisionSeal",
            fields=[
                (
                    "revision",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="plans.planrevision",
                    ),
                ),
            ],
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
