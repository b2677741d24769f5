"""Importing ONIX 3 files into the catalogue and its prices.

`onix_import(file=…, dry_run=…)` reads the file as a stream (`onix.reader`) and imports its
products in chunks of `CHUNK_SIZE`. A chunk is imported in one transaction: the rows its products
need (their formats, books, authors, and what those books have) are read in a few queries, each
product is checked and compared with them in memory, and what changed is then written at once
(new rows with `bulk_create`, replaced lists deleted and written again, changed rows saved one by
one so that their versions are checked). Every product is saved whole or not at all: when one of a
chunk cannot be saved (a refusal found while comparing, or the database refusing the write), the
chunk is rolled back and imported again in two halves, down to single products, so the bad
product is refused, with its record reference, line and reason, and the others still load. An
editor saving a row between a chunk's reading and its writing sends it down the same way: the
halves read the row again, as the editor left it. A dry run does the same work inside one
transaction it rolls back, so its report (what would be created, changed field by field, refused)
is exactly what the real import would do.

Matching, in order: a product whose ISBN-13 is already a format's updates that format and its
book. Otherwise it joins a book by work identifier (the store's own, `Bookstore book`, is the
book's slug; any other work identifier groups the products of one file), else by a related
product of the same work (list 51 codes 06, 13, 27) whose ISBN is a format already; else it
makes a new book. Values equal to what is stored are not saved, so importing a file twice changes
nothing the second time, and the second time writes nothing.

A deletion notice (NotificationType 05) withdraws its format from sale; the format stays listed.

A format's sales rights are those of its record (a record without any leaves them alone). A
book's related titles (list 51 relations other than formats of the same work) may name a book
that comes later in the file: they are collected as the products are read and set at the end,
each related ISBN looked up among the formats then; one that is not there is left out with a
warning on the book's first product in the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Container
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

import langcodes
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils.text import slugify

from catalog.bulk import statistics_refresh
from catalog.html import plain_text, sanitize_html
from catalog.isbn import isbn13_normalize, isbn13_parse
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
)
from catalog.onix_codes import ProductAvailability, ProductRelation, PublishingStatus, RestOfWorldRights
from catalog.search import book_search_index
from catalog.signals import catalogue_batch, catalogue_changed
from catalog.toc import toc_parse
from editorial.models import StaleEdit
from onix import codes
from onix.reader import OnixFileError, OnixPrice, OnixProduct, products_read
from pricing.models import Market, Price
from pricing.money import currency_is_known, has_more_decimals_than, minor_unit

OUTCOMES = ("created", "changed", "unchanged", "refused")
# Products imported together (one transaction, rows read and written in bulk), after which the search
# documents of the books they touched are refreshed and cached pages forgotten.
CHUNK_SIZE = 500
# Authors remembered between products (a file names the same ones again and again).
AUTHOR_CACHE_SIZE = 5000
# An import that writes this many products refreshes the query planner's statistics when it ends
# (catalog.bulk.statistics_refresh): a first load of a catalogue would otherwise leave the planner
# thinking the tables empty until autovacuum, if it runs at all, gets round to them.
STATISTICS_REFRESH_AFTER = 1000
# The report keeps this many products of each outcome in detail (its counts are always complete).
DETAIL_LIMIT = 1000

SubjectLink = Book.subjects.through
# Codes the store knows, as sets (a TextChoices' `values` builds a list at each use).
_PUBLISHING_STATUSES = frozenset(PublishingStatus.values)
_AVAILABILITIES = frozenset(ProductAvailability.values)
_REST_OF_WORLD_RIGHTS = frozenset(RestOfWorldRights.values)
_RELATIONS = frozenset(ProductRelation.values)


class _Refused(Exception):
    """A product that cannot be imported; the message is the reason the report gives."""


@dataclass
class ProductOutcome:
    reference: str
    line: int
    isbn: str
    outcome: str  # created, changed, unchanged, refused
    book: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, after)
    reason: str = ""
    notes: list[str] = field(default_factory=list)  # what was left out of an imported product


@dataclass
class ImportReport:
    dry_run: bool
    file_name: str = ""
    counts: dict[str, int] = field(default_factory=lambda: {"created": 0, "changed": 0, "unchanged": 0, "refused": 0})
    products: list[ProductOutcome] = field(default_factory=list)
    file_error: str = ""
    books_indexed: int = 0

    @property
    def read(self) -> int:
        return sum(self.counts.values())

    @property
    def _listed(self) -> Counter:
        """How many products of each outcome `products` lists (counted once, then kept up to date)."""
        if "_listed_counts" not in self.__dict__:
            self.__dict__["_listed_counts"] = Counter(row.outcome for row in self.products)
        return self.__dict__["_listed_counts"]

    def add(self, outcome: ProductOutcome) -> None:
        self.counts[outcome.outcome] += 1
        if outcome.outcome != "unchanged" and self._listed[outcome.outcome] < DETAIL_LIMIT:
            self.products.append(outcome)
            self._listed[outcome.outcome] += 1

    def amend(self, outcome: ProductOutcome, *, changed: bool, kept: set[int]) -> None:
        """A product already added gained changes (`changed`) or notes after the file was read.

        `kept` holds the ids of the outcomes listed in `products`, and is kept up to date.
        """
        if changed and outcome.outcome == "unchanged":
            self.counts["unchanged"] -= 1
            self.counts["changed"] += 1
            if id(outcome) in kept:
                self._listed["unchanged"] -= 1
                self._listed["changed"] += 1
            outcome.outcome = "changed"
        if outcome.outcome != "refused" and id(outcome) not in kept:
            if self._listed[outcome.outcome] < DETAIL_LIMIT:
                self.products.append(outcome)
                self._listed[outcome.outcome] += 1
                kept.add(id(outcome))

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        # In this order whatever order the stored report kept (PostgreSQL's jsonb sorts keys its own way).
        parts = ", ".join(f"{self.counts.get(name, 0)} {name}" for name in OUTCOMES)
        text = f"{self.read} products read: {parts}."
        if self.dry_run:
            text += f" Dry run: nothing was saved; these {verb} the changes."
        if self.file_error:
            text += f" The file stopped being readable: {self.file_error}"
        return text

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        products = [
            ProductOutcome(**{**row, "changes": [tuple(c) for c in row["changes"]]}) for row in data["products"]
        ]
        return cls(**{**data, "products": products})


@dataclass
class _Context:
    """What one import remembers between chunks: markets, rows already found, books grouped by work."""

    markets: list[Market]
    works: dict[tuple[str, str], int] = field(default_factory=dict)  # (identifier type, value) → book id
    publishers: dict[str, Publisher] = field(default_factory=dict)
    subjects: dict[tuple[str, str, str, str], Subject] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    authors: dict[tuple[str, str], Author] = field(default_factory=dict)  # (slug, name) → author
    touched_books: set[int] = field(default_factory=set)
    # Books whose related titles are set once the whole file is read: book id → (the outcome of its
    # first product in the file, its related titles there as (relation, ISBN) in file order).
    related: dict[int, tuple[ProductOutcome, list[tuple[str, str]]]] = field(default_factory=dict)

    def forget_rows(self) -> None:
        """After a rollback: rows remembered so far may be gone (or were never written)."""
        self.publishers.clear()
        self.subjects.clear()
        self.series.clear()
        self.authors.clear()


@dataclass(eq=False)
class _BookState:
    """What a book has, read once for a chunk and then kept as its products leave it."""

    formats: list[Format] = field(default_factory=list)
    contributions: list[tuple[Author, str]] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    toc: list[tuple[int, str, str]] = field(default_factory=list)
    quotes: list[tuple[str, str, str, str]] = field(default_factory=list)
    has_related: bool = False


@dataclass(eq=False)
class _FormatState:
    prices: dict[int, Price] = field(default_factory=dict)  # market id → set price
    sales_rights: list[SalesRights] = field(default_factory=list)


class _Chunk:
    """The rows a chunk of products needs, read at once, and the writes its products make, done at once.

    Rows are kept by identity (`id()`): a book or author made by one product of the chunk has no id
    until the chunk is written, and later products of the chunk must find that same object.
    """

    def __init__(self) -> None:
        self.books_by_pk: dict[int, Book] = {}
        self.books_by_slug: dict[str, Book] = {}
        self.formats_by_isbn: dict[str, Format] = {}
        self.authors_by_slug: dict[str, Author] = {}
        self.authors_by_name: dict[str, Author] = {}
        self.books: dict[int, _BookState] = {}  # id(book) → its state
        self.formats: dict[int, _FormatState] = {}  # id(format) → its state
        self.works: dict[tuple[str, str], Book] = {}  # work identifiers first met in this chunk
        # Writes.
        self.new: dict[type[models.Model], list[models.Model]] = {Author: [], Book: [], Format: []}
        self.changed: dict[int, models.Model] = {}  # rows that exist, saved one by one
        self.new_prices: dict[int, Price] = {}
        self.stale_prices: list[Price] = []
        # (model, id(owner)) → (owner, its rows, whether the owner existed before the chunk).
        self.replaced: dict[tuple[type[models.Model], int], tuple[models.Model, list[models.Model], bool]] = {}
        self.related: dict[int, tuple[Book, ProductOutcome, list[tuple[str, str]]]] = {}
        self.touched: dict[int, Book] = {}

    def book_state(self, book: Book) -> _BookState:
        state = self.books.get(id(book))
        if state is None:
            state = self.books[id(book)] = _BookState()
        return state

    def format_state(self, fmt: Format) -> _FormatState:
        state = self.formats.get(id(fmt))
        if state is None:
            state = self.formats[id(fmt)] = _FormatState()
        return state

    def save(self, row: models.Model) -> None:
        """`row` changed: an existing row is saved when the chunk is written (a new one is written anyway)."""
        if row.pk is not None:
            self.changed[id(row)] = row

    def replace(self, model: type[models.Model], owner: models.Model, rows: list[models.Model]) -> None:
        """The owner's rows of `model` become `rows` (the last product of the chunk to say so decides)."""
        self.replaced[(model, id(owner))] = (owner, rows, owner.pk is not None)


# What `_Chunk.replace` replaces, and the field naming the owner.
_REPLACED_OWNER = {
    Contribution: "book",
    SubjectLink: "book",
    TocEntry: "book",
    ReviewQuote: "book",
    SalesRights: "format",
}


def onix_import(
    *,
    file: IO[bytes],
    dry_run: bool,
    file_name: str = "",
    on_progress: Callable[[int, ImportReport], None] | None = None,
) -> ImportReport:
    """Import every product of the ONIX message in `file` (binary). See the module's docstring."""
    report = ImportReport(dry_run=dry_run, file_name=file_name)
    context = _Context(markets=list(Market.objects.with_countries()))

    def progress(bytes_read: int) -> None:
        if on_progress is not None:
            on_progress(bytes_read, report)

    products = products_read(file, on_progress=progress)
    with catalogue_batch():
        if dry_run:
            with transaction.atomic():
                _import_all(products, context, report)
                transaction.set_rollback(True)
        else:
            _import_all(products, context, report)
    if not dry_run and report.counts["created"] + report.counts["changed"] >= STATISTICS_REFRESH_AFTER:
        statistics_refresh()
    return report


def _import_all(products, context: _Context, report: ImportReport) -> None:
    chunk: list[OnixProduct] = []
    try:
        for product in products:
            chunk.append(product)
            if len(chunk) == CHUNK_SIZE:
                _chunk_import(chunk, context, report)
                chunk = []
    except OnixFileError as error:
        report.file_error = str(error)
    if chunk:
        _chunk_import(chunk, context, report)
    _related_titles(context, report)
    _chunk_done(context, report)


def _chunk_import(products: list[OnixProduct], context: _Context, report: ImportReport) -> None:
    for outcome in _products_import(products, context):
        report.add(outcome)
    _chunk_done(context, report)


def _chunk_done(context: _Context, report: ImportReport) -> None:
    """Refresh the search documents of the books this chunk touched and forget cached pages."""
    if context.touched_books:
        report.books_indexed += book_search_index(books=Book.objects.filter(pk__in=context.touched_books))
        context.touched_books.clear()
        if not report.dry_run:
            catalogue_changed.send(sender=Book)


def _products_import(products: list[OnixProduct], context: _Context) -> list[ProductOutcome]:
    """Import the products in one transaction; if one of them cannot be saved, in two halves, and so on."""
    if len(products) == 1:
        return [_product_import(products[0], context)]
    try:
        with transaction.atomic():
            chunk = _chunk_read(products, context)
            outcomes = []
            for product in products:
                outcome = _outcome(product)
                try:
                    isbn, binding = _checked(product)
                except _Refused as refusal:
                    # Refused before anything was read or changed: the others go on.
                    outcome.outcome, outcome.reason = "refused", str(refusal)
                else:
                    _apply(product, context, chunk, outcome, isbn=isbn, binding=binding)
                outcomes.append(outcome)
            _chunk_write(chunk)
    except (_Refused, ValidationError, DatabaseError, StaleEdit):
        context.forget_rows()
        half = len(products) // 2
        return _products_import(products[:half], context) + _products_import(products[half:], context)
    _chunk_remember(chunk, context)
    return outcomes


def _product_import(product: OnixProduct, context: _Context) -> ProductOutcome:
    outcome = _outcome(product)
    try:
        with transaction.atomic():
            isbn, binding = _checked(product)
            outcome.isbn = isbn
            chunk = _chunk_read([product], context)
            _apply(product, context, chunk, outcome, isbn=isbn, binding=binding)
            _chunk_write(chunk)
    except _Refused as refusal:
        outcome.outcome, outcome.reason, outcome.changes = "refused", str(refusal), []
    except ValidationError as error:
        outcome.outcome, outcome.changes = "refused", []
        outcome.reason = "; ".join(_messages(error))
    except IntegrityError as error:
        # Someone saved the same ISBN or slug while this product was being imported.
        outcome.outcome, outcome.changes = "refused", []
        outcome.reason = f"The database refused it, most likely a change made at the same time: {error}"
    except StaleEdit:
        # Saved by an editor between this product's reading and its writing, in its chunk and again alone.
        outcome.outcome, outcome.changes = "refused", []
        outcome.reason = "An editor saved its book or format while it was being imported; import the file again."
    else:
        _chunk_remember(chunk, context)
        return outcome
    context.forget_rows()
    return outcome


def _outcome(product: OnixProduct) -> ProductOutcome:
    return ProductOutcome(reference=product.reference, line=product.line, isbn=product.isbn, outcome="unchanged")


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, errors in error.message_dict.items() for message in errors]
    return list(error.messages)


def _checked(product: OnixProduct) -> tuple[str, str]:
    """The product's ISBN-13 and binding, or the refusal of what no catalogue could take (reads nothing).

    A deletion notice needs its ISBN only (and has no binding).
    """
    if not product.isbn:
        raise _Refused("The product has no ISBN-13 (ProductIdentifier with ProductIDType 15).")
    try:
        isbn = isbn13_normalize(product.isbn)
    except ValidationError as error:
        raise _Refused(error.messages[0]) from None
    if product.notification_type == codes.DELETION_NOTICE:
        return isbn, ""
    binding = codes.PRODUCT_FORMS.get(product.product_form)
    if binding is None:
        raise _Refused(
            f"Product form “{product.product_form or 'none'}” is not sold here (hardback BB, paperback BC, "
            "ebook EA, EB, ED or DG)."
        )
    if product.date_problem:
        raise _Refused(product.date_problem.capitalize() + ".")
    return isbn, binding


def _chunk_read(products: list[OnixProduct], context: _Context) -> _Chunk:
    """Read at once every row the products may match or compare with."""
    chunk = _Chunk()
    isbns: set[str] = set()
    slugs: set[str] = set()
    work_books: set[int] = set()
    author_slugs: set[str] = set()
    author_names: set[str] = set()
    for product in products:
        isbns.add(isbn13_parse(product.isbn) or "")
        same_work = [isbn for relation, isbn in product.related_isbns if relation in codes.SAME_WORK_RELATIONS]
        isbns.update(isbn13_parse(isbn) or "" for isbn in same_work)
        for key in _work_keys(product):
            if key[0] == codes.BOOK_ID_NAME:
                slugs.add(key[1])
            if key in context.works:
                work_books.add(context.works[key])
        for contributor in product.contributors:
            slug = contributor.identifiers.get(codes.AUTHOR_ID_NAME, "")
            if slug:
                author_slugs.add(slug)
            else:
                author_names.add(contributor.name)
    isbns.discard("")

    books = Book.objects.select_related("publisher", "series")
    for book in books.filter(pk__in=Format.objects.filter(isbn__in=isbns).values("book_id")):
        chunk.books_by_pk[book.pk] = book
    for book in books.filter(_any_of(slug__in=slugs, pk__in=work_books)).exclude(pk__in=chunk.books_by_pk):
        chunk.books_by_pk[book.pk] = book
    for book in chunk.books_by_pk.values():
        chunk.books_by_slug[book.slug] = book
        chunk.book_state(book)
    book_ids = list(chunk.books_by_pk)
    if book_ids:
        _book_states_read(chunk, book_ids, context)

    # One object per author: the one remembered from earlier chunks, if any.
    remembered = {author.pk: author for author in context.authors.values() if author.pk is not None}
    for author in Author.objects.filter(slug__in=author_slugs):
        chunk.authors_by_slug[author.slug] = remembered.get(author.pk, author)
    for author in Author.objects.filter(name__in=author_names).order_by("pk"):
        chunk.authors_by_name.setdefault(author.name, remembered.get(author.pk, author))
    return chunk


def _any_of(**lookups) -> models.Q:
    """Rows matching any of the lookups (a lookup `__in` an empty set matches nothing)."""
    condition = models.Q(pk__in=[])
    for name, value in lookups.items():
        condition |= models.Q(**{name: value})
    return condition


def _book_states_read(chunk: _Chunk, book_ids: list[int], context: _Context) -> None:
    books = chunk.books_by_pk
    formats = list(Format.objects.filter(book_id__in=book_ids).order_by("pk"))
    for fmt in formats:
        fmt.book = books[fmt.book_id]
        fmt = chunk.formats_by_isbn.setdefault(fmt.isbn, fmt)
        chunk.book_state(fmt.book).formats.append(fmt)
        chunk.format_state(fmt)
    contributions = Contribution.objects.filter(book_id__in=book_ids).select_related("author").order_by("position")
    for row in contributions:
        chunk.book_state(books[row.book_id]).contributions.append((row.author, row.role))
    for row in SubjectLink.objects.filter(book_id__in=book_ids).select_related("subject").order_by("pk"):
        chunk.book_state(books[row.book_id]).subjects.append(row.subject)
    toc = TocEntry.objects.filter(book_id__in=book_ids).order_by("position")
    for book_id, *entry in toc.values_list("book_id", "level", "label", "title"):
        chunk.book_state(books[book_id]).toc.append(tuple(entry))
    quotes = ReviewQuote.objects.filter(book_id__in=book_ids).order_by("position")
    for book_id, *quote in quotes.values_list("book_id", "kind", "text", "author", "source"):
        chunk.book_state(books[book_id]).quotes.append(tuple(quote))
    related = RelatedTitle.objects.filter(book_id__in=book_ids).order_by().values_list("book_id", flat=True)
    for book_id in related.distinct():
        chunk.book_state(books[book_id]).has_related = True

    by_pk = {fmt.pk: fmt for fmt in chunk.formats_by_isbn.values()}
    markets = {market.pk: market for market in context.markets}
    for price in Price.objects.filter(format_id__in=by_pk):
        price.format, price.market = by_pk[price.format_id], markets.get(price.market_id) or price.market
        chunk.format_state(price.format).prices[price.market_id] = price
    for rights in SalesRights.objects.filter(format_id__in=by_pk).order_by("pk"):
        rights.format = by_pk[rights.format_id]
        chunk.format_state(rights.format).sales_rights.append(rights)


def _chunk_write(chunk: _Chunk) -> None:
    """Write what the chunk's products changed: new rows in bulk, lists replaced, changed rows saved."""
    # New rows get their ids here, so the rows written after them that name them by object get theirs.
    Author.objects.bulk_create(chunk.new[Author])
    Book.objects.bulk_create(chunk.new[Book])
    for row in chunk.changed.values():
        row.save()  # one by one, so that each row's version is checked and moved on
    Format.objects.bulk_create(chunk.new[Format])
    for model, owner_field in _REPLACED_OWNER.items():
        replaced = [entry for (kind, _owner), entry in chunk.replaced.items() if kind is model]
        existing = [owner.pk for owner, _rows, existed in replaced if existed]
        if existing:
            model.objects.filter(**{f"{owner_field}_id__in": existing}).delete()
        model.objects.bulk_create([row for _owner, rows, _existed in replaced for row in rows])
    if chunk.stale_prices:
        Price.objects.filter(pk__in=[price.pk for price in chunk.stale_prices]).delete()
    Price.objects.bulk_create(list(chunk.new_prices.values()))


def _chunk_remember(chunk: _Chunk, context: _Context) -> None:
    """Once the chunk is saved: what later chunks and the end of the file need of it."""
    for key, book in chunk.works.items():
        context.works.setdefault(key, book.pk)
    for book, outcome, titles in chunk.related.values():
        if book.pk in context.related:
            context.related[book.pk][1].extend(titles)
        else:
            context.related[book.pk] = (outcome, titles)
    context.touched_books.update(book.pk for book in chunk.touched.values())


def _apply(product: OnixProduct, context: _Context, chunk: _Chunk, outcome: ProductOutcome, *, isbn: str, binding: str):
    outcome.isbn = isbn
    fmt = chunk.formats_by_isbn.get(isbn)
    if product.notification_type == codes.DELETION_NOTICE:
        _withdraw(fmt, isbn, chunk, outcome)
        return
    book = fmt.book if fmt else _book_of_work(product, context, chunk)
    created = book is None
    if created:
        book = _new_book(product, chunk)
    changes: list[tuple[str, str, str]] = []
    _book_fields(product, book, changes, context, new=created)
    if changes:
        # Slugs are made unique above; the check constraints repeat the fields' own validators.
        book.full_clean(exclude=["publisher", "series"], validate_unique=False, validate_constraints=False)
        if created:
            chunk.new[Book].append(book)
        chunk.save(book)
    outcome.book = str(book)
    changes += _contributors(product, book, outcome, context, chunk, new=created)
    changes += _subjects(product, book, context, chunk, new=created)
    changes += _toc(product, book, chunk, new=created)
    changes += _quotes(product, book, chunk, new=created)
    fmt_changes, fmt = _format(product, book, fmt, isbn, binding, chunk)
    format_created = bool(fmt_changes) and fmt_changes[0][0] == "format"
    changes += fmt_changes
    changes += _prices(product, fmt, outcome, context.markets, chunk, new=format_created)
    changes += _sales_rights(product, fmt, chunk, new=format_created)
    _collect_related(product, book, outcome, context, chunk, new=created)
    for key in _work_keys(product):
        if key not in context.works:
            chunk.works.setdefault(key, book)
    if changes:
        chunk.touched[id(book)] = book
    outcome.outcome = "created" if (created or format_created) else ("changed" if changes else "unchanged")
    outcome.changes = [] if created else changes


def _withdraw(fmt: Format | None, isbn: str, chunk: _Chunk, outcome: ProductOutcome) -> None:
    """A deletion notice: the format is withdrawn from sale (list 64 code 11), and stays listed.

    Nothing is deleted: orders and links name the format, and a later record for the ISBN puts
    back whatever status it sends.
    """
    if fmt is None:
        outcome.outcome = "refused"
        outcome.reason = "A deletion notice (NotificationType 05) for an ISBN no format here has: nothing to withdraw."
        return
    outcome.book = str(fmt.book)
    withdrawn = PublishingStatus.WITHDRAWN_FROM_SALE
    if fmt.publishing_status == withdrawn:
        return
    outcome.outcome = "changed"
    outcome.changes = [(f"publishing status of {isbn}", _shown(fmt.publishing_status), _shown(withdrawn))]
    fmt.publishing_status = withdrawn
    chunk.save(fmt)
    chunk.touched[id(fmt.book)] = fmt.book


def _work_keys(product: OnixProduct) -> list[tuple[str, str]]:
    return [(kind, value) for kind, value in product.work_identifiers if value]


def _book_of_work(product: OnixProduct, context: _Context, chunk: _Chunk) -> Book | None:
    for kind, value in _work_keys(product):
        if kind == codes.BOOK_ID_NAME:
            book = chunk.books_by_slug.get(value)
            if book is not None:
                return book
        if (kind, value) in context.works:
            book = chunk.books_by_pk.get(context.works[(kind, value)])
            if book is not None:  # else removed meanwhile
                return book
        if (kind, value) in chunk.works:
            return chunk.works[(kind, value)]
    for relation, related_isbn in product.related_isbns:
        normalized = isbn13_parse(related_isbn)
        if relation in codes.SAME_WORK_RELATIONS and normalized:
            fmt = chunk.formats_by_isbn.get(normalized)
            if fmt is not None:
                return fmt.book
    return None


def _unique_slug(model, wanted: str, fallback: str, taken: Container[str] = ()) -> str:
    """A slug for a new row of `model`, free in the table and not among `taken` (rows not yet written)."""
    base = (slugify(wanted)[:190].strip("-")) or fallback
    slug, number = base, 1
    while slug in taken or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _new_book(product: OnixProduct, chunk: _Chunk) -> Book:
    if not product.title:
        raise _Refused("The product has no title (TitleDetail with TitleType 01).")
    slug = next((value for kind, value in _work_keys(product) if kind == codes.BOOK_ID_NAME), "")
    if slug in chunk.books_by_slug:  # the chunk read every book with a slug its products name
        slug = ""
    book = Book(slug=slug or _unique_slug(Book, product.title, "book", chunk.books_by_slug))
    chunk.books_by_slug[book.slug] = book
    return book


def _book_fields(product: OnixProduct, book: Book, changes: list, context: _Context, *, new: bool) -> None:
    values: dict[str, object] = {}
    if product.title:
        values["title"] = product.title
        values["subtitle"] = product.subtitle
    if product.edition:
        values["edition"] = product.edition
    if product.page_count:
        values["page_count"] = product.page_count
    elif new:
        raise _Refused("The product has no page count (Extent with ExtentType 00 and ExtentUnit 03).")
    values["illustrations_note"] = product.illustrations_note
    # A record is complete: what it leaves out (a series, a DOI, an edition statement) is cleared.
    values["edition_statement"] = product.edition_statement
    values["doi"] = next((value for kind, value in _work_keys(product) if kind == codes.DOI_WORK_ID), "")
    values["series"] = _series(product.series_title, context) if product.series_title else None
    number = product.series_number
    values["series_number"] = int(number) if number.isdigit() and values["series"] is not None else None
    description = product.texts.get(codes.TEXT_DESCRIPTION) or product.texts.get(codes.TEXT_SHORT_DESCRIPTION)
    if description is not None:
        values["description"] = sanitize_html(description)
    if product.language:
        values["language"] = _language_tag(product.language, product.language_country)
    publisher = _publisher(product, context)
    if publisher is None and new:
        raise _Refused("The product names no publisher (PublishingDetail: Imprint or Publisher).")
    if publisher is not None:
        values["publisher"] = publisher
    if product.publication_date is None and new:
        raise _Refused("The product has no publication date (PublishingDate with PublishingDateRole 01).")
    if new:
        values["publication_date"] = product.publication_date
    for name, value in values.items():
        before = getattr(book, name) if not new or name == "slug" else None
        if before != value:
            if not new:
                changes.append((Book._meta.get_field(name).verbose_name, _shown(before), _shown(value)))
            setattr(book, name, value)
    if new:
        changes.append(("book", "", str(book)))


def _series(title: str, context: _Context) -> Series:
    series = context.series.get(title.casefold())
    if series is None:
        series = Series.objects.filter(title__iexact=title).order_by("pk").first()
        if series is None:
            series = Series(title=title, slug=_unique_slug(Series, title, "series"))
            series.full_clean()
            series.save()
        context.series[title.casefold()] = series
    return series


def _quotes(product: OnixProduct, book: Book, chunk: _Chunk, *, new: bool) -> list:
    """Review quotes and endorsements (TextContent 06 and 09), in file order, replacing the book's."""
    wanted = [
        (kind, sanitize_html(text), author[:200], source[:200])
        for kind, text, author, source in product.quotes
        if plain_text(text)
    ]
    state = chunk.book_state(book)
    current = [] if new else state.quotes
    if current == wanted:
        return []
    state.quotes = wanted
    chunk.replace(
        ReviewQuote,
        book,
        [
            ReviewQuote(book=book, kind=kind, text=text, author=author, source=source, position=position)
            for position, (kind, text, author, source) in enumerate(wanted, start=1)
        ],
    )
    return [("review quotes", f"{len(current)} quotes", f"{len(wanted)} quotes")]


def _shown(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _language_tag(code: str, country: str) -> str:
    try:
        tag = langcodes.standardize_tag(code)
    except (ValueError, LookupError):
        raise _Refused(f"Language code “{code}” is not an ISO 639-2 code.") from None
    return f"{tag}-{country}" if country else tag


def _publisher(product: OnixProduct, context: _Context) -> Publisher | None:
    name = product.imprint_name or product.publisher_name
    slug = product.publisher_identifiers.get(codes.PUBLISHER_ID_NAME, "")
    if not name and not slug:
        return None
    key = slug or name.casefold()
    if key in context.publishers:
        return context.publishers[key]
    publisher = (
        Publisher.objects.filter(slug=slug).first() if slug else Publisher.objects.filter(name__iexact=name).first()
    )
    if publisher is None:
        publisher = Publisher(name=name, slug=slug or _unique_slug(Publisher, name, "publisher"))
        publisher.full_clean()
        publisher.save()
    context.publishers[key] = publisher
    return publisher


def _author(contributor, context: _Context, chunk: _Chunk) -> tuple[Author, list[tuple[str, str, str]]]:
    slug = contributor.identifiers.get(codes.AUTHOR_ID_NAME, "")
    key = (slug, contributor.name)
    author = context.authors.get(key)
    if author is None:
        # The store's own identifier decides when there is one (two authors may share a name).
        author = chunk.authors_by_slug.get(slug) if slug else chunk.authors_by_name.get(contributor.name)
    changes = []
    made = author is None
    if made:
        author = Author(
            name=contributor.name,
            sort_name=contributor.sort_name,
            slug=slug or _unique_slug(Author, contributor.name, "author", chunk.authors_by_slug),
        )
        changes.append(("contributor", "", contributor.name))
    biography = sanitize_html(contributor.biography) if contributor.biography else None
    if biography is not None and biography != author.biography:
        if not made:
            changes.append((f"biography of {author.name}", _shown(author.biography), _shown(biography)))
        author.biography = biography
    if changes:
        # The slug is free: the chunk read every author with a slug its products name.
        author.full_clean(validate_unique=False)
        if made:
            chunk.new[Author].append(author)
            chunk.authors_by_slug[author.slug] = author
            chunk.authors_by_name.setdefault(author.name, author)
        chunk.save(author)
    if len(context.authors) >= AUTHOR_CACHE_SIZE:
        context.authors.clear()  # memory stays bounded; a prolific author is looked up again
    context.authors[key] = author
    return author, changes


def _row_key(row: models.Model) -> object:
    """A row's identity, also for one not written yet."""
    return row.pk if row.pk is not None else ("new", id(row))


def _contributors(
    product: OnixProduct, book: Book, outcome: ProductOutcome, context: _Context, chunk: _Chunk, *, new: bool
) -> list:
    changes = []
    wanted: list[tuple[Author, str]] = []
    biography_note = product.texts.get(codes.TEXT_BIOGRAPHICAL_NOTE, "")
    for contributor in product.contributors:
        role = codes.CONTRIBUTOR_ROLES.get(contributor.role)
        if role is None or not contributor.name:
            outcome.notes.append(f"Contributor “{contributor.name}” with role {contributor.role or 'none'} left out.")
            continue
        if biography_note and not contributor.biography and not wanted:
            # A biographical note for the whole product (TextType 12) is its first contributor's.
            contributor = type(contributor)(**{**contributor.__dict__, "biography": biography_note})
        author, author_changes = _author(contributor, context, chunk)
        changes += author_changes
        if all(_row_key(author) != _row_key(other) or role != other_role for other, other_role in wanted):
            wanted.append((author, role))
    if not wanted and not product.contributors:
        return changes
    state = chunk.book_state(book)
    current = [] if new else state.contributions
    keys = lambda rows: [(_row_key(author), role) for author, role in rows]  # noqa: E731
    if keys(current) != keys(wanted):
        if not new:
            shown = lambda rows: ", ".join(f"{author.name} ({role})" for author, role in rows)  # noqa: E731
            changes.append(("contributors", shown(current), shown(wanted)))
        state.contributions = wanted
        chunk.replace(
            Contribution,
            book,
            [
                Contribution(book=book, author=author, role=role, position=position)
                for position, (author, role) in enumerate(wanted, start=1)
            ],
        )
    return changes


def _subjects(product: OnixProduct, book: Book, context: _Context, chunk: _Chunk, *, new: bool) -> list:
    wanted: list[Subject] = []
    for subject in product.subjects:
        key = (subject.scheme, subject.scheme_name, subject.code, subject.heading)
        found = context.subjects.get(key)
        if found is not None:
            if found not in wanted:
                wanted.append(found)
            continue
        own_slug = (
            subject.code
            if subject.scheme == codes.PROPRIETARY_SUBJECT_SCHEME and subject.scheme_name == codes.SUBJECT_SCHEME_NAME
            else ""
        )
        if own_slug:
            # The store's own code decides (two subjects may share a name).
            found = Subject.objects.filter(slug=own_slug).first()
        elif subject.heading:
            found = Subject.objects.filter(name__iexact=subject.heading).order_by("pk").first()
        if found is None and subject.heading:
            found = Subject(name=subject.heading, slug=own_slug or _unique_slug(Subject, subject.heading, "subject"))
            found.full_clean()
            found.save()
        code_field = {codes.BISAC_SCHEME: "bisac_code", codes.THEMA_SCHEME: "thema_code"}.get(subject.scheme)
        if found is not None and code_field and subject.code and getattr(found, code_field) != subject.code:
            setattr(found, code_field, subject.code)
            found.full_clean()
            found.save()
        if found is not None:
            context.subjects[key] = found
            if found not in wanted:
                wanted.append(found)
    if not product.subjects:
        return []
    state = chunk.book_state(book)
    current = set(state.subjects) if not new else set()
    if current == set(wanted):
        return []
    state.subjects = wanted
    chunk.replace(SubjectLink, book, [SubjectLink(book=book, subject=subject) for subject in wanted])
    names = lambda subjects: ", ".join(sorted(s.name for s in subjects))  # noqa: E731
    return [("subjects", names(current), names(wanted))]


def _toc(product: OnixProduct, book: Book, chunk: _Chunk, *, new: bool) -> list:
    text = product.texts.get(codes.TEXT_TABLE_OF_CONTENTS)
    if text is None:
        return []
    entries = toc_parse(text)
    state = chunk.book_state(book)
    current = [] if new else state.toc
    wanted = [(entry.level, entry.label, entry.title) for entry in entries]
    if current == wanted:
        return []
    rows = [
        TocEntry(book=book, position=entry.position, level=entry.level, label=entry.label, title=entry.title)
        for entry in entries
    ]
    for row in rows:
        # Fields only: positions are numbered here and levels start at 1, so the table's constraints
        # hold; checking them would cost two queries per entry.
        row.clean_fields(exclude=["book"])
    state.toc = wanted
    chunk.replace(TocEntry, book, rows)
    return [("table of contents", f"{len(current)} entries", f"{len(wanted)} entries")]


def _format(product: OnixProduct, book: Book, fmt: Format | None, isbn: str, binding: str, chunk: _Chunk):
    """Create or update the format, and the dates of the book and its formats."""
    changes = []
    created = fmt is None
    if created:
        fmt = Format(book=book, isbn=isbn)
        changes.append(("format", "", f"{binding} {isbn}"))
    state = chunk.book_state(book)
    # The book's date is the earliest of its formats'; a format has its own date only where it differs.
    others = [other for other in state.formats if other is not fmt]
    effective = {id(other): other.publication_date or book.publication_date for other in others}
    mine = product.publication_date or fmt.publication_date or book.publication_date
    earliest = min([mine, *effective.values()])
    if earliest != book.publication_date:
        changes.append(("publication date", str(book.publication_date), str(earliest)))
        book.publication_date = earliest
        chunk.save(book)
    for other in others:
        wanted = effective[id(other)] if effective[id(other)] != earliest else None
        if other.publication_date != wanted:
            other.publication_date = wanted
            chunk.save(other)
    own_date = mine if mine != earliest else None
    values = {"binding": binding, "publication_date": own_date, "book": book}
    if product.publishing_status in _PUBLISHING_STATUSES:
        values["publishing_status"] = product.publishing_status
    if product.availability in _AVAILABILITIES:
        values["availability"] = product.availability
    for name, value in values.items():
        before = getattr(fmt, name) if not created else None
        if created or before != value:
            if not created and name != "book":
                changes.append((f"{name.replace('_', ' ')} of {isbn}", _shown(before), _shown(value)))
            setattr(fmt, name, value)
    if changes:
        # The ISBN was looked up above and normalized (the constraints' concern); fields are checked.
        fmt.full_clean(exclude=["book"], validate_unique=False, validate_constraints=False)
        if created:
            chunk.new[Format].append(fmt)
            chunk.formats_by_isbn[isbn] = fmt
            state.formats.append(fmt)
        chunk.save(fmt)
    return changes, fmt


def _price_market(price: OnixPrice, markets: list[Market]) -> Market | None:
    """The market a price belongs to: same currency, and the market holding most of its countries.

    Countries no market holds are the rest of the world's; `WORLD` (list 49) is the rest of the world.
    """
    in_currency = [market for market in markets if market.currency == price.currency]
    rest = next((market for market in in_currency if market.is_rest_of_world), None)
    if price.countries_included:
        wanted = set(price.countries_included)
        best = max(in_currency, key=lambda market: len(market.country_codes & wanted), default=None)
        if best is not None and best.country_codes & wanted:
            return best
        held_elsewhere = any(market.country_codes & wanted for market in markets if not market.is_rest_of_world)
        return None if held_elsewhere else rest
    if "WORLD" in price.regions_included:
        return rest
    if price.regions_included:
        return None  # other regions (list 49) name no market here
    # No territory: the base market's price, else the rest of the world's, else the only market in that currency.
    base = next((market for market in in_currency if market.is_base), None)
    return base or rest or (in_currency[0] if len(in_currency) == 1 else None)


def _prices(
    product: OnixProduct, fmt: Format, outcome: ProductOutcome, markets: list[Market], chunk: _Chunk, *, new: bool
) -> list:
    """Set prices: with any price in the record, the format's set prices become exactly those."""
    if not product.prices:
        return []
    wanted: dict[int, tuple[Market, Decimal]] = {}
    for price in product.prices:
        where = f"{price.currency} {price.amount}"
        if not currency_is_known(price.currency):
            outcome.notes.append(f"Price {where}: “{price.currency}” is not an ISO 4217 currency; left out.")
            continue
        try:
            amount = Decimal(price.amount)
        except InvalidOperation:
            outcome.notes.append(f"Price {where}: the amount is not a number; left out.")
            continue
        if not amount.is_finite() or amount < 0:
            outcome.notes.append(f"Price {where}: not a price; left out.")
            continue
        if has_more_decimals_than(amount, price.currency):
            # Never rounded: a price with more decimals than its currency has is the sender's mistake.
            outcome.notes.append(f"Price {where}: more decimals than {price.currency} has; left out.")
            continue
        amount = amount.quantize(minor_unit(price.currency))
        market = _price_market(price, markets)
        if market is None:
            outcome.notes.append(
                f"Price {where}: no market here sells in {price.currency} to that territory; left out."
            )
            continue
        includes_tax = price.price_type in codes.PRICE_TYPES_INCLUDING_TAX
        if price.price_type not in codes.PRICE_TYPES_EXCLUDING_TAX | codes.PRICE_TYPES_INCLUDING_TAX or (
            includes_tax != market.prices_include_tax
        ):
            outcome.notes.append(
                f"Price {where}: price type {price.price_type} does not match {market.name}, whose prices "
                f"{'include' if market.prices_include_tax else 'exclude'} tax; left out."
            )
            continue
        wanted.setdefault(market.pk, (market, amount))
    state = chunk.format_state(fmt)
    current = {} if new else dict(state.prices)
    changes = []
    for market_pk, (market, amount) in wanted.items():
        existing = current.pop(market_pk, None)
        if existing is None:
            row = Price(format=fmt, market=market, amount=amount)
            changes.append((f"price of {fmt.isbn} in {market.name}", "derived", row.display))
        elif existing.amount != amount:
            before = existing.display
            row, row.amount = existing, amount
            changes.append((f"price of {fmt.isbn} in {market.name}", before, row.display))
        else:
            continue
        # The one price per format and market is ensured above; the database still enforces it.
        row.full_clean(exclude=["format", "market"], validate_unique=False, validate_constraints=False)
        state.prices[market_pk] = row
        if row.pk is None:
            chunk.new_prices[id(row)] = row
        chunk.save(row)
    for stale in current.values():
        changes.append((f"price of {fmt.isbn} in {stale.market.name}", stale.display, "derived"))
        del state.prices[stale.market_id]
        if stale.pk is None:
            del chunk.new_prices[id(stale)]
        else:
            chunk.stale_prices.append(stale)
    return changes


def _sales_rights(product: OnixProduct, fmt: Format, chunk: _Chunk, *, new: bool) -> list:
    """The format's sales rights (and rights in the rest of the world) become the record's.

    A record with neither `SalesRights` nor `ROWSalesRightsType` leaves them alone.
    """
    if not product.sales_rights and not product.rest_of_world_rights:
        return []
    changes = []
    rest_of_world = product.rest_of_world_rights
    if rest_of_world and rest_of_world not in _REST_OF_WORLD_RIGHTS:
        raise _Refused(f"ROWSalesRightsType “{rest_of_world}” is not a code of list 46 (00 to 03).")
    if fmt.rest_of_world_rights != rest_of_world:
        if not new:
            changes.append((f"rest of the world rights of {fmt.isbn}", fmt.rest_of_world_rights, rest_of_world))
        fmt.rest_of_world_rights = rest_of_world
        chunk.save(fmt)
    wanted = []
    for rights in product.sales_rights:
        row = SalesRights(
            format=fmt,
            rights_type=rights.rights_type,
            countries_included=sorted(code.upper() for code in rights.countries_included),
            regions_included=" ".join(rights.regions_included),
            countries_excluded=sorted(code.upper() for code in rights.countries_excluded),
            regions_excluded=" ".join(rights.regions_excluded),
        )
        try:
            row.full_clean(exclude=["format"])
        except ValidationError as error:
            territory = " ".join(
                rights.countries_included + rights.regions_included + rights.countries_excluded
                + rights.regions_excluded
            )
            raise _Refused(
                f"Sales rights (SalesRightsType {rights.rights_type or 'none'}, territory “{territory}”) cannot "
                f"be kept here: {'; '.join(error.messages)}"
            ) from None
        wanted.append(row)
    state = chunk.format_state(fmt)
    current = [] if new else state.sales_rights
    if [_rights_key(row) for row in current] == [_rights_key(row) for row in wanted]:
        return changes
    state.sales_rights = wanted
    chunk.replace(SalesRights, fmt, wanted)
    shown = lambda rows: "; ".join(str(row) for row in rows)  # noqa: E731
    return [*changes, (f"sales rights of {fmt.isbn}", shown(current), shown(wanted))]


def _rights_key(rights: SalesRights) -> tuple:
    return (
        rights.rights_type,
        tuple(sorted(str(country) for country in rights.countries_included)),
        rights.regions_included,
        tuple(sorted(str(country) for country in rights.countries_excluded)),
        rights.regions_excluded,
    )


def _collect_related(
    product: OnixProduct, book: Book, outcome: ProductOutcome, context: _Context, chunk: _Chunk, *, new: bool
) -> None:
    """Remember the product's related titles for the end of the file (see `_related_titles`).

    A book's related titles are those its products in the file name, in file order; a book whose
    products name none loses those it had (a record is complete).
    """
    titles = [
        (relation, isbn)
        for relation, isbn in product.related_isbns
        if relation in _RELATIONS and relation not in codes.SAME_WORK_RELATIONS
    ]
    if id(book) in chunk.related:
        chunk.related[id(book)][2].extend(titles)
    elif (
        titles
        or (book.pk is not None and book.pk in context.related)
        or (not new and chunk.book_state(book).has_related)
    ):
        chunk.related[id(book)] = (book, outcome, titles)


def _related_titles(context: _Context, report: ImportReport) -> None:
    """Set the related titles collected from the file, now that every product of it is saved."""
    pending, context.related = context.related, {}
    kept = {id(outcome) for outcome in report.products}
    for book_pk, (outcome, titles) in pending.items():
        isbns = {isbn: isbn13_parse(isbn) for _relation, isbn in titles}
        found = dict(
            Format.objects.filter(isbn__in={isbn for isbn in isbns.values() if isbn}).values_list("isbn", "book_id")
        )
        wanted: list[tuple[int, str]] = []
        noted = False
        for relation, isbn in titles:
            related_book = found.get(isbns[isbn] or "")
            if related_book is None:
                note = f"Related title {isbn} (ProductRelationCode {relation}): no book here has that ISBN; left out."
                if note not in outcome.notes:
                    outcome.notes.append(note)
                    noted = True
            elif related_book != book_pk and (related_book, relation) not in wanted:
                wanted.append((related_book, relation))
        rows = RelatedTitle.objects.filter(book_id=book_pk).order_by("position", "pk")
        current = list(rows.values_list("related_book_id", "relation"))
        changed = current != wanted
        if changed:
            try:
                with transaction.atomic():
                    rows.delete()
                    RelatedTitle.objects.bulk_create(
                        [
                            RelatedTitle(book_id=book_pk, related_book_id=related, relation=relation, position=position)
                            for position, (related, relation) in enumerate(wanted, start=1)
                        ]
                    )
            except IntegrityError:
                # A related book was deleted meanwhile: the book keeps the related titles it had.
                outcome.notes.append("Related titles not saved: a book they name was removed meanwhile.")
                changed, noted = False, True
        if changed:
            context.touched_books.add(book_pk)
            if outcome.outcome != "created":
                outcome.changes.append(("related titles", *_related_shown(current, wanted)))
        if (changed and outcome.outcome != "created") or noted:
            report.amend(outcome, changed=changed, kept=kept)


def _related_shown(*lists: list[tuple[int, str]]) -> list[str]:
    """Related titles as the report shows them: “Title (Replaced by), …”, for each list given."""
    titles = dict(Book.objects.filter(pk__in={pk for rows in lists for pk, _ in rows}).values_list("pk", "title"))
    return [", ".join(f"{titles[pk]} ({ProductRelation(relation).label})" for pk, relation in rows) for rows in lists]
