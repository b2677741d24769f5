"""Pricing rules without a database: rounding, set and derived prices, tax and shipping."""

from dataclasses import FrozenInstanceError, replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.money import minor_unit
from pricing.rules import (
    BasePrice,
    ConversionRate,
    CountryTerms,
    MarketTerms,
    Rounding,
    Source,
    quote_from,
    round_price,
    rounding_step,
)

TODAY = date(2026, 11, 26)
US = MarketTerms("United States", "USD", False, "sales tax", Rounding.UP_TO_95, Decimal("5.99"), Decimal("75"))
EUROZONE = MarketTerms("Eurozone", "EUR", True, "VAT", Rounding.UP_TO_95, Decimal("4.95"), Decimal("60"))
JAPAN = MarketTerms("Japan", "JPY", True, "consumption tax", Rounding.UP_TO_100, Decimal("800"), Decimal("10000"))
USD_EUR = ConversionRate("USD", "EUR", Decimal("0.92"), date(2026, 11, 1))
USD_JPY = ConversionRate("USD", "JPY", Decimal("152.5"), date(2026, 11, 1))
GERMANY = CountryTerms(print_tax_rate=Decimal("7"), ebook_tax_rate=Decimal("19"))


def quote(**overrides):
    arguments = {
        "country": "US",
        "on": TODAY,
        "is_ebook": False,
        "market": US,
        "country_terms": CountryTerms(),
        "set_amount": None,
        "base_price": BasePrice(Decimal("62.95"), "USD"),
        "exchange_rate": None,
    }
    arguments.update(overrides)
    return quote_from(**arguments)


@pytest.mark.parametrize(
    ("amount", "rule", "currency", "rounded"),
    [
        ("62.95", Rounding.UP_TO_95, "USD", "62.95"),
        ("62.96", Rounding.UP_TO_95, "USD", "63.95"),
        ("62.10", Rounding.UP_TO_95, "USD", "62.95"),
        ("0.20", Rounding.UP_TO_95, "USD", "0.95"),
        ("48.99", Rounding.UP_TO_99, "GBP", "48.99"),
        ("49.00", Rounding.UP_TO_99, "GBP", "49.99"),
        ("9601", Rounding.UP_TO_100, "JPY", "9700"),
        ("9600", Rounding.UP_TO_100, "JPY", "9600"),
        ("9600.4", Rounding.UP_TO_100, "JPY", "9700"),
        ("12.01", Rounding.UP_TO_WHOLE, "USD", "13.00"),
        ("12.001", Rounding.MINOR_UNIT, "USD", "12.01"),
        ("19.9501", Rounding.MINOR_UNIT, "KWD", "19.951"),
    ],
)
def test_rounding_rules_round_up(amount, rule, currency, rounded):
    result = round_price(Decimal(amount), rule, currency)
    assert result == Decimal(rounded)
    assert str(result) == rounded


def test_a_set_price_is_used_as_set():
    result = quote(set_amount=Decimal("62.950"))
    assert result.sold and result.source is Source.SET
    assert result.amount == Decimal("62.95") and str(result.amount) == "62.95"
    assert result.display == "USD $62.95"
    assert result.explanation == "Set price in United States."


def test_a_derived_price_converts_adds_included_tax_and_rounds():
    result = quote(country="DE", market=EUROZONE, country_terms=GERMANY, exchange_rate=USD_EUR)
    # 62.95 × 0.92 × 1.07 = 61.96714, rounded up to the next .95: 62.95.
    assert result.source is Source.DERIVED
    assert result.amount == Decimal("62.95")
    assert result.tax.included and result.tax.rate == Decimal("7")
    assert result.tax.amount == Decimal("4.12")  # 62.95 - 62.95 / 1.07
    assert "0.92" in result.explanation and "2026-11-01" in result.explanation and ".95" in result.explanation


def test_japan_rounds_to_the_next_hundred_yen():
    result = quote(country="JP", market=JAPAN, country_terms=CountryTerms(Decimal("10"), Decimal("10")),
                   exchange_rate=USD_JPY)
    assert result.amount == Decimal("10600")  # 62.95 × 152.5 × 1.1 = 10,560.09
    assert result.display == "JPY ¥10,600"
    assert result.shipping.free  # above ¥10,000


def test_ebooks_carry_their_own_tax_rate_and_never_ship():
    result = quote(country="DE", market=EUROZONE, country_terms=GERMANY, exchange_rate=USD_EUR, is_ebook=True,
                   set_amount=Decimal("40.00"))
    assert result.tax.rate == Decimal("19")
    assert result.tax.amount == Decimal("6.39")
    assert not result.shipping.applies
    assert result.shipping_display == ""


def test_tax_is_added_where_prices_exclude_it():
    result = quote(country_terms=CountryTerms(print_tax_rate=Decimal("5")), set_amount=Decimal("100.00"))
    assert not result.tax.included
    assert result.tax.amount == Decimal("5.00")
    assert result.tax_display == "plus sales tax"


def test_tax_wording_names_only_a_tax_that_is_charged():
    zero_rated = quote(country="GB", market=replace(EUROZONE, name="United Kingdom", currency="GBP"),
                       set_amount=Decimal("48.99"))
    assert zero_rated.tax.included and zero_rated.tax.rate == 0
    assert zero_rated.tax_display == ""
    assert quote(set_amount=Decimal("62.95")).tax_display == ""  # a sales tax of 0 % is not added either
    germany = quote(country="DE", market=EUROZONE, country_terms=GERMANY, set_amount=Decimal("40.00"))
    assert germany.tax_display == "incl. VAT"


def test_shipping_costs_the_market_rate_below_the_threshold_and_nothing_above():
    assert quote(set_amount=Decimal("62.95")).shipping_display == "Shipping USD $5.99"
    assert quote(set_amount=Decimal("75.00")).shipping_display == "Free shipping"


def test_a_country_may_override_shipping():
    result = quote(set_amount=Decimal("10"), country_terms=CountryTerms(shipping_cost=Decimal("9.95")))
    assert result.shipping.cost == Decimal("9.95")


def test_without_a_market_the_format_is_not_sold():
    result = quote(market=None)
    assert not result.sold and result.source is Source.NOT_SOLD and result.amount is None


def test_without_a_rate_a_derived_price_is_not_available():
    result = quote(market=EUROZONE, exchange_rate=None)
    assert not result.sold and result.source is Source.NO_PRICE
    assert "Eurozone" in result.explanation


def test_quotes_are_immutable():
    result = quote()
    with pytest.raises(FrozenInstanceError):
        result.amount = Decimal("1")


# Property tests -----------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2, allow_nan=False)
rates = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("500"), places=4, allow_nan=False)
tax_rates = st.decimals(min_value=Decimal("0"), max_value=Decimal("30"), places=2, allow_nan=False)
markets = st.sampled_from(
    [
        replace(EUROZONE, rounding=rule) for rule in Rounding if rule not in {Rounding.UP_TO_100}
    ]
    + [JAPAN, replace(JAPAN, rounding=Rounding.UP_TO_WHOLE),
       MarketTerms("Kuwait", "KWD", False, "VAT", Rounding.MINOR_UNIT, Decimal("2.5"), None),
       replace(US, rounding=Rounding.UP_TO_99)]
)


def derived(base, rate, tax_rate, market, is_ebook=False):
    return quote(
        market=market,
        base_price=BasePrice(base, "USD"),
        exchange_rate=ConversionRate("USD", market.currency, rate, date(2026, 1, 1)),
        country_terms=CountryTerms(print_tax_rate=tax_rate, ebook_tax_rate=tax_rate),
        is_ebook=is_ebook,
    )


@given(base=amounts, rate=rates, tax_rate=tax_rates, market=markets, is_ebook=st.booleans())
def test_property_never_negative_and_on_minor_units(base, rate, tax_rate, market, is_ebook):
    result = derived(base, rate, tax_rate, market, is_ebook)
    unit = minor_unit(market.currency)
    for value in (result.amount, result.tax.amount, result.shipping.cost):
        assert value >= 0
        assert value == value.quantize(unit)
        assert value.as_tuple().exponent == unit.as_tuple().exponent


@given(base=amounts, rate=rates, tax_rate=tax_rates, market=markets)
def test_property_derived_within_one_step_above_the_exact_conversion(base, rate, tax_rate, market):
    result = derived(base, rate, tax_rate, market)
    exact = base * rate * ((1 + tax_rate / 100) if market.prices_include_tax else 1)
    step = rounding_step(market.rounding, market.currency)
    assert exact <= result.amount < exact + step


@given(base=amounts, rate=rates, tax_rate=tax_rates, market=markets)
def test_property_same_inputs_same_quote(base, rate, tax_rate, market):
    assert derived(base, rate, tax_rate, market) == derived(base, rate, tax_rate, market)
