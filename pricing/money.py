"""Money as Decimal: each currency's minor units (from Babel) and the publisher's display style.

Amounts are never floats. Rounding modes are named wherever an amount is quantized.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import cache

from babel import Locale
from babel.numbers import get_currency_precision, get_currency_symbol, is_currency

# Prices are written the publisher's way, in English, whatever the reader's country.
_ENGLISH = Locale.parse("en")


def currency_is_known(code: str) -> bool:
    return bool(code) and code == code.upper() and is_currency(code)


def minor_units(currency: str) -> int:
    """Decimal places of the currency: JPY 0, USD 2, KWD 3."""
    return get_currency_precision(currency)


@cache  # one entry per currency code: a bounded set
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
    symbol = get_currency_symbol(currency, locale=_ENGLISH)
    return "".join(character for character in symbol if not character.isalpha())


@cache  # one entry per currency code: a bounded set
def _price_style(currency: str) -> tuple[str, str]:
    """The currency's prefix (`USD $`) and number format (grouped thousands, its minor units)."""
    return f"{currency} {display_symbol(currency)}", f",.{minor_units(currency)}f"


def format_price(amount: Decimal, currency: str) -> str:
    """Publisher style: `USD $62.95`, `JPY ¥9,800`, `KWD 19.950` (halves rounded away from zero).

    The number is written as Babel's `format_decimal()` writes it in English with the pattern
    `#,##0.00` (as many decimals as the currency has), which is Python's own `,.2f` once the
    amount has those decimals exactly; tests/pricing/test_money.py checks every currency.
    """
    prefix, number_format = _price_style(currency)
    return prefix + format(quantize_half_up(amount, currency), number_format)
