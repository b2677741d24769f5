"""PostgreSQL search indexes for a large catalog: the title's part of the search vector, and the
vocabulary's trigrams.

- `catalog_book_title_vector_gin` indexes `ts_filter(search_vector, '{a,b}')`, the title and
  subtitle lexemes, so a search finds books with a word in their title however many books have it
  elsewhere, without reading them (catalog.search._ranked_matches).
- `catalog_searchword_word_trgm` lets typo correction pick the vocabulary words most similar to a
  misspelt one by trigrams (catalog.search._correction_candidates), a bounded, indexed lookup.

On SQLite nothing is created: search there matches words in the document and corrects by prefix.
On a large live table, create them first with CREATE INDEX CONCURRENTLY under these names; the
migration then finds them and does nothing.
"""

from django.db import migrations

from catalog.postgres import run_on_postgres

POSTGRES_FORWARD = [
    "CREATE INDEX IF NOT EXISTS catalog_book_title_vector_gin ON catalog_book "
    "USING gin (ts_filter(search_vector, '{a,b}'))",
    "CREATE INDEX IF NOT EXISTS catalog_searchword_word_trgm ON catalog_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_searchword_word_trgm",
    "DROP INDEX IF EXISTS catalog_book_title_vector_gin",
]


class Migration(migrations.Migration):
    dependencies = [("catalog", "0009_admin_indexes")]

    operations = [migrations.RunPython(run_on_postgres(POSTGRES_FORWARD), run_on_postgres(POSTGRES_BACKWARD))]
