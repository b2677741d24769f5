"""Search, in one place: what a book is searched by, keeping that current, and answering queries.

Indexing. Each book stores its search document (`Book.search_document`): title, subtitle,
contributors, publisher, ISBNs and description as plain text, *folded*: lowercase, without
accents, with typographic apostrophes and dashes made plain, so “TOMÁS”, “Tomás” and “tomas” are
one word on every database. On PostgreSQL the book also stores a weighted search vector of the
same text. Every word of every document goes into the vocabulary (`SearchWord`) that typo
correction chooses from, so correcting a query never reads the books themselves.

- `book_search_index(books=...)` refreshes given books (all of them, and prunes the vocabulary,
  when none are given: the `search_reindex` command).
- `book_search_index_affected(changed=...)` works out which books an added, edited or deleted
  book, author, publisher, format or contribution appears in, and refreshes those. The admin and
  anything that imports data call it after saving.

Querying. `search_books(query)` returns the matching books and, when a misspelt word was
replaced by the catalog's closest word, the query that was searched instead. An ISBN in any form
finds its book. PostgreSQL ranks full-text matches and adds trigram matches, so a typo still
finds the book; elsewhere every word must appear in the document. `Book.objects.search(query)`
is the same search as a QuerySet.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import batched

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connections, models, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Abs, Length
from django.utils.html import strip_tags
from stdnum import isbn as stdnum_isbn

from catalog.isbn import isbn13_parse, isbn_hyphenate
from catalog.models import Author, Book, Contribution, Format, Publisher, SearchWord

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
# Word characters, plus the apostrophes and hyphens inside names and titles.
WORD = re.compile(r"[\w’'-]+")
# Spellings readers type differently from how books are printed.
PLAIN_PUNCTUATION = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "–": "-", "—": "-", "‐": "-", "‑": "-"})

# How close a catalog word must be (difflib's ratio) to replace a word found nowhere.
CORRECTION_CUTOFF = 0.8
# At most this many vocabulary words are compared with one misspelt word.
MAX_CORRECTION_CANDIDATES = 2000
# Books read and written per round trip while indexing, so any catalog size fits in memory.
INDEX_CHUNK_SIZE = 500


# Cleaning queries


def clean_query(raw: str | None) -> str:
    """What the reader typed, made safe to echo and to search: no control characters, bounded."""
    text = "".join(character for character in (raw or "") if character.isprintable() or character == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> list[str]:
    # Composed first, so an accent typed as a separate combining mark does not split the word.
    text = unicodedata.normalize("NFC", clean_query(query))
    terms = [word.strip("’'-") for word in WORD.findall(text)]
    return [term for term in terms if term][:MAX_TERMS]


def fold(text: str) -> str:
    """Text as documents store it and queries are matched: lowercase, no accents, plain punctuation.

    “Tomás” → “tomas”, “Élite” → “elite”, “Straße” → “strasse”, “Russia’s” → “russia's”.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(PLAIN_PUNCTUATION))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def document_words(document: str) -> set[str]:
    """The words of a folded document that typo correction may offer: no numbers, nothing huge."""
    max_length = SearchWord._meta.get_field("word").max_length
    words = {word.strip("'-") for word in WORD.findall(document)}
    return {word for word in words if word and len(word) <= max_length and not any(c.isdigit() for c in word)}


# Indexing


def book_search_document(book: Book) -> str:
    """Everything a reader might search a book by, folded, one part per line.

    Titles, people, publisher, ISBNs (13 digits, hyphenated and ISBN-10), description. Expects
    the book's publisher, formats and contributions with authors to be loaded or loadable.
    """
    isbns = []
    for fmt in book.formats.all():
        isbns += [fmt.isbn, isbn_hyphenate(fmt.isbn)]
        isbn10 = stdnum_isbn.to_isbn10(fmt.isbn) if fmt.isbn.startswith("978") else ""
        if isbn10:
            isbns.append(isbn10)
    people = [contribution.author.name for contribution in book.contributions.all()]
    parts = [book.title, book.subtitle, *people, book.publisher.name, *isbns, strip_tags(book.description)]
    return fold("\n".join(part for part in parts if part))


# Title (A), subtitle (B) and the whole document (C), each folded like the document, so an accented
# title word still weighs as a title word.
_WRITE_DOCUMENTS_POSTGRES = """
    UPDATE {table} AS book
    SET search_document = new.document,
        search_vector = setweight(to_tsvector('english'::regconfig, new.title), 'A')
            || setweight(to_tsvector('english'::regconfig, new.subtitle), 'B')
            || setweight(to_tsvector('english'::regconfig, new.document), 'C')
    FROM (VALUES {rows}) AS new (id, title, subtitle, document)
    WHERE book.id = new.id
"""


def _documents_write(books: list[Book], using: str) -> None:
    """Store the books' new search documents (and on PostgreSQL their vectors), 200 a statement.

    On PostgreSQL one `UPDATE … FROM (VALUES …)` per 200 books: `bulk_update` builds a CASE with
    three search-vector expressions per book, and compiling that was most of indexing's time.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        Book.objects.using(using).bulk_update(books, ["search_document"], batch_size=200)
        return
    table = connection.ops.quote_name(Book._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in batched(books, 200):
            params = [
                value
                for book in chunk
                for value in (book.pk, fold(book.title), fold(book.subtitle), book.search_document)
            ]
            rows = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(_WRITE_DOCUMENTS_POSTGRES.format(table=table, rows=rows), params)


def _books_to_index(books: QuerySet[Book] | Iterable[Book] | None) -> QuerySet[Book]:
    if books is None:
        queryset = Book.objects.all()
    elif isinstance(books, QuerySet):
        queryset = Book.objects.filter(pk__in=books.values("pk"))
    else:
        queryset = Book.objects.filter(pk__in=[book.pk for book in books])
    return (
        queryset.select_related("publisher")
        .prefetch_related("formats", models.Prefetch("contributions", Contribution.objects.select_related("author")))
        .only("title", "subtitle", "description", "search_document", "publisher__name")
        .annotate(vector_missing=models.ExpressionWrapper(Q(search_vector=None), models.BooleanField()))
        .order_by("pk")
    )


def _vocabulary_add(words: set[str]) -> None:
    SearchWord.objects.bulk_create(
        [SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True, batch_size=INDEX_CHUNK_SIZE
    )


def _vocabulary_prune(keep: set[str]) -> int:
    """Remove the words no document has any more. Returns how many were removed."""
    words = SearchWord.objects.values_list("pk", "word").iterator(chunk_size=5000)
    stale = [pk for pk, word in words if word not in keep]  # collected before deleting from the table read
    for chunk in batched(stale, INDEX_CHUNK_SIZE):
        SearchWord.objects.filter(pk__in=chunk).delete()
    return len(stale)


@transaction.atomic
def book_search_index(*, books: QuerySet[Book] | Iterable[Book] | None = None) -> int:
    """Refresh the stored search documents (and on PostgreSQL the search vectors) of `books`.

    Adds their words to the vocabulary. With no books given, every book is reindexed and words no
    book has any more leave the vocabulary. Books are read and written in chunks, in bulk, and
    only those whose document changed are written; their `updated_at` is left alone, since
    nothing an editor sees changed. Returns how many books were indexed.
    """
    queryset = _books_to_index(books)
    postgres = connections[queryset.db].vendor == "postgresql"
    seen_words: set[str] = set()
    indexed = 0
    for chunk in batched(queryset.iterator(chunk_size=INDEX_CHUNK_SIZE), INDEX_CHUNK_SIZE):
        changed = []
        words: set[str] = set()
        for book in chunk:
            document = book_search_document(book)
            words |= document_words(document)
            if document != book.search_document or (postgres and book.vector_missing):
                book.search_document = document
                changed.append(book)
        _documents_write(changed, queryset.db)
        _vocabulary_add(words - seen_words)
        seen_words |= words
        indexed += len(chunk)
    if books is None:
        _vocabulary_prune(keep=seen_words)
    return indexed


def books_affected_by(changed: Iterable[models.Model]) -> QuerySet[Book]:
    """The books whose search document shows something of the `changed` objects.

    A book itself; an author's or a publisher's name, on each of their books; a format's ISBN
    and a contribution, on their book. Pass an object as it is now, or as it was (a deleted
    format, a format before it moved to another book): what counts is the book it names. Other
    objects (subjects, table-of-contents entries, prices) appear in no document.
    """
    book_pks: set[int] = set()
    author_pks: set[int] = set()
    publisher_pks: set[int] = set()
    for obj in changed:
        match obj:
            case Book():
                book_pks.add(obj.pk)
            case Format() | Contribution():
                book_pks.add(obj.book_id)
            case Author():
                author_pks.add(obj.pk)
            case Publisher():
                publisher_pks.add(obj.pk)
    # A deleted object has no pk any more; a deleted author or publisher had no books (they are
    # protected while they have some), so nothing is lost by leaving them out.
    for pks in (book_pks, author_pks, publisher_pks):
        pks.discard(None)
    condition = Q(pk__in=book_pks)
    if author_pks:
        condition |= Q(pk__in=Contribution.objects.filter(author_id__in=author_pks).values("book_id"))
    if publisher_pks:
        condition |= Q(publisher_id__in=publisher_pks)
    return Book.objects.filter(condition)


def book_search_index_affected(*, changed: Iterable[models.Model]) -> int:
    """Refresh the search documents of every book the `changed` objects appear in.

    What the admin calls after an editor saves or deletes something, and what an import calls
    with everything it saved. Returns how many books were indexed.
    """
    return book_search_index(books=books_affected_by(changed))


# Querying


@dataclass(frozen=True)
class BookSearch:
    """What a search found.

    `books` is a lazy QuerySet, best match first. `corrected_query` is set when a word was found
    nowhere and the catalog's closest word was searched instead: the query with those words
    replaced (cased like the reader typed them, accents left out), e.g. “Simon Pirani” for
    “Simon Piranni”. It is None when the reader's own words were searched.
    """

    books: QuerySet[Book]
    corrected_query: str | None = None


def search_books(query: str, *, queryset: QuerySet[Book] | None = None) -> BookSearch:
    """Books of `queryset` (default: all) matching a reader's query; see the module docstring.

    Runs a bounded number of small queries whatever the catalog's size (at most two plus one per
    misspelt word before the books are fetched) and never reads search documents into Python.
    """
    queryset = (Book.objects.all() if queryset is None else queryset).defer("search_document", "search_vector")
    isbn13 = isbn13_parse(query)
    if isbn13:
        return BookSearch(queryset.filter(formats__isbn=isbn13).distinct())
    typed = [term for term in search_terms(query) if fold(term)]
    terms = [fold(term) for term in typed]
    if not terms:
        return BookSearch(queryset.none())
    postgres = connections[queryset.db].vendor == "postgresql"
    exact = _full_text_matches(queryset, terms) if postgres else _every_word_matches(queryset, terms)
    corrected_query = None
    if not exact.exists():
        corrected = _closest_words(terms)
        if corrected != terms:
            corrected_query = " ".join(
                typed_term if word == term else _cased_like(typed_term, word)
                for typed_term, term, word in zip(typed, terms, corrected, strict=True)
            )
            terms = corrected
    if postgres:
        return BookSearch(_ranked_matches(queryset, terms), corrected_query)
    return BookSearch(_every_word_matches(queryset, terms).newest_first(), corrected_query)


def _full_text_matches(queryset: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    return queryset.filter(search_vector=_search_query(terms))


def _search_query(terms: list[str]) -> SearchQuery:
    return SearchQuery(" ".join(terms), search_type="websearch", config="english")


def _ranked_matches(queryset: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    """Full-text matches (GIN index), ranked, plus trigram word matches for typos (trigram index)."""
    text = " ".join(terms)
    search_query = _search_query(terms)
    return (
        queryset.annotate(
            rank=SearchRank(F("search_vector"), search_query),
            similarity=TrigramWordSimilarity(text, "search_document"),
        )
        # trigram_word_similar is pg_trgm's %> operator, served by the trigram GIN index.
        .filter(Q(search_vector=search_query) | Q(search_document__trigram_word_similar=text))
        .order_by("-rank", "-similarity", "-publication_date", "pk")
    )


def _every_word_matches(queryset: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    for term in terms:
        queryset = queryset.filter(search_document__contains=term)
    return queryset


def _closest_words(terms: list[str]) -> list[str]:
    """Each folded term, or the vocabulary's closest word to it when the term is not a word there."""
    known = set(SearchWord.objects.filter(word__in=terms).values_list("word", flat=True))
    corrected = []
    for term in terms:
        if term in known or any(character.isdigit() for character in term):
            corrected.append(term)
            continue
        close = difflib.get_close_matches(term, _correction_candidates(term), n=1, cutoff=CORRECTION_CUTOFF)
        corrected.append(close[0] if close else term)
    return corrected


def _correction_candidates(term: str) -> list[str]:
    """Vocabulary words that could be within the cutoff of `term`: one small, indexed query.

    They share its first letter (a prefix search on an index made for it, right whatever the
    database's collation) and have a length for which
    difflib's ratio, 2 × matching characters / both lengths, can still reach the cutoff (the
    bounds rounded outwards); the nearest lengths come first when there are more than the limit.
    """
    shortest = math.floor(len(term) * CORRECTION_CUTOFF / (2 - CORRECTION_CUTOFF))
    longest = math.ceil(len(term) * (2 - CORRECTION_CUTOFF) / CORRECTION_CUTOFF)
    first = term[0]
    return list(
        SearchWord.objects.filter(word__startswith=first)
        .annotate(length=Length("word"))
        .filter(length__gte=shortest, length__lte=longest)
        .order_by(Abs(F("length") - len(term)), "word")
        .values_list("word", flat=True)[:MAX_CORRECTION_CANDIDATES]
    )


def _cased_like(typed: str, word: str) -> str:
    if typed.isupper():
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
