"""Money: minor units from Babel and the publisher's display style."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from babel.numbers import format_decimal, list_currencies
from hypothesis import given
from hypothesis import strategies as st

from pricing.money import display_symbol, format_price, has_more_decimals_than, minor_unit, minor_units


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("62.95", "USD", "USD $62.95"),
        ("48.99", "GBP", "GBP £48.99"),
        ("55.95", "EUR", "EUR €55.95"),
        ("84.95", "CAD", "CAD $84.95"),
        ("99.95", "AUD", "AUD $99.95"),
        ("9800", "JPY", "JPY ¥9,800"),
        ("19.95", "KWD", "KWD 19.950"),
        ("1234.5", "USD", "USD $1,234.50"),
        ("1234567", "JPY", "JPY ¥1,234,567"),
        ("0", "USD", "USD $0.00"),
        ("12", "CHF", "CHF 12.00"),
    ],
)
def test_publisher_style(amount, currency, shown):
    assert format_price(Decimal(amount), currency) == shown


@given(
    amount=st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), allow_nan=False, allow_infinity=False),
    currency=st.sampled_from(sorted(list_currencies())),
)
def test_a_price_reads_as_babel_writes_it(amount, currency):
    """The same text as Babel's format_decimal() with the currency's pattern, halves rounded away from zero."""
    places = minor_units(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    exact = amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)
    written = format_decimal(exact, format=pattern, locale="en")
    assert format_price(amount, currency) == f"{currency} {display_symbol(currency)}{written}"


@pytest.mark.parametrize(("currency", "places"), [("JPY", 0), ("USD", 2), ("EUR", 2), ("KWD", 3)])
def test_minor_units_come_from_babel(currency, places):
    assert minor_units(currency) == places
    assert minor_unit(currency) == Decimal(1).scaleb(-places)


def test_symbols_lose_their_letters():
    assert display_symbol("CAD") == "$"
    assert display_symbol("AUD") == "$"
    assert display_symbol("KWD") == ""


@pytest.mark.parametrize(
    ("amount", "currency", "too_precise"),
    [("48.99", "GBP", False), ("48.999", "GBP", True), ("9800", "JPY", False), ("9800.5", "JPY", True),
     ("19.950", "KWD", False), ("19.9505", "KWD", True), ("48.990", "GBP", False)],
)
def test_more_decimals_than_the_currency_has(amount, currency, too_precise):
    assert has_more_decimals_than(Decimal(amount), currency) is too_precise
