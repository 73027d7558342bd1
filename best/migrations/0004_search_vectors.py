# The search vectors of BEST target organizations (partnerships/search.py); PostgreSQL only.

from django.db import migrations

from partnerships.search import postgresql_only, vector_column_reverse_sql, vector_column_sql

VECTORS = {
    "best_targetorganization": {"name": "A", "aliases": "A"},
}


class Migration(migrations.Migration):

    dependencies = [
        ('best', '0003_seizure_quantities_in_range'),
        ('partnerships', '0012_search_index_and_document_text'),
    ]

    operations = [
        migrations.RunPython(
            postgresql_only([s for table, weights in VECTORS.items() for s in vector_column_sql(table, weights)]),
            postgresql_only([s for table in VECTORS for s in vector_column_reverse_sql(table)])),
    ]
