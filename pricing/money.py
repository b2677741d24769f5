"""Money as Decimal: each currency's minor units (from Babel) and the publisher's display style.

Amounts are never floats. Rounding modes are named wherever an amount is quantized.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal, get_currency_precision, get_currency_symbol, is_currency


def currency_is_known(code: str) -> bool:
    return bool(code) and code == code.upper() and is_currency(code)


def minor_units(currency: str) -> int:
    """Decimal places of the currency: JPY 0, USD 2, KWD 3."""
    return get_currency_precision(currency)


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of the currency: Decimal('0.01') for USD, Decimal('1') for JPY."""
    return Decimal(1).scaleb(-minor_units(currency))


def quantize_half_up(amount: Decimal, currency: str) -> Decimal:
    """To the currency's minor units, halves away from zero: used for tax arithmetic."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def quantize_up(amount: Decimal, currency: str) -> Decimal:
    """To the currency's minor units, towards +infinity: a converted price never falls below the exact value."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_CEILING)


def has_more_decimals_than(amount: Decimal, currency: str) -> bool:
    """True when `amount` needs more decimal places than the currency has (48.999 in GBP)."""
    return amount != amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def display_symbol(currency: str) -> str:
    """The currency's English symbol without its letters: CA$ -> $, KWD -> ''."""
    symbol = get_currency_symbol(currency, locale="en")
    return "".join(character for character in symbol if not character.isalpha())


def format_price(amount: Decimal, currency: str) -> str:
    """Publisher style: `USD $62.95`, `JPY ¥9,800`, `KWD 19.950`."""
    places = minor_units(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    number = format_decimal(quantize_half_up(amount, currency), format=pattern, locale="en")
    symbol = display_symbol(currency)
    return f"{currency} {symbol}{number}"
