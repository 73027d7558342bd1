"""The audit chain moves out of the records into seals written just after them (partnerships/audit.py).

Records keep what they are; the cases a list returned move from a link table into the record itself (`returned`,
so the seal's hash covers them), with a GIN index on PostgreSQL for "who saw my case". Records written before
this migration have no seal: the sealer seals them, in id order, at its first run. Run `manage.py verify_audit`
before migrating to check the old chain one last time.

This migration updates the audit table once (copying the links), as the owner, with the append-only trigger
paused inside its own transaction.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import partnerships.fields

COPY_LINKS = """
UPDATE partnerships_auditevent AS event SET returned = links.ids
FROM (SELECT auditevent_id, array_agg(jointcase_id ORDER BY jointcase_id) AS ids
      FROM partnerships_auditevent_returned_cases GROUP BY auditevent_id) AS links
WHERE links.auditevent_id = event.id
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION partnerships_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % refused on %', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER partnerships_audit_seal_append_only
    BEFORE UPDATE OR DELETE ON partnerships_auditseal
    FOR EACH ROW EXECUTE FUNCTION partnerships_audit_append_only();
CREATE INDEX partnerships_auditevent_returned_gin ON partnerships_auditevent USING gin (returned);
"""


def copy_links(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE partnerships_auditevent DISABLE TRIGGER partnerships_audit_append_only")
        schema_editor.execute(COPY_LINKS)
        schema_editor.execute("ALTER TABLE partnerships_auditevent ENABLE TRIGGER partnerships_audit_append_only")
        return
    AuditEvent = apps.get_model("partnerships", "AuditEvent")
    Link = AuditEvent.returned_cases.through
    ids = {}
    for event_id, case_id in Link.objects.values_list("auditevent_id", "jointcase_id"):
        ids.setdefault(event_id, []).append(case_id)
    for event_id, case_ids in ids.items():
        AuditEvent.objects.filter(pk=event_id).update(returned=case_ids)


def seal_table_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_seal_table_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS partnerships_auditevent_returned_gin")
        schema_editor.execute("DROP TRIGGER IF EXISTS partnerships_audit_seal_append_only ON partnerships_auditseal")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0008_grant_counts")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="returned",
            field=partnerships.fields.CaseIdSetField(blank=True, default=list),
        ),
        migrations.RunPython(copy_links, migrations.RunPython.noop),
        migrations.RemoveField(model_name="auditevent", name="returned_cases"),
        migrations.RemoveField(model_name="auditevent", name="previous_hash"),
        migrations.RemoveField(model_name="auditevent", name="hash"),
        migrations.CreateModel(
            name="AuditSeal",
            fields=[
                ("position", models.BigIntegerField(primary_key=True, serialize=False)),
                ("previous_hash", models.CharField(max_length=64, unique=True)),
                ("hash", models.CharField(max_length=64, unique=True)),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("event", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="seal",
                                               to="partnerships.auditevent")),
            ],
            options={"ordering": ["position"]},
        ),
        migrations.RunPython(seal_table_guards, drop_seal_table_guards),
    ]
