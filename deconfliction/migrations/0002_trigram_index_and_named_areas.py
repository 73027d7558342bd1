"""pg_trgm and a trigram index on subject names (PostgreSQL only), and the named areas of the border."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

AREAS = [
    # name (English), name (French), latitude, longitude, radius (m): a circle around each stretch
    ("Detroit River", "Rivière Détroit", 42.2200, -83.1300, 15000),
    ("St. Clair River", "Rivière Sainte-Claire", 42.8500, -82.4500, 20000),
    ("Niagara River", "Rivière Niagara", 43.0900, -79.0300, 20000),
    ("Akwesasne / St. Lawrence River", "Akwesasne / fleuve Saint-Laurent", 44.9900, -74.6600, 15000),
    ("Thousand Islands", "Mille-Îles", 44.3300, -75.9300, 25000),
    ("Lake Champlain (north)", "Lac Champlain (nord)", 44.9800, -73.3400, 15000),
    ("Haro Strait", "Détroit de Haro", 48.5600, -123.2000, 20000),
    ("Boundary Bay / Blaine", "Baie Boundary / Blaine", 49.0000, -122.8600, 12000),
    ("Sault Ste. Marie / St. Marys River", "Sault-Sainte-Marie / rivière Sainte-Marie", 46.5000, -84.3500, 15000),
]


def add_areas(apps, schema_editor):
    NamedArea = apps.get_model("deconfliction", "NamedArea")
    for name_en, name_fr, latitude, longitude, radius_m in AREAS:
        NamedArea.objects.get_or_create(name_en=name_en, defaults={
            "name_fr": name_fr, "latitude": latitude, "longitude": longitude, "radius_m": radius_m})


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS subjectkey_name_trgm ON partnerships_subjectkey "
            "USING gin (key gin_trgm_ops) WHERE kind = 'name'")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS subjectkey_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("deconfliction", "0001_initial"),
        ("partnerships", "0005_deconfliction_contacts"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(trigram_index, drop_trigram_index),
        migrations.RunPython(add_areas, migrations.RunPython.noop),
    ]
