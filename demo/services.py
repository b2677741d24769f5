"""Loading the demo catalog: idempotent, validated, in one transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import reversion
from django.db import models, transaction

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
from catalog.search import book_search_index_affected
from demo import data
from orders.cart import price_lines
from orders.models import Order, Payment
from orders.services import PAYMENT_VARIANT, order_mark_paid, order_mark_shipped, order_place
from pricing.models import ExchangeRate, Market, MarketCountry, Price


@dataclass
class DemoReport:
    """How many rows of each model were created, changed or removed."""

    created: Counter[str] = field(default_factory=Counter)
    changed: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def untouched(self) -> bool:
        return not (self.created or self.changed or self.removed)


def _upsert(report: DemoReport, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]):
    """Create or update one row, validating it first; save only when something differs.

    Saving only real changes is what makes a second load leave every row, `updated_at`
    included, exactly as the first one left it.
    """
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**lookup)
    differs = created or any(getattr(instance, name) != value for name, value in values.items())
    if differs:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        (report.created if created else report.changed)[model.__name__] += 1
    return instance


def _remove_others(report: DemoReport, queryset: models.QuerySet, keep_pks: list[int]) -> None:
    stale = queryset.exclude(pk__in=keep_pks)
    count = stale.count()
    if count:
        stale.delete()
        report.removed[queryset.model.__name__] += count


@transaction.atomic
@reversion.create_revision()
def demo_catalog_load() -> DemoReport:
    """Bring the demo books, authors and publishers to the state `demo.data` describes.

    Rows are matched by slug (and ISBN for formats), so running it again neither duplicates nor
    loses anything; books an editor added by hand are left alone.
    """
    report = DemoReport()
    # Each row saved here becomes a first version in its admin history, so later edits show diffs.
    reversion.set_comment("Loaded from the demo catalog")
    publishers = {
        row["slug"]: _upsert(report, Publisher, {"slug": row["slug"]}, {"name": row["name"]})
        for row in data.PUBLISHERS
    }
    subjects = {
        row["slug"]: _upsert(
            report,
            Subject,
            {"slug": row["slug"]},
            {"name": row["name"], "bisac_code": row["bisac_code"], "thema_code": row["thema_code"]},
        )
        for row in data.SUBJECTS
    }
    series = {
        row["slug"]: _upsert(report, Series, {"slug": row["slug"]}, {"title": row["title"], "issn": row["issn"]})
        for row in data.SERIES
    }
    authors = {
        row["slug"]: _upsert(
            report,
            Author,
            {"slug": row["slug"]},
            {"name": row["name"], "sort_name": row["sort_name"], "biography": row["biography"]},
        )
        for row in data.AUTHORS
    }
    books = []
    for row in data.BOOKS:
        book = _upsert(
            report,
            Book,
            {"slug": row["slug"]},
            {
                "title": row["title"],
                "subtitle": row["subtitle"],
                "edition": row["edition"],
                "publisher": publishers[row["publisher"]],
                "publication_date": row["publication_date"],
                "page_count": row["page_count"],
                "illustrations_note": row["illustrations_note"],
                "description": row["description"],
                "edition_statement": row.get("edition_statement", ""),
                "series": series[row["series"][0]] if "series" in row else None,
                "series_number": row["series"][1] if "series" in row else None,
                "doi": row.get("doi", ""),
            },
        )
        wanted_subjects = {subjects[slug] for slug in row["subjects"]}
        if set(book.subjects.all()) != wanted_subjects:
            book.subjects.set(wanted_subjects)
            report.changed["Book.subjects"] += 1
        _load_contributions(report, book, row["contributors"], authors)
        _load_formats(report, book, row["formats"])
        _load_toc(report, book, row["toc"])
        _load_review_quotes(report, book, row.get("review_quotes", []))
        books.append(book)
    by_slug = {book.slug: book for book in books}
    for row in data.BOOKS:
        _load_related(report, by_slug[row["slug"]], row.get("related", []), by_slug)
    _load_pricing(report)
    # Also books an editor added by a demo author or publisher: a name put back changes them too.
    book_search_index_affected(changed=[*books, *authors.values(), *publishers.values()])
    return report


def _load_contributions(report: DemoReport, book: Book, contributors, authors: dict[str, Author]) -> None:
    # Clear positions first so reordering never trips the one-position-per-book constraint.
    wanted = [(authors[slug], role) for slug, role in contributors]
    current = [(c.author, c.role) for c in book.contributions.order_by("position")]
    if current == wanted:
        return
    _remove_others(report, book.contributions.all(), [])
    for position, (author, role) in enumerate(wanted, start=1):
        _upsert(report, Contribution, {"book": book, "position": position}, {"author": author, "role": role})


def _load_formats(report: DemoReport, book: Book, formats) -> None:
    kept = []
    for row in formats:
        fmt = _upsert(
            report,
            Format,
            {"isbn": row["isbn"]},
            {
                "book": book,
                "binding": row["binding"],
                "publication_date": row["publication_date"],
                "publishing_status": row.get("publishing_status", "04"),
                "availability": row.get("availability", "20"),
            },
        )
        _load_sales_rights(report, fmt, row.get("sales_rights", []))
        kept.append(fmt.pk)
    _remove_others(report, book.formats.all(), kept)


def _load_sales_rights(report: DemoReport, fmt: Format, rights) -> None:
    def territory(row: dict) -> tuple:
        return (row["rights_type"], sorted(row.get("countries_included", [])), row.get("regions_included", ""),
                sorted(row.get("countries_excluded", [])), row.get("regions_excluded", ""))

    current = [
        (r.rights_type, sorted(c.code for c in r.countries_included), r.regions_included,
         sorted(c.code for c in r.countries_excluded), r.regions_excluded)
        for r in fmt.sales_rights.all()
    ]
    if current == [territory(row) for row in rights]:
        return
    _remove_others(report, fmt.sales_rights.all(), [])
    for row in rights:
        _create(report, SalesRights(format=fmt, **row))


def _create(report: DemoReport, instance) -> None:
    instance.full_clean()
    instance.save()
    report.created[type(instance).__name__] += 1


def _load_review_quotes(report: DemoReport, book: Book, quotes) -> None:
    wanted = [(kind, text, author, source) for kind, text, author, source in quotes]
    if [(q.kind, q.text, q.author, q.source) for q in book.review_quotes.all()] == wanted:
        return
    _remove_others(report, book.review_quotes.all(), [])
    for position, (kind, text, author, source) in enumerate(wanted, start=1):
        _create(report, ReviewQuote(book=book, kind=kind, text=text, author=author, source=source, position=position))


def _load_related(report: DemoReport, book: Book, related, books: dict[str, Book]) -> None:
    wanted = [(books[slug].pk, relation) for slug, relation in related]
    if [(r.related_book_id, r.relation) for r in book.related_titles.all()] == wanted:
        return
    _remove_others(report, book.related_titles.all(), [])
    for position, (slug, relation) in enumerate(related, start=1):
        _create(report, RelatedTitle(book=book, related_book=books[slug], relation=relation, position=position))


def _load_toc(report: DemoReport, book: Book, toc) -> None:
    kept = []
    for position, (label, title, *rest) in enumerate(toc, start=1):
        level = rest[0] if rest else 1
        entry = _upsert(
            report, TocEntry, {"book": book, "position": position}, {"label": label, "title": title, "level": level}
        )
        kept.append(entry.pk)
    _remove_others(report, book.toc_entries.all(), kept)


@transaction.atomic
def demo_markets_load() -> DemoReport:
    """Bring the demo's markets, their countries and the exchange rates to `demo.data`, no books.

    What `generate_catalog` prices synthetic books in when the database has no base market yet.
    Like `demo_catalog_load`, it is idempotent; it makes no history versions, as nothing an editor
    wrote is being replaced.
    """
    report = DemoReport()
    _load_markets(report)
    return report


def _load_pricing(report: DemoReport) -> None:
    markets = _load_markets(report)
    formats = {fmt.isbn: fmt for fmt in Format.objects.filter(isbn__in={isbn for isbn, _, _ in data.PRICES})}
    for isbn, market_name, amount in data.PRICES:
        _upsert(report, Price, {"format": formats[isbn], "market": markets[market_name]}, {"amount": amount})


def _load_markets(report: DemoReport) -> dict[str, Market]:
    markets = {}
    for row in data.MARKETS:
        values = {
            "currency": row["currency"],
            "is_rest_of_world": row.get("is_rest_of_world", False),
            "is_base": row.get("is_base", False),
            "prices_include_tax": row["prices_include_tax"],
            "tax_name": row["tax_name"],
            "rounding": row["rounding"],
            "shipping_cost": row["shipping_cost"],
            "free_shipping_above": row["free_shipping_above"],
        }
        markets[row["name"]] = _upsert(report, Market, {"name": row["name"]}, values)
    for market_name, territory in data.MARKET_COUNTRIES.items():
        market = markets[market_name]
        kept = [
            # Matched by country alone: a demo country an editor moved to another market moves back.
            _upsert(
                report,
                MarketCountry,
                {"country": code},
                {
                    "market": market,
                    "print_tax_rate": Decimal(print_rate),
                    "ebook_tax_rate": Decimal(ebook_rate),
                    "shipping_cost": data.SHIPPING_OVERRIDES.get(code),
                    "free_shipping_above": None,
                },
            ).pk
            for code, print_rate, ebook_rate in territory
        ]
        _remove_others(report, market.market_countries.all(), kept)
    for base_currency, quote_currency, rate, valid_from in data.EXCHANGE_RATES:
        _upsert(
            report,
            ExchangeRate,
            {"base_currency": base_currency, "quote_currency": quote_currency, "valid_from": valid_from},
            {"rate": rate},
        )
    return markets


@transaction.atomic
def demo_orders_load() -> DemoReport:
    """Place the example orders of `demo.data.EXAMPLE_ORDERS` that are not there yet.

    An order is history, not catalogue: one already placed (found by its number) is left as it
    is, whatever an order manager did with it since. No email is sent.
    """
    report = DemoReport()
    for number, isbns, country, (name, line1, city, postcode), status in data.EXAMPLE_ORDERS:
        if Order.objects.filter(number=number).exists():
            continue
        formats = Format.objects.filter(isbn__in=isbns)
        priced = price_lines({fmt.isbn: 1 for fmt in formats}, country)
        address = {
            "email": f"{name.split()[0].lower()}@example.com",
            "shipping_name": name,
            "shipping_line1": line1,
            "shipping_line2": "",
            "shipping_city": city,
            "shipping_postcode": postcode,
            "shipping_country": country,
        }
        order = order_place(priced=priced, checkout_key=f"demo-{number}", address=address, number=number)
        report.created["Order"] += 1
        if status in {"paid", "shipped"}:
            payment = Payment.objects.create(
                order=order, variant=PAYMENT_VARIANT, status="confirmed", currency=order.currency, total=order.total,
                captured_amount=order.total, description=f"Order {number}",
            )
            order_mark_paid(payment=payment, notify=False)
        if status == "shipped":
            order_mark_shipped(order=order, tracking_reference="RM123456785GB", by=None, notify=False)
    return report
