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

Querying. `search_books(query)` returns the ids of the matching books, best first, at most
MAX_RESULTS of them and whether there are more, and, when the words matched nothing and a
misspelt word was replaced by the catalog's closest word, the query that was searched instead.
An ISBN in any form finds its book. PostgreSQL ranks full-text matches among a bounded set of
candidates (GIN indexes on the title's and the whole document's vectors), and corrects a typo
from the vocabulary's closest words by trigrams; elsewhere every word must appear in the document
and a typo is corrected from words with its first letter. `Book.objects.search(query)` is the
same search as a QuerySet.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import batched

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField, TrigramSimilarity
from django.db import connections, models, transaction
from django.db.models import Case, F, Func, Q, QuerySet, Value, When
from django.db.models.functions import Abs, Length
from stdnum import isbn as stdnum_isbn

from catalog.html import plain_text
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
# At most this many vocabulary words are compared with one misspelt word (by prefix and length;
# on PostgreSQL, the most similar by trigrams).
MAX_CORRECTION_CANDIDATES = 2000
MAX_TRIGRAM_CANDIDATES = 50
# A search ranks at most this many books and shows “more than” when there are more.
MAX_RESULTS = 500
# The search vector's weights for the title (A) and subtitle (B), indexed on their own.
TITLE_WEIGHTS = "{a,b}"
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

    Expects the book's publisher, formats and contributions with authors to be loaded or loadable.
    """
    return search_document_compose(
        title=book.title,
        subtitle=book.subtitle,
        people=[contribution.author.name for contribution in book.contributions.all()],
        publisher=book.publisher.name,
        isbns=[fmt.isbn for fmt in book.formats.all()],
        description=book.description,
    )


def search_document_compose(
    *, title: str, subtitle: str, people: Iterable[str], publisher: str, isbns: Iterable[str], description: str
) -> str:
    """A search document from a book's parts: titles, people, publisher, ISBNs (13 digits,
    hyphenated and ISBN-10), description, folded, one part per line.

    For code that writes books in bulk without loading them back (the synthetic catalogue).
    """
    isbn_forms = []
    for isbn in isbns:
        isbn_forms += [isbn, isbn_hyphenate(isbn)]
        isbn10 = stdnum_isbn.to_isbn10(isbn) if isbn.startswith("978") else ""
        if isbn10:
            isbn_forms.append(isbn10)
    # Paragraphs kept apart: "movements.</p><p>This" glued into "movements.This" is one token
    # to PostgreSQL's parser, and "movements" would not find the book.
    parts = [title, subtitle, *people, publisher, *isbn_forms, plain_text(description)]
    return fold("\n".join(part for part in parts if part))


def search_vector_sql(title: str, subtitle: str, document: str) -> str:
    """PostgreSQL's expression for a book's search vector from SQL expressions for its folded
    title (weight A), subtitle (B) and document (C), each folded like the document, so an accented
    title word still weighs as a title word."""
    return (
        f"setweight(to_tsvector('english'::regconfig, {title}), 'A')"
        f" || setweight(to_tsvector('english'::regconfig, {subtitle}), 'B')"
        f" || setweight(to_tsvector('english'::regconfig, {document}), 'C')"
    )


_WRITE_DOCUMENTS_POSTGRES = f"""
    UPDATE {{table}} AS book
    SET search_document = new.document,
        search_vector = {search_vector_sql("new.title", "new.subtitle", "new.document")}
    FROM (VALUES {{rows}}) AS new (id, title, subtitle, document)
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


def vocabulary_add(words: set[str]) -> None:
    """Add words to the vocabulary typo correction chooses from (those it has already are skipped)."""
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
        vocabulary_add(words - seen_words)
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

    `book_ids` are the matching books' ids, best match first, at most MAX_RESULTS of them; `more`
    says that more books match than that (a common word in a large catalog), so a page can say
    “more than 500” instead of counting them all. `corrected_query` is set when a word was found
    nowhere and the catalog's closest word was searched instead: the query with those words
    replaced (cased like the reader typed them, accents left out), e.g. “Simon Pirani” for
    “Simon Piranni”. It is None when the reader's own words were searched.
    """

    queryset: QuerySet[Book]
    book_ids: list[int] = field(default_factory=list)
    more: bool = False
    corrected_query: str | None = None

    @property
    def books(self) -> QuerySet[Book]:
        """The books of `book_ids` as a lazy QuerySet, in their order."""
        if not self.book_ids:
            return self.queryset.none()
        order = Case(*(When(pk=pk, then=position) for position, pk in enumerate(self.book_ids)))
        return self.queryset.filter(pk__in=self.book_ids).order_by(order)


def search_books(query: str, *, queryset: QuerySet[Book] | None = None, correct: bool = True) -> BookSearch:
    """Books of `queryset` (default: all) matching a reader's query; see the module docstring.
    With `correct=False` the words are searched as typed, never corrected (the reader asked so).

    Runs a bounded number of small queries whatever the catalog's size: one for the ranked ids,
    and only when they are none, one for the words the catalog knows, one per other word for its
    correction candidates and one for the corrected words' ids. Never reads search documents into
    Python and never looks at more than a bounded number of matches.
    """
    queryset = (Book.objects.all() if queryset is None else queryset).defer("search_document", "search_vector")
    isbn13 = isbn13_parse(query)
    if isbn13:
        return _found(queryset, queryset.filter(formats__isbn=isbn13).order_by("pk").values_list("pk").distinct())
    typed = [term for term in search_terms(query) if fold(term)]
    terms = [fold(term) for term in typed]
    if not terms:
        return BookSearch(queryset)
    found = _found(queryset, _ranked_ids(queryset, terms))
    if found.book_ids or not correct:
        return found
    corrected = _closest_words(terms)
    if corrected == terms:
        return found
    corrected_query = " ".join(
        typed_term if word == term else _cased_like(typed_term, word)
        for typed_term, term, word in zip(typed, terms, corrected, strict=True)
    )
    return replace(_found(queryset, _ranked_ids(queryset, corrected)), corrected_query=corrected_query)


def _found(queryset: QuerySet[Book], ranked: QuerySet) -> BookSearch:
    """Fetch the ranked rows (the id first) once; one more than shown tells whether there are more."""
    book_ids = [row[0] for row in ranked[: MAX_RESULTS + 1]]
    return BookSearch(queryset, book_ids[:MAX_RESULTS], more=len(book_ids) > MAX_RESULTS)


def _ranked_ids(queryset: QuerySet[Book], terms: list[str]) -> QuerySet:
    """Rows starting with the matching books' ids, best first: ranked full-text matches on
    PostgreSQL, newest first elsewhere."""
    if connections[queryset.db].vendor == "postgresql":
        return _ranked_matches(queryset, terms)
    return _every_word_matches(queryset, terms).newest_first().values_list("pk")


def _search_query(terms: list[str]) -> SearchQuery:
    return SearchQuery(" ".join(terms), search_type="websearch", config="english")


def _title_vector() -> Func:
    """The title's and subtitle's part of the stored vector, as the title vector index has it."""
    return Func(F("search_vector"), Value(TITLE_WEIGHTS), function="ts_filter", output_field=SearchVectorField())


def _ranked_matches(queryset: QuerySet[Book], terms: list[str]) -> QuerySet:
    """Ids of full-text matches among a bounded set of candidates, ranked.

    The candidates are at most MAX_RESULTS + 1 books whose title or subtitle matches (the title
    vector index) and as many whose document matches (the search vector index), without an order
    the index cannot give, so the database stops as soon as it has them: a word most books have
    costs no more than a rare one. Only the candidates are ranked. Title matches are a subset of
    document matches, so when the document candidates are not all the matches, more than
    MAX_RESULTS books match and the page says so.
    """
    search_query = _search_query(terms)
    rank = SearchRank(F("search_vector"), search_query)
    by_title = queryset.alias(title_vector=_title_vector()).filter(title_vector=search_query)
    by_document = queryset.filter(search_vector=search_query)
    by_title, by_document = (
        candidates.annotate(rank=rank).order_by().values_list("pk", "rank", "publication_date")[: MAX_RESULTS + 1]
        for candidates in (by_title, by_document)
    )
    # UNION drops a book found by both: its rows are identical.
    return by_title.union(by_document).order_by("-rank", "-publication_date", "pk")


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

    On PostgreSQL, the words most similar by trigrams (the vocabulary's trigram index), so a typo
    in the first letter is corrected too. Elsewhere, words that share its first letter (a prefix
    search on an index made for it, right whatever the database's collation) and have a length
    for which difflib's ratio, 2 × matching characters / both lengths, can still reach the cutoff
    (the bounds rounded outwards); the nearest lengths come first when there are more than the limit.
    """
    words = SearchWord.objects.all()
    if connections[words.db].vendor == "postgresql":
        return list(
            words.filter(word__trigram_similar=term)
            .annotate(similarity=TrigramSimilarity("word", term))
            .order_by("-similarity", "word")
            .values_list("word", flat=True)[:MAX_TRIGRAM_CANDIDATES]
        )
    shortest = math.floor(len(term) * CORRECTION_CUTOFF / (2 - CORRECTION_CUTOFF))
    longest = math.ceil(len(term) * (2 - CORRECTION_CUTOFF) / CORRECTION_CUTOFF)
    return list(
        words.filter(word__startswith=term[0])
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
