"""Indexes for the admin at a million books.

The list orderings (authors by sort name, publishers and subjects by name; books newest first
come with 0008) get B-tree indexes. On PostgreSQL, the admin's searches of authors, publishers and subjects
(Django's `icontains`, which compares `UPPER(column)` with `LIKE '%…%'`) get trigram GIN
indexes on those same expressions; pg_trgm is created by 0004. Other databases get only the
B-tree indexes.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = {
    "catalog_author_name_upper_trgm": ("catalog_author", "name"),
    "catalog_author_sort_name_upper_trgm": ("catalog_author", "sort_name"),
    "catalog_publisher_name_upper_trgm": ("catalog_publisher", "name"),
    "catalog_subject_name_upper_trgm": ("catalog_subject", "name"),
}


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, column) in TRIGRAM_INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER({column}::text)) gin_trgm_ops)"
            )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0008_reader_list_indexes'),
    ]

    operations = [
        migrations.RunPython(trigram_indexes_create, trigram_indexes_drop),
        migrations.AddIndex(
            model_name='author',
            index=models.Index(fields=['sort_name', 'name'], name='author_sort_order'),
        ),
        migrations.AddIndex(
            model_name='publisher',
            index=models.Index(fields=['name'], name='publisher_name_order'),
        ),
        migrations.AddIndex(
            model_name='subject',
            index=models.Index(fields=['name'], name='subject_name_order'),
        ),
    ]
