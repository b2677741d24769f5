"""Moving territories into MarketCountry rows loses nothing, and can be undone (also on PostgreSQL).

Each test migrates the test database back to before the change, writes data in the old shape
(markets listing countries, country rules), migrates forward and compares. The database is
migrated to the latest state again afterwards, whatever happened.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_countries import countries

from catalog.models import Format
from pricing.quotes import quotes_for
from pricing.rules import BasePrice, ConversionRate, CountryTerms, MarketTerms, Rounding, quote_from
from tests.factories import FormatFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("pricing", "0002_editor_messages")
AFTER = ("pricing", "0006_version")  # the latest, which the models (and quotes_for) expect
TERMS = ("print_tax_rate", "ebook_tax_rate", "shipping_cost", "free_shipping_above")
ON = date(2026, 11, 26)


@pytest.fixture
def migrate():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()

    def migrate_to(target):
        executor.loader.build_graph()  # what is applied now
        executor.migrate([target])
        return executor.loader.project_state([target]).apps

    yield migrate_to
    executor.loader.build_graph()
    executor.migrate(latest)


def old_catalog(apps, formats: list[Format]) -> None:
    """Markets and rules as editors kept them before: every case the old schema could express."""
    Market = apps.get_model("pricing", "Market")
    CountryRule = apps.get_model("pricing", "CountryRule")
    Price = apps.get_model("pricing", "Price")
    ExchangeRate = apps.get_model("pricing", "ExchangeRate")

    def market(name, currency, countries=(), **values):
        return Market.objects.create(name=name, currency=currency, countries=list(countries), **values)

    usa = market("United States", "USD", ["US"], is_base=True, shipping_cost=Decimal("5.99"),
                 free_shipping_above=Decimal("75"))
    uk = market("United Kingdom", "GBP", ["GB"], prices_include_tax=True, rounding="up_99",
                shipping_cost=Decimal("3.99"))
    market("Eurozone", "EUR", ["DE", "FR", "IE", "CY"], prices_include_tax=True, shipping_cost=Decimal("4.95"),
           free_shipping_above=Decimal("60"))
    market("Japan", "JPY", ["JP"], prices_include_tax=True, rounding="up_100", shipping_cost=Decimal("800"))
    market("Rest of the world", "USD", is_rest_of_world=True, tax_name="tax", shipping_cost=Decimal("14.95"))
    rules = [
        ("DE", "7", "7", None, None),
        ("FR", "5.5", "5.5", None, None),
        ("IE", "0", "9", None, None),
        ("CY", "5", "5", "9.95", "100"),
        ("JP", "10", "10", None, "10000"),
        # No market names these: the rest of the world sells to them, on these terms.
        ("NO", "25", "25", "19.95", None),
        ("CH", "2.6", "2.6", None, None),
    ]  # US and GB have no rule: no tax, the market's shipping.
    for code, print_rate, ebook_rate, shipping, free_above in rules:
        CountryRule.objects.create(
            country=code, print_tax_rate=Decimal(print_rate), ebook_tax_rate=Decimal(ebook_rate),
            shipping_cost=Decimal(shipping) if shipping else None,
            free_shipping_above=Decimal(free_above) if free_above else None,
        )
    for fmt, amount in zip(formats, ["62.95", "19.95"], strict=True):
        Price.objects.create(format_id=fmt.pk, market=usa, amount=Decimal(amount))
    Price.objects.create(format_id=formats[0].pk, market=uk, amount=Decimal("48.99"))
    for currency, rate in [("GBP", "0.79"), ("EUR", "0.92"), ("JPY", "152.5")]:
        ExchangeRate.objects.create(base_currency="USD", quote_currency=currency, rate=Decimal(rate),
                                    valid_from=date(2026, 11, 1))


def quotes_before(apps, formats: list[Format]) -> dict[str, dict]:
    """Every country's quotes as they were worked out before the change, from the old tables.

    The country's market was the first by name listing it, else the rest of the world; its terms
    came from its country rule, if any. Prices and rates, which the change does not touch, are
    applied by the same pure rules as now.
    """
    Market = apps.get_model("pricing", "Market")
    CountryRule = apps.get_model("pricing", "CountryRule")
    Price = apps.get_model("pricing", "Price")
    ExchangeRate = apps.get_model("pricing", "ExchangeRate")
    markets = list(Market.objects.order_by("name"))
    base = next(market for market in markets if market.is_base)
    rules = {rule.country.code: CountryTerms(**{name: getattr(rule, name) for name in TERMS})
             for rule in CountryRule.objects.all()}
    amounts = {(price.format_id, price.market_id): price.amount for price in Price.objects.all()}
    in_force = ExchangeRate.objects.filter(valid_from__lte=ON).order_by("valid_from")
    rates = {rate.quote_currency: rate for rate in in_force}
    before = {}
    for code, _name in countries:
        market = next(
            (m for m in markets if not m.is_rest_of_world and code in {c.code for c in m.countries}),
            next((m for m in markets if m.is_rest_of_world), None),
        )
        rate = rates.get(market.currency) if market and market.currency != base.currency else None
        before[code] = {
            fmt.pk: quote_from(
                country=code,
                on=ON,
                is_ebook=fmt.binding == Format.Binding.EBOOK,
                market=MarketTerms(
                    name=market.name, currency=market.currency, prices_include_tax=market.prices_include_tax,
                    tax_name=market.tax_name, rounding=Rounding(market.rounding), shipping_cost=market.shipping_cost,
                    free_shipping_above=market.free_shipping_above,
                ) if market else None,
                country_terms=rules.get(code, CountryTerms()),
                set_amount=amounts.get((fmt.pk, market.pk)) if market else None,
                base_price=BasePrice(amounts[(fmt.pk, base.pk)], base.currency),
                exchange_rate=ConversionRate(rate.base_currency, rate.quote_currency, rate.rate, rate.valid_from)
                if rate else None,
            )
            for fmt in formats
        }
    return before


def old_territories(apps) -> tuple[dict, dict]:
    Market = apps.get_model("pricing", "Market")
    CountryRule = apps.get_model("pricing", "CountryRule")
    listed = {market.name: sorted(c.code for c in market.countries) for market in Market.objects.all()}
    rules = {rule.country.code: tuple(getattr(rule, name) for name in TERMS) for rule in CountryRule.objects.all()}
    return listed, rules


def test_every_country_is_quoted_the_same_after_the_migration(migrate):
    formats = [FormatFactory(), FormatFactory(binding=Format.Binding.EBOOK)]
    old_apps = migrate(BEFORE)
    old_catalog(old_apps, formats)
    before = quotes_before(old_apps, formats)
    assert before["NO"][formats[0].pk].shipping_display == "Shipping USD $19.95"  # the data reaches every case
    assert before["GB"][formats[0].pk].display == "GBP £48.99"

    new_apps = migrate(AFTER)

    MarketCountry = new_apps.get_model("pricing", "MarketCountry")
    placed = dict(MarketCountry.objects.values_list("country", "market__name"))
    assert placed["NO"] == placed["CH"] == "Rest of the world"
    assert placed["DE"] == "Eurozone" and placed["US"] == "United States"
    for code, _name in countries:
        assert quotes_for(formats, code, on=ON) == before[code], code


def test_undoing_the_migration_restores_the_country_lists_and_rules(migrate):
    formats = [FormatFactory(), FormatFactory(binding=Format.Binding.EBOOK)]
    old_apps = migrate(BEFORE)
    old_catalog(old_apps, formats)
    listed, rules = old_territories(old_apps)

    migrate(AFTER)
    restored_apps = migrate(BEFORE)

    assert old_territories(restored_apps) == (listed, rules)
    assert quotes_before(restored_apps, formats) == quotes_before(old_apps, formats)


def test_a_country_two_markets_listed_stays_in_the_one_that_sold_it(migrate, capsys):
    formats = [FormatFactory(), FormatFactory(binding=Format.Binding.EBOOK)]
    old_apps = migrate(BEFORE)
    old_catalog(old_apps, formats)
    # The race the unique constraint closes: two saves each passed clean() and both list DE.
    old_market = old_apps.get_model("pricing", "Market")
    old_market.objects.create(name="German-speaking", currency="EUR", countries=["AT", "DE"])
    before = quotes_before(old_apps, formats)

    new_apps = migrate(AFTER)

    MarketCountry = new_apps.get_model("pricing", "MarketCountry")
    assert MarketCountry.objects.get(country="DE").market.name == "Eurozone"
    assert MarketCountry.objects.get(country="AT").market.name == "German-speaking"
    notice = "DE was in both Eurozone and German-speaking; it stays in Eurozone, which sold it."
    assert notice in capsys.readouterr().out
    for code in ["DE", "AT", "FR", "US"]:
        assert quotes_for(formats, code, on=ON) == before[code], code


def test_rules_for_countries_nobody_sells_to_stop_the_migration_rather_than_vanish(migrate):
    old_apps = migrate(BEFORE)
    old_catalog(old_apps, [FormatFactory(), FormatFactory(binding=Format.Binding.EBOOK)])
    old_apps.get_model("pricing", "Market").objects.filter(is_rest_of_world=True).delete()

    with pytest.raises(RuntimeError, match="Country rules for CH, NO name countries no market sells to"):
        migrate(AFTER)

    CountryRule = old_apps.get_model("pricing", "CountryRule")
    assert set(CountryRule.objects.values_list("country", flat=True)) >= {"CH", "NO"}  # nothing lost
    CountryRule.objects.filter(country__in=["CH", "NO"]).delete()  # what the message asks for
    migrate(AFTER)
