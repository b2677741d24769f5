"""Pricing rules as pure functions on immutable values: no database, no request.

`quote_from()` decides what one format costs in one country on one day, given the market that
country belongs to, the prices set for the format, the exchange rate and the country's tax and
shipping terms. `pricing.quotes.quote()` loads those facts and calls it.

Rounding: every rule rounds *up* (towards +infinity, `ROUND_CEILING`), so a derived price is
never below the exact conversion and at most one rounding step above it. Tax included in a
price is computed with `ROUND_HALF_UP` to the currency's minor units.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from pricing.money import format_price, minor_unit, quantize_half_up, quantize_up


class Rounding(enum.StrEnum):
    MINOR_UNIT = "minor_unit"
    UP_TO_95 = "up_95"
    UP_TO_99 = "up_99"
    UP_TO_WHOLE = "up_whole"
    UP_TO_100 = "up_100"

    @property
    def label(self) -> str:
        return ROUNDING_LABELS[self]


ROUNDING_LABELS = {
    Rounding.MINOR_UNIT: "up to the currency's smallest unit",
    Rounding.UP_TO_95: "up to the next .95",
    Rounding.UP_TO_99: "up to the next .99",
    Rounding.UP_TO_WHOLE: "up to the next whole unit",
    Rounding.UP_TO_100: "up to the next 100",
}

# Endings need cents: a currency without minor units cannot end in .95.
ROUNDINGS_NEEDING_CENTS = {Rounding.UP_TO_95, Rounding.UP_TO_99}


def rounding_step(rule: Rounding, currency: str) -> Decimal:
    """The gap between two neighbouring prices the rule can produce."""
    if rule is Rounding.MINOR_UNIT:
        return minor_unit(currency)
    if rule is Rounding.UP_TO_100:
        return Decimal(100)
    return Decimal(1)


def round_price(amount: Decimal, rule: Rounding, currency: str) -> Decimal:
    """The smallest price the rule allows that is not below `amount`, in the currency's minor units."""
    if amount <= 0:
        return quantize_up(Decimal(0), currency)
    if rule is Rounding.MINOR_UNIT:
        return quantize_up(amount, currency)
    if rule is Rounding.UP_TO_100:
        return quantize_up((amount / 100).to_integral_value(rounding=ROUND_CEILING) * 100, currency)
    if rule is Rounding.UP_TO_WHOLE:
        return quantize_up(amount.to_integral_value(rounding=ROUND_CEILING), currency)
    ending = Decimal("0.95") if rule is Rounding.UP_TO_95 else Decimal("0.99")
    # The candidate ending in .95 (or .99) at or above amount: ceil(amount - ending) + ending.
    return quantize_up((amount - ending).to_integral_value(rounding=ROUND_CEILING) + ending, currency)


class Source(enum.StrEnum):
    SET = "set"
    DERIVED = "derived"
    NOT_SOLD = "not_sold"
    NO_PRICE = "no_price"


@dataclass(frozen=True)
class MarketTerms:
    """What a market says about every price in it."""

    name: str
    currency: str
    prices_include_tax: bool
    tax_name: str
    rounding: Rounding
    shipping_cost: Decimal
    free_shipping_above: Decimal | None


@dataclass(frozen=True)
class CountryTerms:
    """What differs by country inside a market: tax rates (percent) and shipping overrides."""

    print_tax_rate: Decimal = Decimal(0)
    ebook_tax_rate: Decimal = Decimal(0)
    shipping_cost: Decimal | None = None
    free_shipping_above: Decimal | None = None


@dataclass(frozen=True)
class ConversionRate:
    base_currency: str
    quote_currency: str
    rate: Decimal
    valid_from: date


@dataclass(frozen=True)
class BasePrice:
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class Tax:
    name: str
    rate: Decimal  # percent
    amount: Decimal
    included: bool


@dataclass(frozen=True)
class Shipping:
    applies: bool  # False for ebooks
    cost: Decimal
    free: bool


@dataclass(frozen=True)
class Quote:
    """What one format costs in one country on one day, and why."""

    country: str
    sold: bool
    source: Source
    explanation: str
    market: str = ""
    currency: str = ""
    amount: Decimal | None = None
    tax: Tax | None = None
    shipping: Shipping | None = None

    @property
    def display(self) -> str:
        return format_price(self.amount, self.currency) if self.amount is not None else ""

    @property
    def shipping_display(self) -> str:
        if self.shipping is None or not self.shipping.applies:
            return ""
        return "Free shipping" if self.shipping.free else f"Shipping {format_price(self.shipping.cost, self.currency)}"

    @property
    def tax_display(self) -> str:
        """"incl. VAT" or "plus GST" where the rate charges a tax; nothing at a 0 % rate (UK books are
        zero-rated), so a page never names a tax that isn't charged."""
        if self.tax is None or not self.tax.rate:
            return ""
        return f"incl. {self.tax.name}" if self.tax.included else f"plus {self.tax.name}"


def quote_from(
    *,
    country: str,
    on: date,
    is_ebook: bool,
    market: MarketTerms | None,
    country_terms: CountryTerms,
    set_amount: Decimal | None,
    base_price: BasePrice | None,
    exchange_rate: ConversionRate | None,
) -> Quote:
    """Price one format for one country. Pure: the same inputs always give the same quote."""
    if market is None:
        return Quote(country=country, sold=False, source=Source.NOT_SOLD, explanation="No market includes this country.")
    currency = market.currency
    tax_rate = country_terms.ebook_tax_rate if is_ebook else country_terms.print_tax_rate
    tax_factor = 1 + tax_rate / 100

    if set_amount is not None:
        amount = quantize_half_up(set_amount, currency)
        source = Source.SET
        explanation = f"Set price in {market.name}."
    elif base_price is not None and (exchange_rate is not None or base_price.currency == currency):
        rate = exchange_rate.rate if exchange_rate is not None else Decimal(1)
        exact = base_price.amount * rate * (tax_factor if market.prices_include_tax else 1)
        amount = round_price(exact, market.rounding, currency)
        source = Source.DERIVED
        rate_text = (
            f" × {exchange_rate.rate.normalize():f} ({exchange_rate.base_currency}→{exchange_rate.quote_currency} "
            f"rate of {exchange_rate.valid_from.isoformat()})"
            if exchange_rate is not None
            else ""
        )
        tax_text = f" × {tax_factor.normalize():f} ({market.tax_name})" if market.prices_include_tax and tax_rate else ""
        explanation = (
            f"Derived from the base price {format_price(base_price.amount, base_price.currency)}{rate_text}"
            f"{tax_text}, rounded {market.rounding.label}, on {on.isoformat()}."
        )
    else:
        return Quote(
            country=country,
            sold=False,
            source=Source.NO_PRICE,
            market=market.name,
            currency=currency,
            explanation=f"No price set in {market.name} and none can be derived on {on.isoformat()}.",
        )

    if market.prices_include_tax:
        tax_amount = quantize_half_up(amount - amount / tax_factor, currency)
    else:
        tax_amount = quantize_half_up(amount * tax_rate / 100, currency)
    tax = Tax(name=market.tax_name, rate=tax_rate, amount=tax_amount, included=market.prices_include_tax)

    if is_ebook:
        shipping = Shipping(applies=False, cost=quantize_half_up(Decimal(0), currency), free=False)
    else:
        cost = country_terms.shipping_cost if country_terms.shipping_cost is not None else market.shipping_cost
        threshold = (
            country_terms.free_shipping_above
            if country_terms.free_shipping_above is not None
            else market.free_shipping_above
        )
        free = cost == 0 or (threshold is not None and amount >= threshold)
        shipping = Shipping(applies=True, cost=quantize_half_up(Decimal(0) if free else cost, currency), free=free)

    return Quote(
        country=country,
        sold=True,
        source=source,
        explanation=explanation,
        market=market.name,
        currency=currency,
        amount=amount,
        tax=tax,
        shipping=shipping,
    )
