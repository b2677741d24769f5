"""quote(): the facts from the database, the rules from pricing.rules (also on PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django_countries import countries

from catalog.models import Format
from pricing.models import ExchangeRate, Market, MarketCountry, Price, market_for_country
from pricing.quotes import quote, quotes_for
from pricing.rules import Source

pytestmark = pytest.mark.django_db

SEED_ISBN = "9780415546416"


def seed_hardback() -> Format:
    return Format.objects.get(isbn=SEED_ISBN)


def test_the_seed_hardback_is_usd_62_95_in_the_united_states(demo_catalog):
    result = quote(seed_hardback(), "US")
    assert result.display == "USD $62.95"
    assert result.source is Source.SET
    assert result.amount == Decimal("62.95")


def test_derived_prices_use_the_rate_valid_on_the_day(demo_catalog):
    hardback = seed_hardback()
    Price.objects.filter(format=hardback, market__name="Eurozone").delete()
    november = quote(hardback, "FR", on=date(2026, 11, 26))
    october = quote(hardback, "FR", on=date(2026, 10, 15))
    assert november.source is october.source is Source.DERIVED
    assert "0.92" in november.explanation and "2026-11-01" in november.explanation
    assert "0.93" in october.explanation and "2026-10-01" in october.explanation
    # 62.95 × 0.92 × 1.055 = 61.10 -> 61.95; 62.95 × 0.93 × 1.055 = 61.76 -> 61.95
    assert november.amount == october.amount == Decimal("61.95")
    # A rate that moves the price across a .95 step shows the date really decides.
    october_rate = ExchangeRate.objects.get(quote_currency="EUR", valid_from=date(2026, 10, 1))
    october_rate.rate = Decimal("0.95")
    october_rate.save()
    assert quote(hardback, "FR", on=date(2026, 10, 15)).amount == Decimal("63.95")  # 63.09 -> 63.95
    assert quote(hardback, "FR", on=date(2026, 11, 26)).amount == Decimal("61.95")
    before_any_rate = quote(hardback, "FR", on=date(2026, 1, 1))
    assert not before_any_rate.sold and before_any_rate.source is Source.NO_PRICE


def test_a_country_no_market_names_without_a_rest_of_world_is_not_sold(demo_catalog):
    Market.objects.filter(is_rest_of_world=True).delete()
    result = quote(seed_hardback(), "BR")
    assert not result.sold and result.source is Source.NOT_SOLD


def test_every_country_resolves_to_one_market_and_every_demo_format_is_priced(demo_catalog):
    formats = list(Format.objects.all())
    placed = dict(MarketCountry.objects.values_list("country", "market__name"))
    for code, name in countries:
        market = market_for_country(code)
        assert market is not None, f"{name} resolves to no market"
        assert market.name == placed.get(code, "Rest of the world"), name
    for code in ["US", "GB", "DE", "FR", "IE", "CA", "AU", "JP", "BR", "KW"]:
        for fmt, result in zip(formats, quotes_for(formats, code).values(), strict=True):
            assert result.sold and result.amount > 0, f"{fmt} is not priced for {code}: {result.explanation}"


def test_each_country_pays_its_own_tax_and_shipping_inside_its_market(demo_catalog):
    hardback = seed_hardback()
    Price.objects.filter(format=hardback, market__name="Eurozone").delete()
    france, cyprus, germany = (quote(hardback, code, on=date(2026, 11, 26)) for code in ["FR", "CY", "DE"])
    assert france.tax.rate == Decimal("5.5") and germany.tax.rate == Decimal("7")
    assert france.shipping == germany.shipping  # free above EUR 60
    assert cyprus.tax.rate == Decimal("5")
    brazil = quote(hardback, "BR")
    assert brazil.market == "Rest of the world" and brazil.tax.rate == 0 and brazil.shipping.cost == Decimal("14.95")


def test_a_country_placed_in_the_rest_of_the_world_keeps_its_own_terms(demo_catalog):
    rest_of_world = Market.objects.get(is_rest_of_world=True)
    MarketCountry.objects.create(
        market=rest_of_world, country="NO", print_tax_rate=Decimal("0"), shipping_cost=Decimal("9.95")
    )
    norway, brazil = quote(seed_hardback(), "NO"), quote(seed_hardback(), "BR")
    assert norway.market == brazil.market == "Rest of the world"
    assert norway.amount == brazil.amount == Decimal("62.95")
    assert norway.shipping_display == "Shipping USD $9.95"
    assert brazil.shipping_display == "Shipping USD $14.95"


EXTRA_MARKET_COUNTRIES = ["BS", "BB", "BZ", "BM", "BT", "BO", "BW", "BN", "BF", "BI", "KH", "CM", "CV", "KY"]


@pytest.mark.parametrize("country", ["DE", "US", "BR"])
def test_quotes_for_many_formats_take_four_queries_whatever_the_markets(
    demo_catalog, django_assert_max_num_queries, country
):
    # The markets the country depends on with its terms, the prices, the exchange rate, the
    # formats' sales rights.
    for code in EXTRA_MARKET_COUNTRIES:
        Market.objects.create(name=f"Market {code}", currency="USD").market_countries.create(country=code)
    formats = list(Format.objects.all())
    with django_assert_max_num_queries(4):
        quotes = quotes_for(formats, country)
    assert all(result.sold for result in quotes.values())


def test_the_base_market_price_is_the_base_of_derived_prices(demo_catalog):
    hardback = seed_hardback()
    Price.objects.filter(format=hardback, market__name="United States").update(amount=Decimal("100.00"))
    result = quote(hardback, "CA")
    assert result.amount == Decimal("138.95")  # 100 × 1.38 -> next .95
    ExchangeRate.objects.filter(quote_currency="CAD").delete()
    assert quote(hardback, "CA").source is Source.NO_PRICE


@pytest.mark.parametrize("extra_markets", [0, 14])
def test_every_market_is_quoted_in_five_queries_and_as_its_country_is(
    demo_catalog, django_assert_num_queries, extra_markets
):
    from pricing.quotes import quotes_in_every_market

    currencies = ["GBP", "EUR", "JPY", "CAD", "KWD"]
    for number, code in enumerate(EXTRA_MARKET_COUNTRIES[:extra_markets]):
        currency = currencies[number % len(currencies)]
        market = Market.objects.create(name=f"Market {code}", currency=currency, prices_include_tax=number % 2 == 0,
                                       rounding="minor_unit")
        market.market_countries.create(country=code, print_tax_rate=Decimal(number))
    ExchangeRate.objects.create(
        base_currency="USD", quote_currency="KWD", rate=Decimal("0.307"), valid_from=date(2026, 1, 1)
    )
    formats = list(Format.objects.all())
    # Markets, their countries, the prices, the exchange rates in force, the formats' sales rights.
    with django_assert_num_queries(5):
        every_market = quotes_in_every_market(formats)
    assert len(every_market) == Market.objects.count()
    for market_quotes in every_market:
        assert quotes_for(formats, market_quotes.country) == market_quotes.quotes, market_quotes.market.name


def test_a_format_not_for_sale_in_a_country_is_not_sold_there_though_a_market_covers_it(demo_catalog):
    from catalog.models import SalesRights

    hardback = seed_hardback()
    SalesRights.objects.create(format=hardback, rights_type="01", regions_included="WORLD", countries_excluded=["GB"])
    refused = quote(seed_hardback(), "GB")
    assert not refused.sold and refused.source is Source.NOT_SOLD
    assert refused.explanation == "Not for sale in GB under this format's sales rights."
    assert quote(seed_hardback(), "US").display == "USD $62.95"
    # The same outcome as a country no market serves.
    Market.objects.filter(is_rest_of_world=True).delete()
    unserved = quote(seed_hardback(), "BR")
    assert (unserved.sold, unserved.source) == (refused.sold, refused.source)


def test_an_out_of_print_format_is_not_sold_and_a_forthcoming_one_is(demo_catalog):
    Format.objects.filter(isbn=SEED_ISBN).update(publishing_status="07")
    out_of_print = quote(seed_hardback(), "US")
    assert not out_of_print.sold and out_of_print.source is Source.NOT_SOLD
    assert "Out of print" in out_of_print.explanation
    Format.objects.filter(isbn=SEED_ISBN).update(publishing_status="02", availability="10")
    forthcoming = seed_hardback()
    assert forthcoming.is_forthcoming
    assert quote(forthcoming, "US").display == "USD $62.95"
