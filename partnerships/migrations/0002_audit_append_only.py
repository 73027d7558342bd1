"""On PostgreSQL, the audit table refuses UPDATE and DELETE, even from the portal's own database user.

TRUNCATE is left to the database owner (the test runner empties tables with it); the hash chain
still shows any record removed that way as a break.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION partnerships_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused on partnerships_auditevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER partnerships_audit_append_only
    BEFORE UPDATE OR DELETE ON partnerships_auditevent
    FOR EACH ROW EXECUTE FUNCTION partnerships_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS partnerships_audit_append_only ON partnerships_auditevent;
DROP FUNCTION IF EXISTS partnerships_audit_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
