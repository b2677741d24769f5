"""Everything the product page shows of a book, in one query compiled once per process.

The product page is rendered whole for the first reader of a book after any change to the
catalogue or its prices, which on a large catalogue is most requests (crawlers and readers of
the long tail come to books nobody read since the last change). Its reads were one QuerySet
with a select_related and seven prefetches, and building their SQL took most of the page's
time. Here each query is a `PreparedQuery`, compiled on first use, and the book comes back as
`prefetch_related()` would leave it: `book.contributions.all()`, `book.formats.all()` (each
format with its `sales_rights` and its `book`), `book.subjects.all()`, `book.review_quotes.all()`
and `book.related_titles.all()` (each with its `related_book`) run no query, nor do
`book.publisher`, `book.series` and `book.toc_lines()`.

The relations every page shows (contributors with their authors, formats with their sales
rights, subjects, the table of contents) come in the book's own row, as JSON
(catalog.prepared.FoldedRows): one query, whatever their number of rows. The row also says
whether the book has review quotes and related titles, which most books have none of; each a
book has is one more query, so a book takes at most three.
"""

from __future__ import annotations

from django.db import router
from django.db.models import Exists, Model, OuterRef, QuerySet

from catalog.models import (
    Author,
    Book,
    Contribution,
    Format,
    Publisher,
    RelatedTitle,
    ReviewQuote,
    SalesRights,
    Series,
    Subject,
    TocEntry,
    TocLine,
)
from catalog.prepared import FoldedRows, PreparedQueries, PreparedQuery, model_fields, related_fields

# The search document and vector are for the search alone, and the document is long.
_BOOK_FIELDS = model_fields(Book, leave_out=("search_document", "search_vector"))
_PUBLISHER_FIELDS = model_fields(Publisher)
_SERIES_FIELDS = model_fields(Series)
_CONTRIBUTION_FIELDS = model_fields(Contribution)
_AUTHOR_FIELDS = model_fields(Author)
_FORMAT_FIELDS = model_fields(Format)
_RIGHTS_FIELDS = model_fields(SalesRights)
_SUBJECT_FIELDS = model_fields(Subject)
_QUOTE_FIELDS = model_fields(ReviewQuote)
_RELATED_FIELDS = model_fields(RelatedTitle)

# What every product page shows, read in the book's own row (catalog.prepared.FoldedRows).
_FOLDED = {
    "contributions": FoldedRows(
        Contribution.objects.filter(book_id=OuterRef("pk")).order_by("position", "pk"),
        [*_CONTRIBUTION_FIELDS, *related_fields("author", Author)],
    ),
    # A format without sales rights comes once, with None in the rights' columns.
    "formats": FoldedRows(
        Format.objects.filter(book_id=OuterRef("pk")).order_by("binding", "isbn", "sales_rights__id"),
        [*_FORMAT_FIELDS, *related_fields("sales_rights", SalesRights)],
    ),
    "subjects": FoldedRows(Subject.objects.filter(books=OuterRef("pk")).order_by("name", "pk"), _SUBJECT_FIELDS),
    "toc": FoldedRows(TocEntry.objects.filter(book_id=OuterRef("pk")).order_by("position", "pk"), TocLine._fields),
}
# Relations most books have none of: the book's row says whether to ask for them.
_OPTIONAL = {
    "review_quotes": Exists(ReviewQuote.objects.filter(book=OuterRef("pk"))),
    "related_titles": Exists(RelatedTitle.objects.filter(book=OuterRef("pk"))),
}
_BOOK = PreparedQuery(
    Book,
    lambda slug: (
        Book.objects.filter(slug=slug)
        .order_by()
        .annotate(
            **{f"folded_{name}": folded for name, folded in _FOLDED.items()},
            **{f"has_{name}": exists for name, exists in _OPTIONAL.items()},
        )
        .values_list(
            *_BOOK_FIELDS,
            *related_fields("publisher", Publisher),
            *related_fields("series", Series),
            *(f"folded_{name}" for name in _FOLDED),
            *(f"has_{name}" for name in _OPTIONAL),
        )
    ),
    str,
)
_REVIEW_QUOTES = PreparedQuery(
    ReviewQuote,
    lambda book_id: ReviewQuote.objects.filter(book_id=book_id).order_by("position", "pk").values_list(*_QUOTE_FIELDS),
    int,
)
_RELATED_TITLES = PreparedQuery(
    RelatedTitle,
    lambda book_id: (
        RelatedTitle.objects.filter(book_id=book_id)
        .order_by("position", "pk")
        .values_list(*_RELATED_FIELDS, *(f"related_book__{name}" for name in _BOOK_FIELDS))
    ),
    int,
)


def _split(row: tuple, *sizes: int) -> list[tuple]:
    parts, start = [], 0
    for size in sizes:
        parts.append(row[start : start + size])
        start += size
    return parts


class _Loaded(QuerySet):
    """A relation's objects as `prefetch_related()` leaves them: a QuerySet whose results are known.

    Django leaves its relation manager's `get_queryset()` there, the relation's QuerySet filtered
    to the instance, which costs about 10 µs to build: as much as the rest of loading a book's
    contributor, and a product page keeps six relations. Here that filter is built only when the
    QuerySet's query is asked for (a further `filter()` or `order_by()`, say), exactly as Django
    builds it; iterating, counting or testing the QuerySet never asks.
    """

    _relation: tuple[Model, str] | None = None  # (instance, relation name) until the query is built

    @property
    def query(self):
        if self._relation is not None:
            instance, name = self._relation
            self._relation = None
            manager = getattr(instance, name)
            filtered = manager._apply_rel_filters(QuerySet(model=self.model))
            kept = {"_result_cache": self._result_cache, "_prefetch_done": self._prefetch_done}
            self.__dict__.update(vars(filtered), **kept)
        return QuerySet.query.fget(self)

    @query.setter
    def query(self, value):
        QuerySet.query.fset(self, value)


def _keep(instance: Model, name: str, objects: list) -> None:
    """Make `instance.<name>.all()` these objects, without a query, as `prefetch_related(name)` does."""
    queryset = _Loaded(model=instance._meta.get_field(name).related_model, hints={"instance": instance})
    queryset._relation = (instance, name)
    queryset._result_cache = objects
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


def _contribution(alias: str, row: tuple, books: dict[int, Book]) -> Contribution:
    """A contribution with its author from a row of contribution and author columns; its book from `books`."""
    contribution_row, author_row = _split(row, len(_CONTRIBUTION_FIELDS), len(_AUTHOR_FIELDS))
    contribution = Contribution.from_db(alias, _CONTRIBUTION_FIELDS, contribution_row)
    contribution.book = books[contribution.book_id]
    contribution.author = Author.from_db(alias, _AUTHOR_FIELDS, author_row)
    return contribution


def book_for_page(slug: str) -> Book:
    """The book with this slug and all its product page shows, its table of contents included.

    Raises Book.DoesNotExist when there is none.
    """
    alias = router.db_for_read(Book)
    rows = _BOOK.rows(slug)
    if not rows:
        raise Book.DoesNotExist(f"No book has the slug {slug!r}.")
    book_row, publisher_row, series_row, folded, has = _split(
        rows[0], len(_BOOK_FIELDS), len(_PUBLISHER_FIELDS), len(_SERIES_FIELDS), len(_FOLDED), len(_OPTIONAL)
    )
    folded = {name: column.rows(text, alias) for (name, column), text in zip(_FOLDED.items(), folded, strict=True)}
    has = dict(zip(_OPTIONAL, has, strict=True))
    book = Book.from_db(alias, _BOOK_FIELDS, book_row)
    book.publisher = Publisher.from_db(alias, _PUBLISHER_FIELDS, publisher_row)
    book.series = Series.from_db(alias, _SERIES_FIELDS, series_row) if series_row[0] is not None else None
    book.keep_toc_lines([TocLine(*row) for row in folded["toc"]])

    _keep(book, "contributions", [_contribution(alias, row, {book.pk: book}) for row in folded["contributions"]])

    formats: dict[int, tuple[Format, list[SalesRights]]] = {}
    for row in folded["formats"]:
        format_row, rights_row = _split(row, len(_FORMAT_FIELDS), len(_RIGHTS_FIELDS))
        if format_row[0] not in formats:
            fmt = Format.from_db(alias, _FORMAT_FIELDS, format_row)
            fmt.book = book
            formats[fmt.pk] = (fmt, [])
        fmt, rights = formats[format_row[0]]
        if rights_row[0] is not None:
            sales_rights = SalesRights.from_db(alias, _RIGHTS_FIELDS, rights_row)
            sales_rights.format = fmt
            rights.append(sales_rights)
    for fmt, rights in formats.values():
        _keep(fmt, "sales_rights", rights)
    _keep(book, "formats", [fmt for fmt, _rights in formats.values()])

    _keep(book, "subjects", [Subject.from_db(alias, _SUBJECT_FIELDS, row) for row in folded["subjects"]])

    quote_rows = _REVIEW_QUOTES.rows(book.pk) if has["review_quotes"] else []
    quotes = [ReviewQuote.from_db(alias, _QUOTE_FIELDS, row) for row in quote_rows]
    for quote in quotes:
        quote.book = book
    _keep(book, "review_quotes", quotes)

    related = []
    for row in _RELATED_TITLES.rows(book.pk) if has["related_titles"] else []:
        relation_row, related_book_row = _split(row, len(_RELATED_FIELDS), len(_BOOK_FIELDS))
        relation = RelatedTitle.from_db(alias, _RELATED_FIELDS, relation_row)
        relation.book = book
        relation.related_book = Book.from_db(alias, _BOOK_FIELDS, related_book_row)
        related.append(relation)
    _keep(book, "related_titles", related)
    return book


# Book cards (storefront.cards): the books of a page of search results or of a list, with their
# publisher, contributors and formats, in three queries compiled once for each number of books.
_LISTED_BOOKS = PreparedQueries(
    Book,
    lambda ids: Book.objects.filter(pk__in=ids)
    .order_by()
    .values_list(*_BOOK_FIELDS, *related_fields("publisher", Publisher)),
)
_LISTED_CONTRIBUTIONS = PreparedQueries(
    Contribution,
    lambda ids: Contribution.objects.filter(book_id__in=ids)
    .order_by("book_id", "position")
    .values_list(*_CONTRIBUTION_FIELDS, *related_fields("author", Author)),
)
_LISTED_FORMATS = PreparedQueries(
    Format,
    lambda ids: Format.objects.filter(book_id__in=ids)
    .order_by("book_id", "binding", "isbn")
    .values_list(*_FORMAT_FIELDS),
)


def books_for_cards(book_ids: list[int]) -> dict[int, Book]:
    """The books among `book_ids` that exist, by id, with what `BookQuerySet.for_listing()` loads.

    That is the publisher, `contributions.all()` with their authors and `formats.all()`, which
    run no query afterwards. The search document and vector are left out.
    """
    alias = router.db_for_read(Book)
    ids = list(dict.fromkeys(book_ids))
    books: dict[int, Book] = {}
    for row in _LISTED_BOOKS.rows(ids):
        book_row, publisher_row = _split(row, len(_BOOK_FIELDS), len(_PUBLISHER_FIELDS))
        book = Book.from_db(alias, _BOOK_FIELDS, book_row)
        book.publisher = Publisher.from_db(alias, _PUBLISHER_FIELDS, publisher_row)
        books[book.pk] = book
    contributions: dict[int, list[Contribution]] = {pk: [] for pk in books}
    for row in _LISTED_CONTRIBUTIONS.rows(list(books)):
        contribution = _contribution(alias, row, books)
        contributions[contribution.book_id].append(contribution)
    formats: dict[int, list[Format]] = {pk: [] for pk in books}
    for row in _LISTED_FORMATS.rows(list(books)):
        fmt = Format.from_db(alias, _FORMAT_FIELDS, row)
        fmt.book = books[fmt.book_id]
        formats[fmt.book_id].append(fmt)
    for pk, book in books.items():
        _keep(book, "contributions", contributions[pk])
        _keep(book, "formats", formats[pk])
    return books
