"""PostgreSQL search indexes: GIN on the stored search vector, trigram GIN for typo-tolerant matches.

On SQLite nothing is created; BookQuerySet.search() uses its simpler fallback there.
"""

from django.db import migrations

from catalog.postgres import run_on_postgres

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_book_search_vector_gin ON catalog_book USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalog_book_search_document_trgm ON catalog_book "
    "USING gin (search_document gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_book_search_document_trgm",
    "DROP INDEX IF EXISTS catalog_book_search_vector_gin",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_covers_search_language")]

    operations = [migrations.RunPython(run_on_postgres(POSTGRES_FORWARD), run_on_postgres(POSTGRES_BACKWARD))]
