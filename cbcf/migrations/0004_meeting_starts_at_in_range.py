"""Meetings saved before dates had a range (portal/limits.py) may start in year 10000: a start of 9999-12-31 23:59
in Toronto is stored in UTC, and reading it back failed /cbcf/ and the meeting page for everyone. Such starts are
brought to the edge of the range, where the secretariat sees them and sets the real time."""

import datetime

from django.db import migrations

# Inside the range in every time zone (UTC-12 to UTC+14), so that the timing form takes the value back.
EARLIEST = datetime.datetime(1900, 1, 2, tzinfo=datetime.UTC)
LATEST = datetime.datetime(2200, 12, 31, tzinfo=datetime.UTC)


def bring_into_range(apps, schema_editor):
    Meeting = apps.get_model("cbcf", "Meeting")
    # Updated in the database without reading the value back, which is what fails.
    Meeting.objects.filter(starts_at__gt=LATEST).update(starts_at=LATEST)
    Meeting.objects.filter(starts_at__lt=EARLIEST).update(starts_at=EARLIEST)


class Migration(migrations.Migration):
    dependencies = [("cbcf", "0003_background_papers")]

    operations = [migrations.RunPython(bring_into_range, migrations.RunPython.noop)]
