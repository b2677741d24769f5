"""A synthetic catalogue of any size, for trying the bookstore at scale: `manage.py generate_catalog`.

Books read like academic and trade titles, with subtitles, one to four contributors drawn from a
shared pool (a few authors write many books, most write one or two), publishers, subjects, one to
three formats with valid ISBN-13s, tables of contents of 5–40 entries, descriptions, a base price
for every format and set prices in a few other markets for some (the rest are derived), and the
search index. Everything comes from the word lists below and `random.Random`, so the same seed,
size and batch size give the same catalogue; nothing is downloaded.

Synthetic rows are recognisable by their slugs, which start with `syn-`; their ISBNs come from
978-0-9xxxxxx-x, a block the demo catalog (978-0-415…, 978-1-91100…) does not use. Running the
generator again adds books after the existing ones: book numbers and ISBNs carry on where the
last run stopped, and publishers and subjects are shared between runs.

Rows are made as plain tuples and written in bulk (`catalog.bulk`: PostgreSQL's COPY, or
executemany elsewhere), one transaction per batch; search documents are composed from the rows
as they are made, and on PostgreSQL the search vectors are computed on the way in. Only one
batch is held in memory, plus one waiting to be written, and the ids and names of the authors
made so far (so later books can share them). On PostgreSQL a thread of its own writes each
batch while the next one is made. No `save()` runs, so no history versions (django-reversion)
are made, and the version number of every row is the field's default, 1.
"""

from __future__ import annotations

import math
import queue
import random
import threading
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from django.db import connection, reset_queries, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from stdnum import ean

from catalog.bulk import BulkTable, ids_reserve, statistics_refresh
from catalog.models import Author, Book, Contribution, Format, Publisher, Subject, TocEntry
from catalog.search import document_words, fold, search_document_compose, search_vector_sql, vocabulary_add
from catalog.signals import catalogue_changed
from demo import data
from demo.services import demo_markets_load
from pricing.models import ExchangeRate, Market, Price
from pricing.money import minor_units

SYNTHETIC_SLUG_PREFIX = "syn-"
# 978-0-9…: English-language group 0, the small publishers' registrant ranges. Seven digits
# follow, so the block holds ten million ISBNs.
ISBN_PREFIX = "97809"
ISBN_BLOCK_SIZE = 10**7
BOOK_NUMBER_DIGITS = 8

Progress = Callable[[int, int], None]


class RealCatalogError(Exception):
    """The database holds books that are neither synthetic nor the demo's: generating would mix them."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(f"The database holds {count:,} books that are neither synthetic nor the demo catalog's.")


@dataclass
class GenerateReport:
    """What one run made."""

    books: int = 0
    authors: int = 0
    publishers: int = 0
    subjects: int = 0
    formats: int = 0
    toc_entries: int = 0
    prices: int = 0
    batches: int = 0
    seconds: float = 0.0
    loaded_markets: bool = False

    @property
    def books_per_second(self) -> float:
        return self.books / self.seconds if self.seconds else 0.0


def books_not_synthetic() -> QuerySet[Book]:
    """Books that are neither generated here nor the demo catalog's: someone's real data."""
    demo_slugs = [row["slug"] for row in data.BOOKS]
    return Book.objects.exclude(slug__startswith=SYNTHETIC_SLUG_PREFIX).exclude(slug__in=demo_slugs)


def catalog_generate(
    *,
    books: int,
    seed: int = 0,
    batch_size: int = 2000,
    allow_real_data: bool = False,
    progress: Progress | None = None,
) -> GenerateReport:
    """Add `books` synthetic books, in batches of `batch_size`, each batch in its own transaction.

    Refuses (RealCatalogError) when the database holds books that are neither synthetic nor the
    demo's, unless `allow_real_data`. Prices need a base market: when there is none, the demo's
    markets, countries and exchange rates are loaded first. `progress(done, total)` is called
    after each batch.
    """
    if books < 1 or batch_size < 1:
        raise ValueError("books and batch_size must be positive.")
    if not allow_real_data:
        real = books_not_synthetic().count()
        if real:
            raise RealCatalogError(real)
    started = time.monotonic()
    report = GenerateReport()
    if not Market.objects.filter(is_base=True).exists():
        demo_markets_load()
        report.loaded_markets = True

    first_number = _next_book_number()
    isbn_serial = _next_isbn_serial()
    if isbn_serial + 3 * books > ISBN_BLOCK_SIZE:
        raise ValueError(f"The synthetic ISBN block has room for {(ISBN_BLOCK_SIZE - isbn_serial) // 3:,} more books.")
    rng = random.Random(f"{seed}:{first_number}")
    words = _Words(rng)
    with transaction.atomic():
        publishers, subjects = _publishers_and_subjects(words, books, report)
    run = _Run(words, report, publishers, subjects, _Pricing.load())

    def written(rows: _BatchRows) -> None:
        report.batches += 1
        report.books += len(rows.books)
        if progress is not None:
            progress(report.books, books)

    with _Writer(_Tables(), written) as writer:
        made = 0
        while made < books:
            size = min(batch_size, books - made)
            rows, isbn_serial = _batch_make(run, size, first_number + made, isbn_serial)
            writer.put(rows)
            made += size
    statistics_refresh()
    report.seconds = time.monotonic() - started
    return report


def _next_book_number() -> int:
    last = (
        Book.objects.filter(slug__regex=rf"^{SYNTHETIC_SLUG_PREFIX}[0-9]{{{BOOK_NUMBER_DIGITS}}}-")
        .order_by("-slug")
        .values_list("slug", flat=True)
        .first()
    )
    if last is None:
        return 1
    return int(last[len(SYNTHETIC_SLUG_PREFIX) :][:BOOK_NUMBER_DIGITS]) + 1


def _next_isbn_serial() -> int:
    last = Format.objects.filter(isbn__startswith=ISBN_PREFIX).order_by("-isbn").values_list("isbn", flat=True).first()
    return int(last[len(ISBN_PREFIX) : 12]) + 1 if last else 0


def _isbn(serial: int) -> str:
    stem = f"{ISBN_PREFIX}{serial:07d}"
    return stem + ean.calc_check_digit(stem)


def _zipf_index(rng: random.Random, size: int) -> int:
    """An index below `size`, low ones far more often: a few authors and publishers are prolific."""
    return min(int(size * rng.random() ** 3), size - 1)


def _publishers_and_subjects(words: _Words, books: int, report: GenerateReport) -> tuple[dict[int, str], list[int]]:
    """This run's publishers (id: name) and subjects (ids), shared with earlier runs by slug."""
    publisher_names = words.publisher_names(books // 2000 + 10)
    subject_names = words.subject_names(min(200, max(50, books // 500)))
    ids = []
    for model, names in ((Publisher, publisher_names), (Subject, subject_names)):
        slugs = {SYNTHETIC_SLUG_PREFIX + slugify(name): name for name in names}
        existing = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        model.objects.bulk_create([model(slug=slug, name=name) for slug, name in slugs.items() if slug not in existing])
        ids.append(dict(model.objects.filter(slug__in=slugs).order_by("slug").values_list("pk", "name")))
        created = len(slugs) - len(existing)
        if model is Publisher:
            report.publishers += created
        else:
            report.subjects += created
    return ids[0], list(ids[1])


@dataclass(frozen=True)
class _Pricing:
    base: Market
    # Other markets with a set price for some formats: (market, currency, rate from the base currency).
    others: list[tuple[Market, str, Decimal]]

    @classmethod
    def load(cls) -> _Pricing:
        base = Market.objects.get(is_base=True)
        markets = list(Market.objects.filter(is_base=False, is_rest_of_world=False).order_by("name"))
        rates = ExchangeRate.objects.latest_on_each(
            base.currency, {market.currency for market in markets}, timezone.localdate()
        )
        others = [
            (market, market.currency, rates[market.currency].rate if market.currency in rates else Decimal(1))
            for market in markets
            if market.currency in rates or market.currency == base.currency
        ]
        return cls(base, others)


BASE_PRICES = {
    Format.Binding.HARDBACK: [Decimal(n) for n in ("95.00", "110.00", "120.00", "135.00", "150.00", "175.00")],
    Format.Binding.PAPERBACK: [Decimal(n) for n in ("19.95", "24.95", "29.95", "34.95", "39.95", "44.95", "49.95")],
    Format.Binding.EBOOK: [Decimal(n) for n in ("14.95", "19.95", "24.95", "29.95", "34.95", "39.95")],
}
BINDING_SETS = [
    ([Format.Binding.HARDBACK], 20),
    ([Format.Binding.PAPERBACK], 10),
    ([Format.Binding.HARDBACK, Format.Binding.EBOOK], 25),
    ([Format.Binding.PAPERBACK, Format.Binding.EBOOK], 15),
    ([Format.Binding.HARDBACK, Format.Binding.PAPERBACK], 10),
    ([Format.Binding.HARDBACK, Format.Binding.PAPERBACK, Format.Binding.EBOOK], 20),
]
EARLIEST = date(1985, 1, 1)
LATEST = date(2026, 10, 31)


def _set_price(base_amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    """A price an editor might set: the conversion, rounded up to .99 (or to 100 without minor units)."""
    converted = base_amount * rate
    if minor_units(currency) == 0:
        return (converted / 100).to_integral_value(ROUND_CEILING) * 100
    return converted.to_integral_value(ROUND_CEILING) - Decimal("0.01")


# The columns each table's rows give, in order; `BulkTable` fills in the rest.
AUTHOR_COLUMNS = ("id", "name", "sort_name", "slug", "biography")
BOOK_COLUMNS = (
    "id", "title", "subtitle", "slug", "edition", "publisher", "publication_date", "page_count",
    "illustrations_note", "description", "search_document",
)  # fmt: skip
CONTRIBUTION_COLUMNS = ("book", "author", "role", "position")
FORMAT_COLUMNS = ("id", "book", "binding", "isbn")
TOC_COLUMNS = ("book", "position", "level", "label", "title")
BOOK_SUBJECT_COLUMNS = ("book", "subject")
PRICE_COLUMNS = ("format", "market", "amount")


class _Tables:
    """The tables a batch writes, prepared once per run."""

    def __init__(self):
        self.authors = BulkTable(Author, AUTHOR_COLUMNS)
        self.books = BulkTable(Book, BOOK_COLUMNS, omit=["search_vector"])  # see books_write
        self.contributions = BulkTable(Contribution, CONTRIBUTION_COLUMNS)
        self.formats = BulkTable(Format, FORMAT_COLUMNS)
        self.toc_entries = BulkTable(TocEntry, TOC_COLUMNS)
        self.book_subjects = BulkTable(Book.subjects.through, BOOK_SUBJECT_COLUMNS)
        self.prices = BulkTable(Price, PRICE_COLUMNS)

    def books_write(self, rows: list[tuple], folded_titles: list[tuple[str, str]]) -> None:
        """The books, and on PostgreSQL their search vectors, computed by the database on the way in.

        The rows go to a staging table first, with each book's folded title and subtitle, and
        one INSERT … SELECT adds the vectors: writing the books and then updating them would
        write every row twice.
        """
        if connection.vendor != "postgresql":
            self.books.write(rows)
            return
        table = connection.ops.quote_name(Book._meta.db_table)
        columns = self.books.columns_sql()
        document = connection.ops.quote_name("search_document")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE synthetic_books (LIKE {table}, title_folded text, subtitle_folded text)"
            )
            self.books.write(
                [row + folded for row, folded in zip(rows, folded_titles, strict=True)],
                into="synthetic_books",
                extra=("title_folded", "subtitle_folded"),
            )
            vector = search_vector_sql("title_folded", "subtitle_folded", document)
            cursor.execute(
                f"INSERT INTO {table} ({columns}, search_vector) SELECT {columns}, {vector} FROM synthetic_books"
            )
            cursor.execute("DROP TABLE synthetic_books")


@dataclass
class _Run:
    """What every batch of a run shares."""

    words: _Words
    report: GenerateReport
    publishers: dict[int, str]  # id: name
    subjects: list[int]
    pricing: _Pricing
    # This run's authors, oldest first: the pool books share. Their ids (eight bytes each) and
    # names are all a run keeps in memory besides the batch being written.
    author_ids: array = field(default_factory=lambda: array("q"))
    author_names: list[str] = field(default_factory=list)
    vocabulary: set[str] = field(default_factory=set)  # the words already added to the vocabulary


@dataclass
class _BatchRows:
    """One batch's rows for each table, and the words its documents add to the vocabulary."""

    authors: list[tuple]
    books: list[tuple]
    folded_titles: list[tuple[str, str]]
    contributions: list[tuple]
    formats: list[tuple]
    toc_entries: list[tuple]
    book_subjects: list[tuple]
    prices: list[tuple]
    new_words: set[str]


class _Writer:
    """Writes batches in the order they are put, each in its own transaction.

    On PostgreSQL, outside any transaction, it writes in a thread of its own (with its own
    database connection) while the next batch is made: on two cores that halves a large run.
    At most one batch waits, so memory stays bounded. Elsewhere, or inside a transaction (which
    another connection could not see), `put` writes at once. An error in the thread is raised
    by the next `put` or on leaving the `with` block, and nothing more is written.
    """

    def __init__(self, tables: _Tables, written: Callable[[_BatchRows], None]):
        self.tables = tables
        self.written = written
        self.threaded = connection.vendor == "postgresql" and not connection.in_atomic_block
        self.queue: queue.Queue[_BatchRows | None] = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="generate_catalog writer", daemon=True)

    def __enter__(self) -> _Writer:
        if self.threaded:
            self.thread.start()
        return self

    def put(self, rows: _BatchRows) -> None:
        if self.threaded:
            self._send(rows)
        else:
            self._write(rows)

    def __exit__(self, kind, error, traceback) -> None:
        if not self.threaded:
            return
        self._send(None, raising=error is None)  # after the last batch; the thread stops at it
        self.thread.join()
        if error is None and self.error is not None:
            raise self.error

    def _send(self, item: _BatchRows | None, *, raising: bool = True) -> None:
        while self.thread.is_alive():
            try:
                self.queue.put(item, timeout=0.5)
                return
            except queue.Full:
                continue
        if raising and self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while (rows := self.queue.get()) is not None:
                self._write(rows)
        except BaseException as error:  # handed to the making thread
            self.error = error
        finally:
            connection.close()  # this thread's own connection

    def _write(self, rows: _BatchRows) -> None:
        tables = self.tables
        with transaction.atomic():
            tables.authors.write(rows.authors)
            tables.books_write(rows.books, rows.folded_titles)
            tables.contributions.write(rows.contributions)
            tables.formats.write(rows.formats)
            tables.toc_entries.write(rows.toc_entries)
            tables.book_subjects.write(rows.book_subjects)
            tables.prices.write(rows.prices)
            vocabulary_add(rows.new_words)
            catalogue_changed.send(sender=Book)  # bulk writes send no save signals: say the catalogue changed
        # With DEBUG on, Django keeps the SQL of the last 9,000 queries, and a batch's inserts
        # are megabytes of it: forget them, as Django does at the start of every request.
        reset_queries()
        self.written(rows)


def _batch_make(run: _Run, size: int, first_number: int, isbn_serial: int) -> tuple[_BatchRows, int]:
    """One batch of books with everything they have, as rows; and the next free ISBN serial."""
    words, pricing = run.words, run.pricing
    rng = words.rng
    new_authors = [words.author() for _ in range(math.ceil(size / 3))]
    author_rows = []
    for offset, (author_id, (name, sort_name, slug, biography)) in enumerate(
        zip(ids_reserve(Author, len(new_authors)), new_authors, strict=True), start=1
    ):
        # Numbered by the batch's first book, which no other batch of any run shares.
        slug = f"{SYNTHETIC_SLUG_PREFIX}{first_number:0{BOOK_NUMBER_DIGITS}d}-{offset}-{slug}"
        author_rows.append((author_id, name, sort_name, slug, biography))
    first_new = len(run.author_ids)
    run.author_ids.extend(row[0] for row in author_rows)
    run.author_names.extend(row[1] for row in author_rows)
    run.report.authors += len(author_rows)
    publisher_ids = list(run.publishers)

    book_rows, folded_titles, contributions, formats, toc_entries, book_subjects, prices = [], [], [], [], [], [], []
    words_seen: set[str] = set()
    format_ids = iter(ids_reserve(Format, 3 * size))
    for offset, book_id in enumerate(ids_reserve(Book, size)):
        title, subtitle = words.title()
        number = first_number + offset
        publisher_id = publisher_ids[_zipf_index(rng, len(publisher_ids))]
        description = words.description(title)

        count = rng.choices((1, 2, 3, 4), weights=(55, 28, 12, 5))[0]
        # Every new author gets a book of their own; the rest are drawn from all authors so far.
        chosen = [first_new + offset] if offset < len(author_rows) else []  # indexes into the pool
        while len(chosen) < count:
            candidate = _zipf_index(rng, len(run.author_ids))
            if candidate not in chosen:
                chosen.append(candidate)
            elif len(chosen) >= len(run.author_ids):
                break
        role = Contribution.Role.EDITOR if count > 1 and rng.random() < 0.15 else Contribution.Role.AUTHOR
        contributions += [
            (book_id, run.author_ids[index], role, position) for position, index in enumerate(chosen, start=1)
        ]

        bindings = rng.choices([bindings for bindings, _ in BINDING_SETS], [w for _, w in BINDING_SETS])[0]
        isbns = []
        for binding in bindings:
            format_id, isbn = next(format_ids), _isbn(isbn_serial)
            isbn_serial += 1
            isbns.append(isbn)
            formats.append((format_id, book_id, binding, isbn))
            amount = rng.choice(BASE_PRICES[binding])
            prices.append((format_id, pricing.base.pk, amount))
            # About a third of formats have an editor-set price in one or two other markets.
            if pricing.others and rng.random() < 0.35:
                for market, currency, rate in rng.sample(pricing.others, min(len(pricing.others), rng.choice((1, 2)))):
                    prices.append((format_id, market.pk, _set_price(amount, rate, currency)))
        toc_entries += [
            (book_id, position, level, label, entry_title)
            for position, (level, label, entry_title) in enumerate(words.toc(), start=1)
        ]
        book_subjects += [
            (book_id, subject_id) for subject_id in rng.sample(run.subjects, rng.choice((1, 1, 2, 2, 3)))
        ]

        document = search_document_compose(
            title=title,
            subtitle=subtitle,
            people=[run.author_names[index] for index in chosen],
            publisher=run.publishers[publisher_id],
            isbns=isbns,
            description=description,
        )
        words_seen |= document_words(document)
        book_rows.append(
            (
                book_id,
                title,
                subtitle,
                f"{SYNTHETIC_SLUG_PREFIX}{number:0{BOOK_NUMBER_DIGITS}d}-{slugify(title)[:80].strip('-')}",
                rng.choices((1, 2, 3, 4), weights=(80, 13, 5, 2))[0],
                publisher_id,
                (EARLIEST + timedelta(days=rng.randrange((LATEST - EARLIEST).days))).isoformat(),
                rng.randrange(96, 720),
                words.illustrations(),
                description,
                document,
            )
        )
        folded_titles.append((fold(title), fold(subtitle)))

    new_words = words_seen - run.vocabulary
    run.vocabulary |= new_words
    run.report.formats += len(formats)
    run.report.toc_entries += len(toc_entries)
    run.report.prices += len(prices)
    rows = _BatchRows(
        author_rows, book_rows, folded_titles, contributions, formats, toc_entries, book_subjects, prices, new_words
    )
    return rows, isbn_serial


# Words. A few hundred English words and name parts are enough for titles that read like a
# publisher's list; combinations make them varied.

FIRST_NAMES = """
Aaron Abigail Adam Adrian Agnes Aisha Alan Albert Alice Amara Ana Andrew Angela Anna Anton Astrid
Beatrice Benjamin Bernard Bridget Camille Carlos Caroline Catherine Charles Chiara Christopher
Clara Daniel David Deborah Diego Dorothy Edward Eleanor Elena Elif Elizabeth Emil Emma Eric Esther
Farah Felix Fiona Francis Gabriel George Grace Hannah Harriet Hassan Helen Henry Hugo Ibrahim
Imogen Ines Isaac Isabel Ivan James Jane Javier Joan Johanna John Jonathan Joseph Julia Karim
Katherine Kenji Laura Leila Leon Lucy Luis Magnus Margaret Maria Marta Martin Mary Matthew Mei
Michael Miriam Nadia Naomi Nicholas Nina Noah Olga Oliver Omar Patricia Paul Peter Priya Rachel
Rafael Rebecca Richard Robert Rosa Ruth Samuel Sara Sebastian Sofia Stefan Susan Tariq Teresa
Thomas Tobias Ursula Victor Vera Walter William Yusuf Zofia
""".split()
LAST_NAMES = """
Abbott Adeyemi Alvarez Anderson Arnold Bailey Baker Barker Becker Bennett Berg Bianchi Bishop Blake
Bradley Brennan Brooks Caldwell Campbell Carter Castillo Chandler Chen Clarke Coleman Collins
Cooper Costa Cross Dalton Davies Dawson Delgado Duarte Duncan Edwards Ellis Evans Farrell Fischer
Fleming Fletcher Ford Foster Fraser Garcia Gardner Gill Gordon Graham Grant Gray Hale Hall Hansen
Hargreaves Harper Hartmann Hayes Henderson Hoffmann Holmes Howard Hughes Hunt Iqbal Jansen Jensen
Kaplan Kelly Kennedy Khan Kovacs Larsen Lawson Lindqvist Lombardi Lowe Lucas MacLeod Marsh Mason
Mendes Meyer Mitchell Moreau Morgan Murphy Nakamura Nash Novak Nowak Okafor Oliveira Osei Owen
Palmer Park Parsons Patel Pearce Perez Petrov Pike Porter Price Quinn Ramos Reid Reyes Richter
Rossi Russell Ryan Saito Santos Schmidt Shaw Silva Sinclair Singh Sousa Spencer Stewart Stone
Sullivan Tanaka Taylor Thornton Turner Vasquez Vogel Wagner Walsh Ward Watson Weber Webb Wheeler
Whitaker Wilkins Wolf Wright Yamamoto Young Zimmermann
""".split()
PUBLISHER_FORMS = ["{} Press", "{} University Press", "{} Academic", "{} & Co.", "{} Books", "{} Publishing",
                   "{} House", "{} Editions"]
PLACES = [
    "Europe", "Asia", "Africa", "Britain", "Ireland", "France", "Germany", "Italy", "Spain", "Portugal", "Russia",
    "China", "Japan", "India", "Brazil", "Mexico", "Canada", "Egypt", "Turkey", "Persia", "Poland", "Scandinavia",
    "the Balkans", "the Baltic", "the Mediterranean", "the Atlantic World", "the Pacific", "the Caribbean",
    "the Andes", "the Ottoman Empire", "Central Asia", "West Africa", "South Asia", "Latin America",
    "the Middle East", "the Low Countries", "Vienna", "Paris", "London", "Berlin", "Istanbul", "Lisbon",
]
NOUNS = """
Memory Empire Revolution Labour Faith Reform Trade Power Knowledge Science Medicine Law Justice
Citizenship Nation State Language Landscape Migration Exile Money Credit Debt Markets Cities Work
Gender Family Childhood Education Print Reading Music Theatre Art Architecture Religion Belief
Ritual Violence War Peace Diplomacy Borders Frontiers Settlement Colonialism Independence Democracy
Authority Dissent Protest Censorship Propaganda Identity Class Race Kinship Friendship Love Death
Health Disease Famine Water Climate Energy Technology Machines Railways Ships Maps Archives Museums
Objects Food Agriculture Forests Rivers Mountains Islands Oceans Ports Markets Consumption Fashion
Photography Film Broadcasting Translation Poetry Fiction Philosophy Ethics Evidence Expertise
""".split()
ADJECTIVES = """
Modern Early Late Medieval Global Imperial Colonial Postwar Urban Rural Political Social Cultural
Economic Intellectual Religious Moral Material Visual Radical Conservative Liberal Popular Everyday
Hidden Forgotten Contested Unequal Uncertain Unfinished Divided Shared Invisible Ordinary Public
Private Domestic Maritime Continental Transnational Comparative Critical Practical Digital Natural
""".split()
GERUNDS = """
Reading Writing Making Remaking Imagining Governing Ruling Measuring Mapping Counting Building
Defending Translating Remembering Forgetting Performing Picturing Selling Teaching Healing Feeding
Policing Crossing Representing Rethinking Reforming Resisting Inventing Collecting Knowing
""".split()
SUBJECT_FIELDS = """
History Studies Politics Economics Sociology Anthropology Geography Philosophy Literature Law
Archaeology Linguistics Theology Musicology Education
""".split()
SUBJECT_QUALIFIERS = """
Modern European|Early Modern|Medieval|Russian|Asian|African|Latin American|Middle Eastern|Economic|Social
|Cultural|Environmental|Urban|Legal|Political|Intellectual|Gender|Labour|Maritime|Religious|Military
|Colonial|Global|Science and Technology|Media|Art|Comparative|Public|Digital|Medical
""".replace("\n", "").split("|")
FILLER_VERBS = ["examines", "explores", "traces", "reconsiders", "investigates", "reconstructs", "challenges"]
AUDIENCES = ["students and scholars of", "historians of", "general readers interested in", "anyone studying",
             "researchers in"]


class _Words:
    """Names, titles, contents and descriptions drawn from the lists above with one `Random`."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def publisher_names(self, count: int) -> list[str]:
        # Fixed order whatever the seed, so later runs reuse the same publishers first.
        names = [form.format(name) for name in LAST_NAMES for form in PUBLISHER_FORMS]
        random.Random(0).shuffle(names)
        return names[:count]

    def subject_names(self, count: int) -> list[str]:
        names = [f"{qualifier} {field}" for field in SUBJECT_FIELDS for qualifier in SUBJECT_QUALIFIERS]
        random.Random(1).shuffle(names)
        return names[:count]

    def author(self) -> tuple[str, str, str, str]:
        """Name, sort name, slug and biography."""
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.3 else ""
        name = f"{first}{middle} {last}"
        biography = (
            f"<p>{name} teaches {rng.choice(SUBJECT_QUALIFIERS).lower()} {rng.choice(SUBJECT_FIELDS).lower()} "
            f"at the University of {rng.choice(LAST_NAMES)}. Their work is on {rng.choice(NOUNS).lower()} "
            f"and {rng.choice(NOUNS).lower()} in {rng.choice(PLACES)}.</p>"
        )
        return name, f"{last}, {first}{middle}", slugify(name), biography

    def title(self) -> tuple[str, str]:
        rng = self.rng
        noun, other = rng.sample(NOUNS, 2)
        place = rng.choice(PLACES)
        title = rng.choice(
            [
                f"The {rng.choice(ADJECTIVES)} {noun}",
                f"{noun} and {other}",
                f"The {noun} of {other}",
                f"{rng.choice(GERUNDS)} {noun}",
                f"{rng.choice(ADJECTIVES)} {noun}",
                f"A History of {noun}",
                f"{noun} in {place}",
                f"{rng.choice(GERUNDS)} the {rng.choice(ADJECTIVES)} {noun}",
            ]
        )
        start = rng.randrange(1500, 1990)
        subtitle = rng.choice(
            [
                "",
                f"{other} in {place}, {start}–{start + rng.randrange(4, 120)}",
                f"{rng.choice(ADJECTIVES)} {other.lower()} in {place}",
                f"A {rng.choice(['Short', 'Critical', 'Global', 'New', 'Cultural'])} History",
                f"Essays on {other} and {rng.choice(NOUNS)}",
                f"{other}, {rng.choice(NOUNS).lower()} and {rng.choice(NOUNS).lower()} since {start}",
                "An Introduction",
            ]
        )
        return title, subtitle

    def illustrations(self) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            return ""
        return f"{rng.randrange(2, 60)} {rng.choice(['B/W Illustrations', 'Tables', 'Colour Illustrations', 'Maps'])}"

    def description(self, title: str) -> str:
        rng = self.rng

        def sentence() -> str:
            noun, other = rng.sample(NOUNS, 2)
            start = rng.randrange(1500, 1990)
            return rng.choice(
                [
                    f"This book {rng.choice(FILLER_VERBS)} {noun.lower()} in {rng.choice(PLACES)} between "
                    f"{start} and {start + rng.randrange(5, 90)}.",
                    f"Drawing on {rng.choice(ADJECTIVES).lower()} sources, it shows how {noun.lower()} shaped "
                    f"{other.lower()}.",
                    f"It asks what {rng.choice(ADJECTIVES).lower()} {noun.lower()} meant to those who lived with it.",
                    f"The chapters move from {noun.lower()} to {other.lower()}, and from {rng.choice(PLACES)} "
                    f"to {rng.choice(PLACES)}.",
                    f"It will interest {rng.choice(AUDIENCES)} {rng.choice(SUBJECT_QUALIFIERS).lower()} "
                    f"{rng.choice(SUBJECT_FIELDS).lower()}.",
                ]
            )

        opening = (
            f"<p><em>{title}</em> {rng.choice(FILLER_VERBS)} {rng.choice(NOUNS).lower()} and "
            f"{rng.choice(NOUNS).lower()} in {rng.choice(PLACES)}. {sentence()}</p>"
        )
        paragraphs = [opening]
        for _ in range(rng.randrange(1, 3)):
            paragraphs.append("<p>" + " ".join(sentence() for _ in range(rng.randrange(2, 5))) + "</p>")
        paragraphs.append("<p><em>Synthetic data:</em> this book was generated for testing at scale.</p>")
        return "".join(paragraphs)

    def chapter_title(self) -> str:
        rng = self.rng
        noun, other = rng.sample(NOUNS, 2)
        return rng.choice(
            [
                f"{rng.choice(GERUNDS)} {noun.lower()}",
                f"{noun} and {other.lower()}",
                f"The {rng.choice(ADJECTIVES).lower()} {noun.lower()}",
                f"{noun} in {rng.choice(PLACES)}",
                f"{rng.choice(ADJECTIVES)} {noun.lower()}, {rng.randrange(1500, 1990)}",
            ]
        )

    def toc(self) -> list[tuple[int, str, str]]:
        """5–40 (level, label, title) entries: introduction, chapters (in parts, if long), back matter."""
        rng = self.rng
        total = rng.randrange(5, 41)
        front = [(1, "", "Introduction")] if rng.random() < 0.6 else []
        back = [(1, "", title) for title in ("Conclusion", "Bibliography", "Index") if rng.random() < 0.5]
        chapters_and_parts = total - len(front) - len(back)
        body = []
        parts = chapters_and_parts >= 15 and rng.random() < 0.4
        chapter = part = 0
        while len(body) < chapters_and_parts:
            if parts and (chapter % 5 == 0) and len(body) < chapters_and_parts - 1 and (not body or body[-1][0] == 2):
                part += 1
                body.append((1, f"Part {part}:", self.chapter_title()))
                continue
            chapter += 1
            body.append((2 if parts else 1, f"{chapter}.", self.chapter_title()))
        return front + body + back
