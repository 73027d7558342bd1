# Written by hand: migration 0012 added jointcase_reference_prefix for a reference typed in part, but the unique
# CharField already has Django's own index for LIKE (partnerships_jointcase_reference_..._like, varchar_pattern_ops):
# two identical indexes, 30 MB each at a million cases, both written at every new case.

from django.db import migrations

from partnerships.search import postgresql_only

FORWARD = ["DROP INDEX IF EXISTS jointcase_reference_prefix"]
REVERSE = ["CREATE INDEX IF NOT EXISTS jointcase_reference_prefix ON partnerships_jointcase "
           "(reference varchar_pattern_ops)"]


class Migration(migrations.Migration):

    dependencies = [
        ("partnerships", "0019_agency_acronym_fr"),
    ]

    operations = [
        migrations.RunPython(postgresql_only(FORWARD), postgresql_only(REVERSE)),
    ]
