"""Audit records write less: the GIN index on `returned` takes new ids in its pending list again, which the sealer
merges every second (partnerships/audit.py, _merge_returned_index), and the two single-column indexes that the
(case, -at) and (agency, -at) indexes already serve are dropped.

Writing each id into the index at once (0011) cost a page record 130 kB of WAL after a checkpoint and about twice
the time of a pending-list append (docs/benchmarks.md). Merging a pending list is allowed only to the index's owner
(or a superuser), and the sealer runs as the runtime role: a SECURITY DEFINER function, owned by the owner role
that runs this migration, does that one thing and nothing else, with a fixed search path.
"""

import django.db.models.deletion
from django.db import migrations, models

GIN = "partnerships_auditevent_returned_gin"
FUNCTION = "partnerships_audit_merge_returned_index"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX {GIN} SET (fastupdate = on)")
    schema_editor.execute(f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS bigint
        LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$ SELECT pg_catalog.gin_clean_pending_list('public.{GIN}'::pg_catalog.regclass) $$""")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    schema_editor.execute(f"ALTER INDEX {GIN} SET (fastupdate = off)")
    schema_editor.execute(f"SELECT gin_clean_pending_list('{GIN}')")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0014_designation_renewals")]

    operations = [
        migrations.AlterField(
            model_name="auditevent", name="agency",
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="partnerships.agency"),
        ),
        migrations.AlterField(
            model_name="auditevent", name="case",
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="partnerships.jointcase"),
        ),
        migrations.RunPython(forward, backward),
    ]
