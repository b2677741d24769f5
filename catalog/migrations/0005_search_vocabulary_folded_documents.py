"""Search documents folded (lowercase, no accents), and the vocabulary typo correction picks from.

Existing documents are folded and their words collected here, so search works straight after
`migrate`; `manage.py search_reindex` rebuilds everything from the books whenever wanted.
"""

import re
import unicodedata
from itertools import batched

from django.contrib.postgres.search import SearchVector
from django.db import migrations, models
from django.db.models import Value

# Frozen copies of catalog.search's folding and word rules as they were when this was written.
PLAIN_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-", "‐": "-", "‑": "-"})
WORD = re.compile(r"[\w’'-]+")


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(PLAIN_PUNCTUATION))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def words_of(document):
    words = {word.strip("'-") for word in WORD.findall(document)}
    return {word for word in words if word and len(word) <= 64 and not any(c.isdigit() for c in word)}


def fold_documents(apps, schema_editor):
    Book = apps.get_model("catalog", "Book")
    SearchWord = apps.get_model("catalog", "SearchWord")
    postgres = schema_editor.connection.vendor == "postgresql"
    books = Book.objects.using(schema_editor.connection.alias).only("title", "subtitle", "search_document")
    for chunk in batched(books.order_by("pk").iterator(chunk_size=500), 500):
        words = set()
        for book in chunk:
            book.search_document = fold(book.search_document)
            words |= words_of(book.search_document)
            if postgres:
                book.search_vector = (
                    SearchVector(Value(fold(book.title)), weight="A", config="english")
                    + SearchVector(Value(fold(book.subtitle)), weight="B", config="english")
                    + SearchVector(Value(book.search_document), weight="C", config="english")
                )
        fields = ["search_document", "search_vector"] if postgres else ["search_document"]
        Book.objects.using(schema_editor.connection.alias).bulk_update(chunk, fields, batch_size=200)
        SearchWord.objects.using(schema_editor.connection.alias).bulk_create(
            [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_indexes")]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=64, unique=True, verbose_name="word")),
            ],
            options={
                "verbose_name": "search word",
                "ordering": ["word"],
            },
        ),
        # Nothing to undo going back: the earlier `search_reindex` rewrites the documents its way.
        migrations.RunPython(fold_documents, migrations.RunPython.noop),
    ]
