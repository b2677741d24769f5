"""The order desk's CSV exports for accounting: one row per order, and the tax per country.

Amounts are written on the currency's minor units (`52.98`, `JPY 9800`, `KWD 19.950`), quantized
with `quantize_half_up` (ROUND_HALF_UP); the stored amounts are on them already, so the sums are
exact and the quantizing only drops the third place the database keeps for every currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from orders.models import Order
from pricing.money import quantize_half_up

# Accounting tools open a cell starting with one of these as a formula: such text is kept as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def amount(value: Decimal, currency: str) -> str:
    return str(quantize_half_up(Decimal(value), currency))


ORDERS_HEADER = [
    "order number", "placed", "paid", "status", "country", "market", "currency",
    "subtotal", "shipping", "tax added", "tax included", "taxes", "total",
]


def order_row(order: Order) -> list[str]:
    currency = order.currency
    included = sum((Decimal(tax["amount"]) for tax in order.taxes if tax["included"]), start=Decimal(0))
    taxes = "; ".join(
        f"{tax['name']} {tax['rate']} %{' incl.' if tax['included'] else ''}: {amount(tax['amount'], currency)}"
        for tax in order.taxes
    )
    return [
        csv_cell(value)
        for value in (
            order.number, order.created.isoformat(), order.paid_at.isoformat() if order.paid_at else "",
            order.get_status_display(), order.shipping_country.code, order.market, currency,
            amount(order.subtotal, currency), amount(order.shipping, currency), amount(order.tax_added, currency),
            amount(included, currency), taxes, amount(order.total, currency),
        )
    ]


# The orders whose money the store keeps: neither unpaid, cancelled nor refunded.
TAXED_STATUSES = (Order.Status.PAID, Order.Status.SHIPPED)
TAX_HEADER = [
    "country", "currency", "tax", "rate %", "tax in prices", "orders", "goods net of tax", "tax",
    "shipping", "total charged",
]


@dataclass
class _Sums:
    orders: set[int] = field(default_factory=set)
    net: Decimal = Decimal(0)
    tax: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    total: Decimal = Decimal(0)


def tax_by_country_rows(orders: QuerySet[Order]) -> list[list[str]]:
    """The tax collected per shipping country and currency, for orders paid or shipped.

    For each country and currency, a row per tax and rate (whether the prices included it or it
    was added; goods without tax under "none"), each with the goods' value net of that tax and
    the tax, then a "total" row with all of its orders' goods, tax, shipping (which carries no
    tax) and the total charged. Two queries: the orders, and their lines."""
    by_rate: dict[tuple[str, str, str, Decimal, bool | None], _Sums] = {}
    by_country: dict[tuple[str, str], _Sums] = {}
    for order in orders.filter(status__in=TAXED_STATUSES).order_by().prefetch_related("lines"):
        country = (order.shipping_country.code, order.currency)
        whole = by_country.setdefault(country, _Sums())
        whole.orders.add(order.pk)
        whole.shipping += order.shipping
        whole.total += order.total
        for line in order.lines.all():
            if line.tax_rate:
                key = (*country, line.tax_name, line.tax_rate, line.tax_included)
                tax = line.unit_tax * line.quantity
            else:
                key, tax = (*country, "none", Decimal(0), None), Decimal(0)
            net = line.unit_price * line.quantity - (tax if line.tax_included else Decimal(0))
            sums = by_rate.setdefault(key, _Sums())
            sums.orders.add(order.pk)
            sums.net += net
            sums.tax += tax
            whole.net += net
            whole.tax += tax
    rows = []
    for code, currency in sorted(by_country):
        for key in sorted((key for key in by_rate if key[:2] == (code, currency)), key=str):
            sums, (_, _, name, rate, included) = by_rate[key], key
            rows.append([
                code, currency, name, f"{rate.normalize():f}", {True: "included", False: "added"}.get(included, ""),
                str(len(sums.orders)), amount(sums.net, currency), amount(sums.tax, currency), "", "",
            ])
        whole = by_country[code, currency]
        rows.append([
            code, currency, "total", "", "", str(len(whole.orders)), amount(whole.net, currency),
            amount(whole.tax, currency), amount(whole.shipping, currency), amount(whole.total, currency),
        ])
    return [[csv_cell(value) for value in row] for row in rows]
