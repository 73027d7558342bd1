# The search vectors of ShipRider patrols and their logged activities (boardings) (partnerships/search.py); PostgreSQL only.

from django.db import migrations

from partnerships.search import postgresql_only, vector_column_reverse_sql, vector_column_sql

VECTORS = {
    "shiprider_patrol": {"notes": "B"},
    "shiprider_activity": {"target_name": "A", "target_registration": "A", "place": "B", "target_flag": "C",
                           "outcome": "B"},
}


class Migration(migrations.Migration):

    dependencies = [
        ('shiprider', '0001_initial'),
        ('partnerships', '0012_search_index_and_document_text'),
    ]

    operations = [
        migrations.RunPython(
            postgresql_only([s for table, weights in VECTORS.items() for s in vector_column_sql(table, weights)]),
            postgresql_only([s for table in VECTORS for s in vector_column_reverse_sql(table)])),
    ]
