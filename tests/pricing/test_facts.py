"""Markets, country terms and rates are loaded once per change, not per quote; every change is seen."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache

from catalog.models import Book, Format
from catalog.signals import catalogue_changed
from pricing.models import ExchangeRate, Market, MarketCountry, Price
from pricing.quotes import FACTS_VERSION_KEY, quote, quotes_for
from pricing.rules import Source

pytestmark = pytest.mark.django_db

SEED_ISBN = "9780415546416"
ON = date(2026, 11, 26)


@pytest.fixture
def hardback(demo_catalog) -> Format:
    fmt = Format.objects.get(isbn=SEED_ISBN)
    # Derived in the Eurozone, so the quote needs the markets, France's terms and the rate.
    Price.objects.filter(format=fmt, market__name="Eurozone").delete()
    return fmt


def test_a_second_quote_reads_only_the_prices(hardback, django_assert_num_queries):
    # The markets with France's terms, the rate, the prices, the format's sales rights (kept on it).
    with django_assert_num_queries(4):
        first = quote(hardback, "FR", on=ON)
    with django_assert_num_queries(1):  # the prices
        second = quote(hardback, "FR", on=ON)
    assert first == second and first.source is Source.DERIVED
    with django_assert_num_queries(3):  # another country has facts of its own
        quote(hardback, "DE", on=ON)


def test_each_kind_of_change_is_seen_by_the_next_quote(hardback):
    before = quote(hardback, "FR", on=ON)

    eurozone = Market.objects.get(name="Eurozone")
    eurozone.rounding = "up_whole"
    eurozone.save()
    rounded = quote(hardback, "FR", on=ON)
    assert before.amount == Decimal("61.95") and rounded.amount == Decimal("62.00")  # 61.10 rounded up

    france = MarketCountry.objects.get(country="FR")
    france.print_tax_rate = Decimal("20")
    france.save()
    assert quote(hardback, "FR", on=ON).tax.rate == Decimal("20")

    rate = ExchangeRate.objects.create(base_currency="USD", quote_currency="EUR", rate=Decimal("2"), valid_from=ON)
    doubled = quote(hardback, "FR", on=ON)
    assert "2" in doubled.explanation and doubled.amount > 2 * rounded.amount
    rate.delete()
    assert quote(hardback, "FR", on=ON).amount < doubled.amount

    MarketCountry.objects.filter(country="FR").delete()
    moved = quote(hardback, "FR", on=ON)
    assert moved.currency == "USD"  # France now falls to the rest of the world


def test_a_bulk_write_that_announces_itself_is_seen(hardback):
    assert quote(hardback, "FR", on=ON).tax.rate == Decimal("5.5")
    MarketCountry.objects.filter(country="FR").update(print_tax_rate=Decimal("10"))
    catalogue_changed.send(sender=Book)
    assert quote(hardback, "FR", on=ON).tax.rate == Decimal("10")


def test_a_change_made_by_another_process_is_seen(hardback, django_assert_num_queries):
    quote(hardback, "FR", on=ON)
    # Another web process saved a market: it moved the version in the shared cache.
    cache.set(FACTS_VERSION_KEY, cache.get(FACTS_VERSION_KEY) + 1, timeout=None)
    with django_assert_num_queries(3):
        quote(hardback, "FR", on=ON)


def test_facts_read_before_a_commit_are_forgotten_at_the_commit(hardback, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        france = MarketCountry.objects.get(country="FR")
        france.print_tax_rate = Decimal("20")
        france.save()
        quote(hardback, "FR", on=ON)
        version_in_transaction = cache.get(FACTS_VERSION_KEY)
    assert cache.get(FACTS_VERSION_KEY) != version_in_transaction


def test_each_day_has_its_own_facts(hardback):
    """A rate dated tomorrow is used from tomorrow, though today's facts are in memory."""
    today = quote(hardback, "FR", on=ON)
    # Written without signals, so only the day in the key can make tomorrow's quote read it.
    ExchangeRate.objects.bulk_create(
        [ExchangeRate(base_currency="USD", quote_currency="EUR", rate=Decimal("2"), valid_from=ON + timedelta(1))]
    )
    assert quote(hardback, "FR", on=ON) == today
    assert quote(hardback, "FR", on=ON + timedelta(1)).amount > 2 * today.amount


def test_quotes_are_right_when_the_cache_is_down(hardback, settings, django_assert_num_queries):
    expected = quotes_for([hardback], "FR", on=ON)
    settings.CACHES = {"default": {"BACKEND": "tests.storefront.test_page_cache.UnreachableCache"}}
    for _ in range(2):
        with django_assert_num_queries(3):  # nothing kept: every quote reads the facts
            assert quotes_for([hardback], "FR", on=ON) == expected
