"""The product page's book: loaded in at most three queries compiled once, with every relation it shows in place."""

from __future__ import annotations

import datetime
import pickle
from decimal import Decimal

import pytest
from django.db.models import OuterRef

from catalog.book_page import book_for_page
from catalog.models import Book, RelatedTitle, ReviewQuote, SalesRights, Series, Subject, TocEntry
from catalog.prepared import FoldedRows, PreparedQuery
from pricing.models import Market, Price
from tests.factories import BookFactory, book_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_book() -> Book:
    """Contributors, formats (one with two sales rights, one with none), subjects, quotes, related titles, a series."""
    book = book_with(contributors=3, formats=3, toc_entries=4)
    book.series = Series.objects.create(title="A Series", slug="a-series")
    book.series_number = 2
    book.save()
    zoology = Subject.objects.create(name="Zoology", slug="zoology")
    book.subjects.add(zoology, Subject.objects.create(name="Art", slug="art"))
    first, second, _third = book.formats.order_by("binding", "isbn")
    SalesRights.objects.create(format=first, rights_type="01", regions_included="WORLD", countries_excluded=["CA"])
    SalesRights.objects.create(format=first, rights_type="03", countries_included=["FR"])
    SalesRights.objects.create(format=second, rights_type="01", regions_included="WORLD")
    ReviewQuote.objects.create(book=book, text="Second.", source="Review B", position=2)
    ReviewQuote.objects.create(book=book, text="First.", source="Review A", position=1)
    for position in (2, 1):
        RelatedTitle.objects.create(book=book, related_book=BookFactory(), relation="23", position=position)
    return book


def test_every_relation_the_page_shows_is_loaded_as_the_database_has_it(full_book, django_assert_num_queries):
    # The book with its contributors, formats, subjects and contents; its review quotes; its related titles.
    with django_assert_num_queries(3):
        loaded = book_for_page(full_book.slug)
    fresh = Book.objects.select_related("publisher").get(pk=full_book.pk)
    with django_assert_num_queries(0):
        book = (loaded.pk, loaded.title, loaded.publisher.name, loaded.series.title)
        contributions = [(c.pk, c.author.name, c.role, c.book is loaded) for c in loaded.contributions.all()]
        formats = [
            (f.pk, f.isbn, f.effective_publication_date, [r.pk for r in f.sales_rights.all()])
            for f in loaded.formats.all()
        ]
        subjects = [s.name for s in loaded.subjects.all()]
        quotes = [q.text for q in loaded.review_quotes.all()]
        related = [(r.related_book.pk, r.related_book.get_absolute_url()) for r in loaded.related_titles.all()]
        toc = loaded.toc_lines()
    assert book == (fresh.pk, fresh.title, fresh.publisher.name, "A Series")
    assert contributions == [(c.pk, c.author.name, c.role, True) for c in fresh.contributions.order_by("position")]
    assert formats == [
        (f.pk, f.isbn, fresh.publication_date, list(f.sales_rights.order_by("pk").values_list("pk", flat=True)))
        for f in fresh.formats.order_by("binding", "isbn")
    ]
    assert [len(rights) for *_rest, rights in formats] == [2, 1, 0]
    assert subjects == ["Art", "Zoology"]
    assert quotes == ["First.", "Second."]
    expected_related = fresh.related_titles.order_by("position")
    assert related == [(r.related_book.pk, r.related_book.get_absolute_url()) for r in expected_related]
    assert toc == fresh.toc_lines() and len(toc) == 4


RELATIONS = [
    # (owner, relation name): the book's relations and a format's sales rights.
    ("book", "contributions"),
    ("book", "formats"),
    ("book", "subjects"),
    ("book", "review_quotes"),
    ("book", "related_titles"),
    ("format", "sales_rights"),
]


@pytest.mark.parametrize(("owner", "name"), RELATIONS)
def test_a_loaded_relation_asked_for_more_is_the_relations_own_query(full_book, owner, name):
    # Another book with the same subjects, contributors and rights, so a filter that lost the
    # relation's own condition would answer with its rows too.
    twin = book_with(contributors=2, formats=2)
    twin.subjects.set(full_book.subjects.all())
    SalesRights.objects.create(format=twin.formats.first(), rights_type="01", regions_included="WORLD")
    loaded = book_for_page(full_book.slug)
    instance = loaded if owner == "book" else loaded.formats.all()[0]
    fresh = Book.objects.get(pk=full_book.pk) if owner == "book" else instance.__class__.objects.get(pk=instance.pk)

    kept, django = getattr(instance, name).all(), getattr(fresh, name).all()
    assert str(kept.filter(pk__gt=0).query) == str(django.filter(pk__gt=0).query)
    assert sorted(kept.order_by("pk").values_list("pk", flat=True)) == sorted(django.values_list("pk", flat=True))
    assert kept.db == django.db
    # Still the objects loaded with the book, without asking again.
    assert list(getattr(instance, name).all()) == list(kept)


def test_a_loaded_relation_pickles_with_its_objects(full_book, django_assert_num_queries):
    loaded = book_for_page(full_book.slug)
    with django_assert_num_queries(0):
        copy = pickle.loads(pickle.dumps(loaded.formats.all()[0]))
        rights = [rights.pk for rights in copy.sales_rights.all()]
    assert rights == sorted(SalesRights.objects.filter(format=copy).values_list("pk", flat=True))
    assert list(copy.sales_rights.filter(pk__gt=0).order_by("pk")) == list(SalesRights.objects.filter(format=copy))


def _values(objects) -> list[dict]:
    """Every column of each object, with its value's type: what `from_db()` was given."""
    columns = ((obj, field.attname) for obj in objects for field in obj._meta.concrete_fields)
    values = [(obj, name, getattr(obj, name)) for obj, name in columns]
    rows: dict[int, dict] = {}
    for obj, name, value in values:
        rows.setdefault(id(obj), {})[name] = (value, type(value))
    return list(rows.values())


def test_each_folded_relation_holds_what_the_orm_reads(full_book):
    """Every column of the contributors, their authors, formats, sales rights and subjects, with its type."""
    first = full_book.formats.order_by("binding", "isbn")[0]
    first.publication_date = datetime.date(2031, 2, 3)  # a date of its own (the book's otherwise)
    first.save()
    full_book.subjects.add(Subject.objects.create(name="Émile and others", slug="emile"))
    full_book.subjects.add(Subject.objects.create(name="art history", slug="art-history"))
    loaded = book_for_page(full_book.slug)
    fresh = Book.objects.get(pk=full_book.pk)

    contributions = list(fresh.contributions.order_by("position", "pk").select_related("author"))
    assert _values(loaded.contributions.all()) == _values(contributions)
    authors = [contribution.author for contribution in loaded.contributions.all()]
    assert _values(authors) == _values(contribution.author for contribution in contributions)
    assert all(author.updated_at.tzinfo is not None for author in authors)
    formats = list(fresh.formats.order_by("binding", "isbn"))
    assert _values(loaded.formats.all()) == _values(formats)
    for kept, fmt in zip(loaded.formats.all(), formats, strict=True):
        assert _values(kept.sales_rights.all()) == _values(fmt.sales_rights.order_by("pk"))
    # In the database's own order of names, whatever its collation.
    assert _values(loaded.subjects.all()) == _values(fresh.subjects.order_by("name", "pk"))


def test_a_folded_relation_reads_back_decimals_and_refuses_what_it_cannot(full_book):
    market = Market.objects.create(name="Base", currency="USD", is_base=True)
    for fmt, amount in zip(full_book.formats.all(), ("12.50", "0.99", "1000.00"), strict=True):
        Price.objects.create(format=fmt, market=market, amount=Decimal(amount))
    prices = FoldedRows(Price.objects.filter(format__book=OuterRef("pk")).order_by("-amount"), ["amount", "format_id"])
    (text,) = Book.objects.filter(pk=full_book.pk).annotate(prices=prices).values_list("prices", flat=True)
    expected = list(Price.objects.filter(format__book=full_book).order_by("-amount").values_list("amount", "format_id"))
    assert prices.rows(text, "default") == expected
    assert [type(amount) for amount, _format in prices.rows(text, "default")] == [Decimal] * 3
    with pytest.raises(ValueError, match="ordered"):
        FoldedRows(Price.objects.filter(format__book=OuterRef("pk")), ["amount"])


def test_values_come_back_as_django_converts_them(full_book):
    loaded = book_for_page(full_book.slug)
    assert isinstance(loaded.publication_date, datetime.date)
    rights = loaded.formats.all()[0].sales_rights.all()
    assert rights[0].countries_excluded == SalesRights.objects.get(pk=rights[0].pk).countries_excluded
    assert loaded.series_number == 2 and isinstance(loaded.page_count, int)


def test_a_book_without_series_or_relations(django_assert_num_queries):
    """Review quotes and related titles it has none of are not asked for: one query."""
    book = BookFactory()
    with django_assert_num_queries(1):
        loaded = book_for_page(book.slug)
    with django_assert_num_queries(0):
        assert loaded.series is None
        assert list(loaded.formats.all()) == [] and list(loaded.contributions.all()) == []
        assert [*loaded.subjects.all(), *loaded.review_quotes.all(), *loaded.related_titles.all()] == []
        assert loaded.toc_lines() == []


@pytest.mark.parametrize("relation", ["subjects", "review_quotes", "related_titles"])
def test_a_book_with_one_optional_relation_asks_for_that_one(relation, django_assert_num_queries):
    book = BookFactory()
    if relation == "subjects":
        book.subjects.add(Subject.objects.create(name="Art", slug="art"))
    elif relation == "review_quotes":
        ReviewQuote.objects.create(book=book, text="Fine.", source="Review", position=1)
    else:
        RelatedTitle.objects.create(book=book, related_book=BookFactory(), relation="23", position=1)
    with django_assert_num_queries(1 if relation == "subjects" else 2):
        loaded = book_for_page(book.slug)
    with django_assert_num_queries(0):
        assert len(getattr(loaded, relation).all()) == 1
        others = {"subjects", "review_quotes", "related_titles"} - {relation}
        assert all(list(getattr(loaded, other).all()) == [] for other in others)


def test_an_unknown_slug_is_no_book():
    with pytest.raises(Book.DoesNotExist):
        book_for_page("no-such-book")


def test_the_table_of_contents_is_one_query_in_order(django_assert_num_queries):
    book = book_with(toc_entries=3)
    TocEntry.objects.filter(book=book, position=1).update(position=9)
    with django_assert_num_queries(1):
        lines = book.toc_lines()
    assert [line.title for line in lines] == list(
        TocEntry.objects.filter(book=book).order_by("position").values_list("title", flat=True)
    )


def test_a_prepared_query_runs_with_new_values_each_time():
    first, second = BookFactory(page_count=10), BookFactory(page_count=20)
    pages = PreparedQuery(Book, lambda slug: Book.objects.filter(slug=slug).values_list("page_count"), str)
    assert pages.rows(first.slug) == [(10,)]
    assert pages.rows(second.slug) == [(20,)]
    assert pages.rows("no-such-book") == []


def test_a_value_the_query_changes_is_refused():
    """`icontains` wraps the value in wildcards: the stand-in is not in the SQL as it is."""
    query = PreparedQuery(Book, lambda title: Book.objects.filter(title__icontains=title).values_list("pk"), str)
    with pytest.raises(ValueError, match="do not reach its SQL unchanged"):
        query.rows("anything")


def test_decimal_columns_are_decimals():
    book = book_with(formats=1)
    market = Market.objects.create(name="Base", currency="USD", is_base=True)
    Price.objects.create(format=book.formats.get(), market=market, amount=Decimal("12.50"))
    amounts = PreparedQuery(Price, lambda pk: Price.objects.filter(market_id=pk).values_list("amount"), int)
    assert amounts.rows(market.pk) == [(Decimal("12.50"),)]
