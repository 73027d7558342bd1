"""Quantities saved before the forms knew the column's size (numeric(14, 3)): SQLite kept what PostgreSQL refuses
(a seizure of 1e20 kg), and reading it back failed the investigation page for everyone. Such a quantity becomes the
largest the column holds, and the description says what had been typed (shared enforcement results: the BEST
seizure form let them in; the table is partnerships')."""

from decimal import Decimal

from django.db import migrations

LARGEST = Decimal("99999999999.999")


def bring_into_range(apps, schema_editor):
    EnforcementResult = apps.get_model("partnerships", "EnforcementResult")
    # Neither read nor compared as a decimal in Python: the value itself is what cannot be read back.
    for pk, description in EnforcementResult.objects.filter(quantity__gt=LARGEST).values_list("pk", "description"):
        note = f"[quantity recorded beyond {LARGEST}, set to it]"
        kept = description[:300 - len(note) - 1]  # the column's 300 characters
        EnforcementResult.objects.filter(pk=pk).update(quantity=LARGEST, description=f"{kept} {note}".strip())


class Migration(migrations.Migration):
    dependencies = [("best", "0002_initial"), ("partnerships", "0008_grant_counts")]

    operations = [migrations.RunPython(bring_into_range, migrations.RunPython.noop)]
