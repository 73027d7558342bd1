"""The GIN index on the cases a record returned writes its entries at once (fastupdate off).

With the pending list on, the insert that filled it (every fourth or fifth export's record) merged the whole list
into the index inside that request: 0.8-1.2 s (docs/benchmarks.md, "The audit trail"). The deconfliction name index
is set the same way.
"""

from django.db import migrations


def fastupdate(value):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER INDEX partnerships_auditevent_returned_gin SET (fastupdate = {value})")
            # Entries already waiting in the list go into the index now: every search read the whole list.
            schema_editor.execute("SELECT gin_clean_pending_list('partnerships_auditevent_returned_gin')")
    return run


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0010_audit_team_reads")]

    operations = [migrations.RunPython(fastupdate("off"), fastupdate("on"))]
