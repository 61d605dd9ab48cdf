"""The database itself refuses to change (and, on PostgreSQL, delete) a staff-action row,
so not even raw SQL or a future bug in Django code can rewrite the audit trail. The one update let
through is the erasure of an account (actor set to NULL, its frozen name to
'[erased]', nothing else changed): see ActionLogQuerySet.update."""

from django.db import migrations

# Every column but the two an erasure changes: update this list with the model.
KEPT = ["id", "at", "verb", "content_type_id", "object_id", "object_label", "conference_id", "reason", "data"]

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION conference_actionlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.actor_id IS NULL AND NEW.actor_label = '[erased]'
       AND ({", ".join("NEW." + c for c in KEPT)}) IS NOT DISTINCT FROM ({", ".join("OLD." + c for c in KEPT)})
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'conference_actionlog is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER conference_actionlog_append_only
    BEFORE UPDATE OR DELETE ON conference_actionlog
    FOR EACH ROW EXECUTE FUNCTION conference_actionlog_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS conference_actionlog_append_only ON conference_actionlog;
DROP FUNCTION IF EXISTS conference_actionlog_append_only();
"""

# SQLite: updates only. Django's flush (test teardown, ``manage.py flush``) empties
# SQLite tables with DELETE, which a delete trigger would refuse; deletes stay refused
# by the model and its queryset there, and by the trigger above on PostgreSQL (whose
# flush is a TRUNCATE, which row triggers do not see).
SQLITE_FORWARD = [
    f"""CREATE TRIGGER conference_actionlog_no_update BEFORE UPDATE ON conference_actionlog
    WHEN NOT (NEW.actor_id IS NULL AND NEW.actor_label = '[erased]'
              AND {" AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)})
    BEGIN SELECT RAISE(ABORT, 'conference_actionlog is append-only'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS conference_actionlog_no_update",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("conference", "0003_actionlog")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [PG_FORWARD], "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": [PG_BACKWARD], "sqlite": SQLITE_BACKWARD}),
        ),
    ]
