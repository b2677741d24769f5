"""What the benchmark asks for: real books, words, names and ISBNs from the database, picked reproducibly."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Min

from catalog.isbn import isbn_hyphenate
from catalog.models import Author, Book, Contribution, Format, SearchWord
from catalog.search import document_words, fold

# Words too common in any English title to say anything about search (and dropped by
# PostgreSQL's English full-text configuration).
STOPWORDS = {"about", "after", "among", "between", "other", "their", "there", "these", "those", "under", "where"}
SAMPLE_SIZE = 300


@dataclass(frozen=True)
class SampleBook:
    pk: int
    slug: str
    title: str
    subtitle: str


@dataclass(frozen=True)
class Picks:
    books: list[SampleBook]  # random books, in the order they were drawn
    common_word: str
    rare_word: str
    surname: str
    isbn: str  # hyphenated, as a reader would paste it
    misspelt_title: str
    prolific_author: tuple[str, int]  # slug, number of books
    random_author: str  # slug
    admin_isbns: list[str]  # one per sampled book, for the admin's search
    autocomplete_terms: list[str]  # the first letters of sampled authors' surnames


def random_books(rng: random.Random, count: int) -> list[SampleBook]:
    """`count` books drawn at random (the first at or after a random primary key: one index lookup each)."""
    bounds = Book.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return []
    drawn = []
    for _ in range(count):
        row = (
            Book.objects.filter(pk__gte=rng.randint(bounds["low"], bounds["high"]))
            .order_by("pk")
            .values("pk", "slug", "title", "subtitle")
            .first()
        )
        drawn.append(SampleBook(**row))
    return drawn


def _title_words(book: SampleBook) -> list[str]:
    words = document_words(fold(f"{book.title} {book.subtitle}"))
    return [word for word in words if len(word) >= 5 and word.isalpha() and word not in STOPWORDS]


def _misspelt(title: str) -> str:
    """The title with its longest word misspelt (two letters swapped) into a word the catalogue does not have."""
    words = title.split()
    longest = max(range(len(words)), key=lambda index: (len(words[index]), -index))
    word = words[longest]
    for position in range(1, len(word) - 2):
        attempt = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        if attempt.lower() != word.lower() and not SearchWord.objects.filter(word=fold(attempt)).exists():
            words[longest] = attempt
            return " ".join(words)
    words[longest] = word + word[-1]
    return " ".join(words)


def _surname(name: str) -> str:
    return name.split()[-1]


def picks_make(seed: int, count: int) -> Picks:
    rng = random.Random(seed)
    books = random_books(rng, max(count, SAMPLE_SIZE))
    if not books:
        raise ValueError("The database holds no books: pass --books N to generate some.")
    frequency = Counter(word for book in books for word in set(_title_words(book)))
    if not frequency:
        raise ValueError("The sampled titles have no searchable words.")
    common_word = min(frequency, key=lambda word: (-frequency[word], word))
    rarest = min(frequency.values())
    rare_word = rng.choice(sorted(word for word, seen in frequency.items() if seen == rarest))

    book_pks = [book.pk for book in books]
    contributions = Contribution.objects.filter(book_id__in=book_pks).select_related("author").order_by("book_id", "pk")
    author_of: dict[int, Author] = {}
    for contribution in contributions:
        author_of.setdefault(contribution.book_id, contribution.author)
    isbn_of: dict[int, str] = {}
    formats = Format.objects.filter(book_id__in=book_pks).order_by("book_id", "pk")
    for book_id, isbn in formats.values_list("book_id", "isbn"):
        isbn_of.setdefault(book_id, isbn)
    authors = [author_of[book.pk] for book in books if book.pk in author_of]
    if not authors:
        raise ValueError("The sampled books have no contributors.")

    prolific = (
        Contribution.objects.values("author_id")
        .annotate(books=Count("book_id", distinct=True))
        .order_by("-books", "author_id")
        .first()
    )
    prolific_slug = Author.objects.values_list("slug", flat=True).get(pk=prolific["author_id"])
    return Picks(
        books=books[:count],
        common_word=common_word,
        rare_word=rare_word,
        surname=_surname(authors[0].name),
        isbn=isbn_hyphenate(isbn_of[books[0].pk]) if books[0].pk in isbn_of else next(iter(isbn_of.values())),
        misspelt_title=_misspelt(books[1 % len(books)].title),
        prolific_author=(prolific_slug, prolific["books"]),
        random_author=rng.choice(authors).slug,
        admin_isbns=[isbn_hyphenate(isbn_of[book.pk]) for book in books[:count] if book.pk in isbn_of],
        autocomplete_terms=[_surname(author.name)[:4] for author in authors[:count]],
    )
