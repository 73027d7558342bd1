# The search vectors of IBET occurrences and intelligence reports (partnerships/search.py); PostgreSQL only.

from django.db import migrations

from partnerships.search import postgresql_only, vector_column_reverse_sql, vector_column_sql

VECTORS = {
    "ibet_occurrence": {"place": "A", "nearest_port": "A", "nationalities": "B", "narrative": "B"},
    "ibet_intelligencereport": {"subject": "A", "text": "B"},
}


class Migration(migrations.Migration):

    dependencies = [
        ('ibet', '0003_import_job_failed'),
        ('partnerships', '0012_search_index_and_document_text'),
    ]

    operations = [
        migrations.RunPython(
            postgresql_only([s for table, weights in VECTORS.items() for s in vector_column_sql(table, weights)]),
            postgresql_only([s for table in VECTORS for s in vector_column_reverse_sql(table)])),
    ]
