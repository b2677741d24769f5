"""What a book is: its authors, publisher, formats and table of contents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import Prefetch, Q
from django.utils.html import escape
from django_countries.fields import CountryField

from catalog.addresses import slug_url
from catalog.fields import CodeField, DOIField, ISBNField, RichTextField
from catalog.html import plain_text
from catalog.isbn import isbn_hyphenate
from catalog.onix_codes import (
    REGIONS,
    ProductAvailability,
    ProductRelation,
    PublishingStatus,
    RestOfWorldRights,
    SalesRightsType,
    TextType,
)
from catalog.prepared import PreparedQuery
from catalog.rights import (
    Rights,
    Territory,
    for_sale_in,
    is_for_sale_type,
    region_codes,
    status_offers,
    unknown_regions,
)
from catalog.validators import validate_cover_size
from editorial.models import Versioned


class Author(Versioned):
    name = models.CharField(
        "name", max_length=200, help_text="As printed on the cover, e.g. “Simon Pirani”."
    )
    sort_name = models.CharField(
        "sort name",
        max_length=200,
        help_text="How the name sorts in lists, e.g. “Pirani, Simon”.",
    )
    slug = models.SlugField(
        "slug", max_length=200, unique=True, help_text=escape("The author page's address: /authors/<slug>/.")
    )
    biography = RichTextField(
        "biography",
        blank=True,
        help_text="Shown on the author page and under each of their books. Paragraphs, emphasis, "
        "lists and links are kept; anything else is removed.",
    )
    updated_at = models.DateTimeField("last changed", auto_now=True)

    class Meta:
        ordering = ["sort_name", "name"]
        indexes = [
            # The admin's list order.
            models.Index(fields=["sort_name", "name"], name="author_sort_order"),
            # The sitemap's last change for the authors' section, without reading every author.
            models.Index(fields=["updated_at"], name="author_updated_at"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("storefront:author_detail", self.slug)


class Publisher(Versioned):
    name = models.CharField("name", max_length=200, help_text="The imprint, e.g. “Routledge”.")
    slug = models.SlugField("slug", max_length=200, unique=True, help_text="Used in addresses.")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="publisher_name_order")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("storefront:publisher_detail", self.slug)


class Subject(Versioned):
    name = models.CharField("name", max_length=200, help_text="e.g. “Russian History”.")
    slug = models.SlugField("slug", max_length=200, unique=True, help_text="Used in addresses.")
    bisac_code = CodeField(
        "BISAC code",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}[0-9]{6}$", "A BISAC code is three capital letters and six digits, e.g. HIS032000.")],
        help_text="The BISAC subject heading this subject stands for, e.g. “HIS032000”. Leave empty if none.",
    )
    """ONIX: <Subject> with <SubjectSchemeIdentifier> 10 (BISAC), its <SubjectCode>."""
    thema_code = CodeField(
        "Thema code",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^[0-9A-Z][0-9A-Z.\-]*$", "A Thema code is capital letters and digits, e.g. NHD or 1DTA.")],
        help_text="The Thema subject category this subject stands for, e.g. “NHD”. Leave empty if none.",
    )
    """ONIX: <Subject> with <SubjectSchemeIdentifier> 93 (Thema subject category), its <SubjectCode>."""

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="subject_name_order")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("storefront:subject_detail", self.slug)


class Series(Versioned):
    """A series the publisher issues books in: ONIX <Collection> (CollectionType 10, publisher collection)."""

    title = models.CharField(
        "title", max_length=300, help_text="The series title as printed, e.g. “Studies in Labour History”."
    )
    """ONIX: <Collection><TitleDetail> (TitleType 01), <TitleElement> at TitleElementLevel 02, its <TitleText>."""
    slug = models.SlugField(
        "slug", max_length=200, unique=True, help_text=escape("The series page's address: /series/<slug>/.")
    )
    issn = models.CharField(
        "ISSN",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{4}-[0-9]{3}[0-9X]$", "An ISSN is written 1234-567X.")],
        help_text="The series' ISSN, if it has one, written 1234-567X.",
    )
    """ONIX: <CollectionIdentifier> with <CollectionIDType> 02 (ISSN)."""
    updated_at = models.DateTimeField("last changed", auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "series"
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("storefront:series_detail", self.slug)


_PUBLICATION_YEARS_POSTGRES = """
    WITH RECURSIVE years (year) AS (
        SELECT EXTRACT(YEAR FROM MAX(publication_date))::integer FROM {table}
        UNION ALL
        SELECT (
            SELECT EXTRACT(YEAR FROM MAX(publication_date))::integer FROM {table}
            WHERE publication_date < MAKE_DATE(years.year, 1, 1)
        )
        FROM years WHERE years.year IS NOT NULL
    )
    SELECT year FROM years WHERE year IS NOT NULL
"""


@dataclass(frozen=True)
class BookPage:
    """One page of a newest-first list of books, found by its first book rather than a number.

    `start` is the id of the page's first book (None on the first page); `next_start` and
    `previous_start` those of the pages either side, None where there is none. The page before the
    second one is the first page, which has no start: `has_previous` tells it from "no page before".
    """

    books: list[Book]
    start: int | None
    next_start: int | None
    previous_start: int | None
    has_previous: bool


class BookQuerySet(models.QuerySet):
    def newest_first(self) -> BookQuerySet:
        # The order of the book_newest_first index, read forwards; pk makes every position unique.
        return self.order_by("-publication_date", "title", "pk")

    def oldest_first(self) -> BookQuerySet:
        """The exact reverse of newest_first(): the same index read backwards."""
        return self.order_by("publication_date", "-title", "-pk")

    def from_book(self, publication_date, title: str, pk: int) -> BookQuerySet:
        """The book at this newest-first position and every book after it.

        The range condition on the date alone is what the index seeks to; the rest only sorts out
        the books of that one day.
        """
        return self.filter(
            Q(publication_date__lt=publication_date)
            | Q(publication_date=publication_date, title__gt=title)
            | Q(publication_date=publication_date, title=title, pk__gte=pk),
            publication_date__lte=publication_date,
        )

    def before_book(self, publication_date, title: str, pk: int) -> BookQuerySet:
        """Every book that comes before this newest-first position."""
        return self.filter(
            Q(publication_date__gt=publication_date)
            | Q(publication_date=publication_date, title__lt=title)
            | Q(publication_date=publication_date, title=title, pk__lt=pk),
            publication_date__gte=publication_date,
        )

    def newest_page(self, *, start: int | None, size: int) -> BookPage:
        """The page of these books, newest first, that begins with the book `start` (None: the first page).

        Keyset paging: each page is an index range read from its first book, so a page deep in a
        million books costs what the first one does; nothing is counted and nothing is skipped with
        OFFSET. Raises Book.DoesNotExist when `start` is not one of these books.
        """
        if start is None:
            books = list(self.for_listing().newest_first()[: size + 1])
            before: list[int] = []
        else:
            position = self.filter(pk=start).values_list("publication_date", "title", "pk").get()
            books = list(self.from_book(*position).for_listing().newest_first()[: size + 1])
            before = list(self.before_book(*position).oldest_first().values_list("pk", flat=True)[: size + 1])
        return BookPage(
            books=books[:size],
            start=start,
            next_start=books[size].pk if len(books) > size else None,
            # With more than a page of books before this one, the page before starts `size` books
            # back; with fewer, it is the first page.
            previous_start=before[size - 1] if len(before) > size else None,
            has_previous=bool(before),
        )

    # The prefetches order by the book's id, not by the models' default orderings: those start
    # with "book", which sorts by the Book's own ordering and so joins every row to its book.
    def with_contributors(self) -> BookQuerySet:
        """Books with their publisher and ordered contributors, in a fixed number of queries."""
        return self.select_related("publisher").prefetch_related(
            Prefetch(
                "contributions",
                queryset=Contribution.objects.select_related("author").order_by("book_id", "position"),
            )
        )

    def for_listing(self) -> BookQuerySet:
        """Everything a list of books (catalog, author page) shows."""
        return self.with_contributors().prefetch_related(
            Prefetch("formats", queryset=Format.objects.order_by("book_id", "binding", "isbn"))
        )

    def publication_years(self) -> list[int]:
        """The years in which books of the whole catalogue were published, latest first.

        On PostgreSQL a recursive query steps from year to year down the index on the
        publication date, one index probe per year, instead of reading every book.
        """
        if connections[self.db].vendor != "postgresql":
            return [day.year for day in self.model.objects.using(self.db).dates("publication_date", "year", order="DESC")]
        table = connections[self.db].ops.quote_name(self.model._meta.db_table)
        with connections[self.db].cursor() as cursor:
            cursor.execute(_PUBLICATION_YEARS_POSTGRES.format(table=table))
            return [year for (year,) in cursor.fetchall()]

    def by_author(self, author: Author) -> BookQuerySet:
        # A semi-join rather than a join with DISTINCT: no duplicates to remove (an author may hold
        # two roles on one book), so the newest-first index can feed a LIMIT directly.
        return self.filter(pk__in=Contribution.objects.filter(author=author).values("book"))

    def search(self, query: str) -> BookQuerySet:
        """Books matching a reader's query, best first: `catalog.search.search_books` as a QuerySet."""
        from catalog.search import search_books

        return search_books(query, queryset=self).books


def english_ordinal(number: int) -> str:
    """“1st”, “2nd”, “3rd”, “11th”, “22nd”: as django.contrib.humanize's `ordinal` writes English."""
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


@lru_cache(maxsize=512)  # a catalogue has few languages; Babel's names change only with a deploy
def language_name(tag: str) -> str:
    """The language's English name (“English”, “French (Canada)”), or the tag if Babel does not know it."""
    try:
        return Locale.parse(tag.replace("-", "_")).get_display_name("en")
    except (ValueError, TypeError, UnknownLocaleError):
        return tag


class Book(Versioned):
    title = models.CharField("title", max_length=300, help_text="The main title, without the subtitle.")
    subtitle = models.CharField("subtitle", max_length=300, blank=True, help_text="Shown under the title.")
    slug = models.SlugField(
        "slug", max_length=200, unique=True, help_text=escape("The product page's address: /books/<slug>/.")
    )
    edition = models.PositiveSmallIntegerField(
        "edition", default=1, validators=[MinValueValidator(1)], help_text="Edition number; 1 is shown as “1st Edition”."
    )
    edition_statement = models.CharField(
        "edition statement",
        max_length=200,
        blank=True,
        help_text="Only if more than the number, e.g. “Revised and expanded”.",
    )
    """ONIX: <EditionStatement> (the number is <EditionNumber>)."""
    publisher = models.ForeignKey(
        Publisher,
        on_delete=models.PROTECT,
        related_name="books",
        verbose_name="publisher",
        help_text="The imprint that publishes this edition.",
    )
    series = models.ForeignKey(
        Series,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="books",
        verbose_name="series",
        help_text="The series this book is part of, if any.",
    )
    """ONIX: <Collection> (CollectionType 10) in <DescriptiveDetail>."""
    series_number = models.PositiveIntegerField(
        "number in series",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="e.g. 3; empty if the series is not numbered.",
    )
    """ONIX: the collection's <PartNumber> (TitleElementLevel 02), or <CollectionSequence>."""
    doi = DOIField(
        "DOI",
        blank=True,
        help_text="e.g. “10.4324/9780203878590”, or its doi.org link.",
    )
    """ONIX: <WorkIdentifier> with <WorkIDType> 06 (DOI); a product's own DOI is <ProductIdentifier> type 06."""
    publication_date = models.DateField(
        "publication date", help_text="First publication of this edition; formats may have their own."
    )
    page_count = models.PositiveIntegerField(
        "pages", validators=[MinValueValidator(1)], help_text="Number of pages of the print edition."
    )
    illustrations_note = models.CharField(
        "illustrations",
        max_length=200,
        blank=True,
        help_text="As it should read on the page, e.g. “14 B/W Illustrations”. Leave empty if none.",
    )
    description = RichTextField(
        "description",
        blank=True,
        help_text="The “Book Description”. Paragraphs, emphasis, lists and links are kept; anything "
        "else is removed.",
    )
    subjects = models.ManyToManyField(
        Subject, blank=True, related_name="books", verbose_name="subjects", help_text="For browsing."
    )
    language = models.CharField(
        "language",
        max_length=35,
        default="en",
        help_text="The book's language as a BCP 47 tag: “en”, “de”, “fr-CA”. Search engines are told it.",
    )
    cover = models.ImageField(
        "cover image",
        upload_to="covers/",
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[validate_cover_size],
        help_text="JPEG, PNG or WebP, best 640 pixels wide or more, at most 10 MB. Without one, a "
        "typographic cover with the title and author is shown.",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Folded text (lowercase, no accents) and its vector, kept current by catalog.search.
    search_document = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField("created", auto_now_add=True)
    updated_at = models.DateTimeField("last changed", auto_now=True)

    objects = BookQuerySet.as_manager()

    class Meta:
        ordering = ["-publication_date", "title"]
        indexes = [
            # Newest first (BookQuerySet.newest_first): the catalog and the pages of an author or a
            # subject read this in order and stop after a page; so do the admin's book list and
            # its latest year.
            models.Index(fields=["-publication_date", "title", "id"], name="book_newest_first"),
            # A publisher's books in the same order.
            models.Index(fields=["publisher", "-publication_date", "title", "id"], name="book_publisher_newest"),
            # The sitemap's last change for the books' section.
            models.Index(fields=["updated_at"], name="book_updated_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(page_count__gt=0),
                name="book_page_count_positive",
                violation_error_message="A book has at least one page.",
            ),
            models.CheckConstraint(
                condition=Q(edition__gte=1),
                name="book_edition_positive",
                violation_error_message="The first edition is number 1.",
            ),
            models.CheckConstraint(
                condition=Q(series_number__isnull=True) | Q(series__isnull=False),
                name="book_series_number_needs_series",
                violation_error_message="A number in a series needs the series.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    def get_absolute_url(self) -> str:
        return slug_url("storefront:book_detail", self.slug)

    @property
    def edition_label(self) -> str:
        return f"{english_ordinal(self.edition)} Edition"

    @property
    def language_name(self) -> str:
        """The language's English name (“English”, “French (Canada)”), or its tag if Babel does not know it."""
        return language_name(self.language)

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def full_title(self) -> str:
        return str(self)

    @property
    def contributor_names(self) -> str:
        """Everyone credited, in position order, on one line: “Tomás Ibarra, Hélène Marchand”."""
        return ", ".join(contribution.author.name for contribution in self.contributions.all())

    @property
    def primary_format(self) -> Format | None:
        """The first format in binding order (hardback, paperback, ebook): the page's ISBN."""
        formats = list(self.formats.all())
        return formats[0] if formats else None

    def toc_lines(self) -> list[TocLine]:
        """The table of contents in order, as plain rows: one query, no model instances.

        No query when the lines were read with the book (`keep_toc_lines`; catalog.book_page does).
        """
        kept = self.__dict__.get("_kept_toc_lines")
        return list(kept) if kept is not None else [TocLine(*row) for row in _TOC_LINES.rows(self.pk)]

    def keep_toc_lines(self, lines: list[TocLine]) -> None:
        """Make `toc_lines()` these lines, read with the book, without a query."""
        self._kept_toc_lines = tuple(lines)


class SearchWord(models.Model):
    """A word of some book's search document, folded: the vocabulary typo correction picks from.

    Kept by catalog.search, which adds the words of every document it indexes; a full reindex
    (`manage.py search_reindex`) removes words no book has any more.
    """

    word = models.CharField("word", max_length=64, unique=True)

    class Meta:
        ordering = ["word"]
        verbose_name = "search word"
        indexes = [
            # Prefix searches (LIKE 'pi%') under any collation: the unique index serves them only
            # under the C collation. Other databases ignore the operator class.
            models.Index(fields=["word"], name="search_word_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.word


class Contribution(models.Model):
    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        EDITOR = "editor", "Editor"
        TRANSLATOR = "translator", "Translator"
        ILLUSTRATOR = "illustrator", "Illustrator"
        FOREWORD = "foreword", "Foreword by"

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="contributions", verbose_name="book")
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="contributions", verbose_name="contributor"
    )
    role = models.CharField(
        "role", max_length=20, choices=Role.choices, default=Role.AUTHOR, help_text="What they did."
    )
    position = models.PositiveSmallIntegerField(
        "position", default=1, help_text="Order on the page: 1 is listed first."
    )

    class Meta:
        ordering = ["book", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["book", "position"],
                name="contribution_unique_position",
                violation_error_message="Two contributors of a book cannot share a position.",
            ),
            models.UniqueConstraint(
                fields=["book", "author", "role"],
                name="contribution_unique_role",
                violation_error_message="This person is already listed in this role.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} ({self.get_role_display()}) – {self.book}"


class Format(Versioned):
    class Binding(models.TextChoices):
        # ONIX 3.0 product form codes, which also sort print before digital.
        HARDBACK = "BB", "Hardback"
        PAPERBACK = "BC", "Paperback"
        EBOOK = "EA", "eBook"

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="formats", verbose_name="book")
    binding = models.CharField("binding", max_length=2, choices=Binding.choices, default=Binding.HARDBACK)
    isbn = ISBNField(
        "ISBN",
        unique=True,
        help_text="ISBN-13 or ISBN-10, with or without hyphens; stored as ISBN-13.",
    )
    publication_date = models.DateField(
        "publication date",
        null=True,
        blank=True,
        help_text="Only if this format came out on another date than the book.",
    )
    """ONIX: <PublishingDate> with <PublishingDateRole> 01 (publication date) of this product."""
    publishing_status = models.CharField(
        "publishing status",
        max_length=2,
        choices=PublishingStatus.choices,
        default=PublishingStatus.ACTIVE,
        help_text="Forthcoming formats are offered for pre-order with their publication date; formats "
        "neither active nor forthcoming (out of print, withdrawn …) stay listed but are not offered.",
    )
    """ONIX: <PublishingStatus> (code list 64) in <PublishingDetail>."""
    availability = models.CharField(
        "availability",
        max_length=2,
        choices=ProductAvailability.choices,
        default=ProductAvailability.AVAILABLE,
        help_text="Whether it can be supplied now. The “not available” ones (40–52), cancelled and postponed "
        "take it off sale whatever the publishing status.",
    )
    """ONIX: <ProductAvailability> (code list 65) in <SupplyDetail>."""
    rest_of_world_rights = models.CharField(
        "rest of the world",
        max_length=2,
        blank=True,
        choices=RestOfWorldRights.choices,
        help_text="Whether it may be sold where none of its sales rights below says. Empty: where a market "
        "sells if it has no “for sale” rights, nowhere else if it has any.",
    )
    """ONIX: <ROWSalesRightsType> (code list 46) in <PublishingDetail>."""

    class Meta:
        ordering = ["book", "binding", "isbn"]
        constraints = [
            # The normalized form: thirteen digits, never a hyphen or an ISBN-10.
            models.CheckConstraint(condition=Q(isbn__regex=r"^97[89][0-9]{10}$"), name="format_isbn_13_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.get_binding_display()} {self.isbn_display}"

    def get_absolute_url(self) -> str:
        return self.book.get_absolute_url()

    @property
    def isbn_display(self) -> str:
        return isbn_hyphenate(self.isbn)

    @property
    def effective_publication_date(self):
        return self.publication_date or self.book.publication_date

    @property
    def is_forthcoming(self) -> bool:
        """Not yet published but offered: the page says "Pre-order" and gives the publication date."""
        return self.publishing_status == PublishingStatus.FORTHCOMING and self.is_offered

    @property
    def is_offered(self) -> bool:
        """Whether its publishing status and availability let readers buy (or pre-order) it anywhere."""
        return status_offers(self.publishing_status, self.availability)

    def rights(self) -> list[Rights]:
        """Its sales rights as rule values (load them with prefetch_related("sales_rights") for many formats)."""
        return [row.as_rights() for row in self.sales_rights.all()]

    def for_sale_in(self, country: str) -> bool:
        """Whether its sales rights let it be sold to `country` (see catalog.rights)."""
        return for_sale_in(self.rights(), country, rest_of_world=self.rest_of_world_rights)


class TocEntry(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="toc_entries", verbose_name="book")
    position = models.PositiveIntegerField("position", help_text="Order in the table of contents.")
    level = models.PositiveSmallIntegerField(
        "level", default=1, help_text="1 for parts and chapters, 2 for sub-chapters, and so on."
    )
    label = models.CharField(
        "label", max_length=50, blank=True, help_text="As printed, e.g. “1.”, “Introduction:”, “Appendix 1.”."
    )
    title = models.CharField("title", max_length=500, help_text="The chapter's title.")

    class Meta:
        ordering = ["book", "position"]
        verbose_name = "table of contents entry"
        verbose_name_plural = "table of contents entries"
        constraints = [
            models.UniqueConstraint(
                fields=["book", "position"],
                name="toc_entry_unique_position",
                violation_error_message="Two table of contents entries cannot share a position.",
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1),
                name="toc_entry_level_positive",
                violation_error_message="The top level is 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.title}".strip()


class TocLine(NamedTuple):
    """A table of contents entry as a page shows it: a plain row, not a model instance (a book
    may have forty of them)."""

    level: int
    label: str
    title: str


# Compiled once (catalog.prepared): the product page reads it for the first reader after every change.
_TOC_LINES = PreparedQuery(
    TocEntry,
    lambda book_id: TocEntry.objects.filter(book_id=book_id).order_by("position").values_list("level", "label", "title"),
    int,
)


class SalesRights(models.Model):
    """Where one format may or may not be sold: one ONIX <SalesRights> with its <Territory>."""

    format = models.ForeignKey(Format, on_delete=models.CASCADE, related_name="sales_rights", verbose_name="format")
    rights_type = models.CharField(
        "rights",
        max_length=2,
        choices=SalesRightsType.choices,
        default=SalesRightsType.EXCLUSIVE,
        help_text="For sale (with exclusive or non-exclusive rights) or not for sale in the territory.",
    )
    """ONIX: <SalesRightsType> (code list 46)."""
    countries_included = CountryField(
        "countries", multiple=True, blank=True, help_text="The countries of the territory."
    )
    """ONIX: <Territory><CountriesIncluded>."""
    regions_included = models.CharField(
        "regions",
        max_length=50,
        blank=True,
        help_text="“WORLD” for the whole world, “ECZ” for the Eurozone, separated by spaces.",
    )
    """ONIX: <Territory><RegionsIncluded> (code list 49, WORLD and ECZ)."""
    countries_excluded = CountryField(
        "except countries",
        multiple=True,
        blank=True,
        help_text="Countries taken out of the regions, e.g. WORLD except Australia.",
    )
    """ONIX: <Territory><CountriesExcluded>."""
    regions_excluded = models.CharField(
        "except regions",
        max_length=50,
        blank=True,
        help_text="Regions taken out of the regions, e.g. WORLD except ECZ.",
    )
    """ONIX: <Territory><RegionsExcluded>."""

    class Meta:
        ordering = ["format", "pk"]
        verbose_name = "sales rights"
        verbose_name_plural = "sales rights"

    def __str__(self) -> str:
        return f"{self.get_rights_type_display()}: {self.territory_display}"

    @property
    def territory_display(self) -> str:
        """“World except Australia”, “United Kingdom, Ireland”, “Eurozone”."""
        included = [REGIONS.get(code, code) for code in region_codes(self.regions_included)]
        included += [country.name for country in self.countries_included]
        excluded = [REGIONS.get(code, code) for code in region_codes(self.regions_excluded)]
        excluded += [country.name for country in self.countries_excluded]
        text = ", ".join(included) or "nowhere"
        return f"{text} except {', '.join(excluded)}" if excluded else text

    def clean(self) -> None:
        errors = {}
        for name in ("regions_included", "regions_excluded"):
            value = " ".join(getattr(self, name).upper().split())
            setattr(self, name, value)
            if unknown := unknown_regions(value):
                errors[name] = ValidationError(
                    "Unknown region %(codes)s: use WORLD or ECZ (Eurozone), or name the countries.",
                    code="region",
                    params={"codes": ", ".join(unknown)},
                )
        if not self.countries_included and not self.regions_included and "regions_included" not in errors:
            errors["countries_included"] = ValidationError(
                "Name the countries or regions these rights cover.", code="empty_territory"
            )
        if (self.countries_excluded or self.regions_excluded) and not self.regions_included:
            errors["countries_excluded"] = ValidationError(
                "Exceptions apply to regions: include WORLD or ECZ to take countries out of.", code="exclusion"
            )
        if errors:
            raise ValidationError(errors)

    def as_rights(self) -> Rights:
        return Rights(
            for_sale=is_for_sale_type(self.rights_type),
            territory=Territory(
                countries_included=frozenset(country.code for country in self.countries_included),
                regions_included=frozenset(region_codes(self.regions_included)),
                countries_excluded=frozenset(country.code for country in self.countries_excluded),
                regions_excluded=frozenset(region_codes(self.regions_excluded)),
            ),
        )


class ReviewQuote(models.Model):
    """Praise quoted on the product page: ONIX <TextContent> of type 06 (review quote) or 09 (endorsement)."""

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="review_quotes", verbose_name="book")
    kind = models.CharField(
        "kind",
        max_length=2,
        choices=TextType.choices,
        default=TextType.REVIEW_QUOTE,
        help_text="A quote from a published review, or an endorsement given for the book.",
    )
    """ONIX: <TextType> (code list 153), 06 or 09."""
    text = RichTextField(
        "quote", help_text="The words quoted, without quotation marks: emphasis and a title in italics are kept."
    )
    """ONIX: <Text> (HTML, textformat 02), sanitized like the description."""
    author = models.CharField(
        "by", max_length=200, blank=True, help_text="Who said it, e.g. “Sheila Fitzpatrick, University of Sydney”."
    )
    """ONIX: <TextAuthor>."""
    source = models.CharField(
        "source", max_length=200, blank=True, help_text="Where it appeared, e.g. “The Times Literary Supplement”."
    )
    """ONIX: <SourceTitle>."""
    position = models.PositiveSmallIntegerField("position", default=1, help_text="Order on the page: 1 is shown first.")
    """ONIX: the order of the <TextContent> composites."""

    class Meta:
        ordering = ["book", "position", "pk"]
        verbose_name = "review quote or endorsement"
        verbose_name_plural = "review quotes and endorsements"

    def __str__(self) -> str:
        attribution = ", ".join(part for part in (self.author, self.source) if part)
        words = plain_text(self.text)[:60]
        return f"“{words}” – {attribution}" if attribution else f"“{words}”"

    @property
    def attribution(self) -> str:
        return ", ".join(part for part in (self.author, self.source) if part)


class RelatedTitle(models.Model):
    """Another book this one relates to: ONIX <RelatedMaterial><RelatedProduct> with a relation code.

    Other formats of the same work are not related titles: they are the book's own formats.
    """

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="related_titles", verbose_name="book")
    related_book = models.ForeignKey(
        Book,
        on_delete=models.CASCADE,
        related_name="related_to",
        verbose_name="related book",
        help_text="The other book, found by its title.",
    )
    """ONIX: the <ProductIdentifier> of the <RelatedProduct> (any of the related book's ISBNs)."""
    relation = models.CharField(
        "relation",
        max_length=2,
        choices=ProductRelation.choices,
        default=ProductRelation.SIMILAR,
        help_text="How the other book relates to this one: “Replaced by” a new edition, a “Similar product” …",
    )
    """ONIX: <ProductRelationCode> (code list 51)."""
    position = models.PositiveSmallIntegerField("position", default=1, help_text="Order on the page: 1 is shown first.")

    class Meta:
        ordering = ["book", "position", "pk"]
        verbose_name = "related title"
        constraints = [
            models.UniqueConstraint(
                fields=["book", "related_book", "relation"],
                name="related_title_unique",
                violation_error_message="This book is already related in this way.",
            ),
            models.CheckConstraint(
                condition=~Q(book=models.F("related_book")),
                name="related_title_not_itself",
                violation_error_message="A book cannot be related to itself.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relation_display()}: {self.related_book}"
