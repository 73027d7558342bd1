# The search vectors of CBCF agenda items (partnerships/search.py); PostgreSQL only.

from django.db import migrations

from partnerships.search import postgresql_only, vector_column_reverse_sql, vector_column_sql

VECTORS = {
    "cbcf_agendaitem": {"title_en": "A", "title_fr": "A", "summary_en": "B", "summary_fr": "B", "presenter": "C",
                        "decision": "B"},
}


class Migration(migrations.Migration):

    dependencies = [
        ('cbcf', '0004_meeting_starts_at_in_range'),
        ('partnerships', '0012_search_index_and_document_text'),
    ]

    operations = [
        migrations.RunPython(
            postgresql_only([s for table, weights in VECTORS.items() for s in vector_column_sql(table, weights)]),
            postgresql_only([s for table in VECTORS for s in vector_column_reverse_sql(table)])),
    ]
