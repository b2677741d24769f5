"""The arithmetic of an order: lines, shipping once per order, tax, total. Pure, on Decimals.

Every amount is already on the currency's minor units when it arrives (quote() quantizes unit
prices and unit tax); sums and products by whole quantities stay on them, and each result is
quantized once more with `quantize_half_up` (ROUND_HALF_UP) so a stray extra digit can never
travel into an order. Shipping is charged once per order: the market's cost (or the country's
override), nothing when no line is shipped (eBooks only) or when the subtotal of the shipped
lines reaches the free-shipping threshold. Shipping carries no tax of its own. Where prices
exclude tax, each tax is added to the total; where they include it, it is shown and not added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from pricing.money import format_price, quantize_half_up


@dataclass(frozen=True)
class LineAmounts:
    unit_amount: Decimal
    quantity: int
    tax_name: str
    tax_rate: Decimal  # percent
    unit_tax: Decimal
    tax_included: bool
    shipped: bool  # False for eBooks


@dataclass(frozen=True)
class TaxLine:
    name: str
    rate: Decimal
    amount: Decimal
    included: bool

    def label(self) -> str:
        rate = f"{self.rate.normalize():f} %"
        return f"{self.name} {rate} (included)" if self.included else f"{self.name} {rate}"


@dataclass(frozen=True)
class Totals:
    currency: str
    subtotal: Decimal
    shipping: Decimal
    shipping_applies: bool
    shipping_free: bool
    taxes: tuple[TaxLine, ...]
    total: Decimal

    @property
    def tax_added(self) -> Decimal:
        return sum((tax.amount for tax in self.taxes if not tax.included), quantize_half_up(Decimal(0), self.currency))

    def display(self, amount: Decimal) -> str:
        return format_price(amount, self.currency)


def order_totals(
    *,
    currency: str,
    lines: Sequence[LineAmounts],
    shipping_cost: Decimal,
    free_shipping_above: Decimal | None,
) -> Totals:
    """Subtotal, shipping, taxes and total of `lines` in `currency`."""
    zero = quantize_half_up(Decimal(0), currency)
    subtotal = quantize_half_up(sum((line.unit_amount * line.quantity for line in lines), zero), currency)
    shipped_subtotal = sum((line.unit_amount * line.quantity for line in lines if line.shipped), zero)
    shipping_applies = any(line.shipped for line in lines)
    shipping_free = shipping_applies and (
        shipping_cost <= 0 or (free_shipping_above is not None and shipped_subtotal >= free_shipping_above)
    )
    shipping = zero if not shipping_applies or shipping_free else quantize_half_up(shipping_cost, currency)
    grouped: dict[tuple[str, Decimal, bool], Decimal] = {}
    for line in lines:
        if line.tax_rate:
            key = (line.tax_name, line.tax_rate, line.tax_included)
            grouped[key] = grouped.get(key, zero) + line.unit_tax * line.quantity
    taxes = tuple(
        TaxLine(name=name, rate=rate, amount=quantize_half_up(amount, currency), included=included)
        for (name, rate, included), amount in sorted(grouped.items(), key=lambda item: (item[0][0], item[0][1]))
    )
    added = sum((tax.amount for tax in taxes if not tax.included), zero)
    total = quantize_half_up(subtotal + shipping + added, currency)
    return Totals(
        currency=currency,
        subtotal=subtotal,
        shipping=shipping,
        shipping_applies=shipping_applies,
        shipping_free=shipping_free,
        taxes=taxes,
        total=total,
    )
