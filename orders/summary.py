"""One shape for an order summary, whether it comes from a priced cart or a stored order.

The cart, checkout, payment and confirmation pages and the confirmation email all show the same
table (`orders/includes/_summary.html`); these functions fill it from either source.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from orders.cart import PricedCart
from orders.models import Order
from orders.totals import TaxLine
from pricing.money import format_price


@dataclass(frozen=True)
class SummaryLine:
    title: str
    binding: str
    isbn: str
    quantity: int
    unit_price: str
    line_total: str
    tax_wording: str
    is_ebook: bool
    sold: bool = True
    isbn13: str = ""  # compact, for the cart's forms


@dataclass(frozen=True)
class Summary:
    lines: tuple[SummaryLine, ...]
    subtotal: str
    shipping: str  # "" when nothing is shipped
    taxes: tuple[tuple[str, str], ...]  # (label, amount)
    total: str
    has_ebooks: bool


def _tax_wording(rate: Decimal, name: str, included: bool) -> str:
    if not rate:
        return ""
    return f"incl. {name}" if included else f"plus {name}"


def _taxes(taxes: list[TaxLine], currency: str) -> tuple[tuple[str, str], ...]:
    return tuple((tax.label(), format_price(tax.amount, currency)) for tax in taxes)


def summary_of_cart(priced: PricedCart) -> Summary | None:
    totals = priced.totals
    lines = tuple(
        SummaryLine(
            title=line.fmt.book.full_title,
            binding=line.fmt.get_binding_display(),
            isbn=line.fmt.isbn_display,
            quantity=line.quantity,
            unit_price=line.quote.display,
            line_total=line.line_total_display if line.sold else "",
            tax_wording=line.quote.tax_display,
            is_ebook=line.is_ebook,
            sold=line.sold,
            isbn13=line.fmt.isbn,
        )
        for line in priced.lines
    )
    if totals is None:
        return Summary(lines=lines, subtotal="", shipping="", taxes=(), total="", has_ebooks=False)
    return Summary(
        lines=lines,
        subtotal=totals.display(totals.subtotal),
        shipping=_shipping_text(totals.shipping_applies, totals.shipping_free, totals.display(totals.shipping)),
        taxes=_taxes(list(totals.taxes), totals.currency),
        total=totals.display(totals.total),
        has_ebooks=any(line.is_ebook and line.sold for line in priced.lines),
    )


def _shipping_text(applies: bool, free: bool, amount: str) -> str:
    if not applies:
        return ""
    return "Free" if free else amount


def summary_of_order(order: Order) -> Summary:
    lines = list(order.lines.all())
    taxes = [
        TaxLine(name=tax["name"], rate=Decimal(tax["rate"]), amount=Decimal(tax["amount"]), included=tax["included"])
        for tax in order.taxes
    ]
    shipped = any(not line.is_ebook for line in lines)
    return Summary(
        lines=tuple(
            SummaryLine(
                title=line.title,
                binding=line.get_binding_display(),
                isbn=line.isbn_display,
                quantity=line.quantity,
                unit_price=order.display(line.unit_price),
                line_total=order.display(line.line_total),
                tax_wording=_tax_wording(line.tax_rate, line.tax_name, line.tax_included),
                is_ebook=line.is_ebook,
            )
            for line in lines
        ),
        subtotal=order.display(order.subtotal),
        shipping=_shipping_text(shipped, shipped and not order.shipping, order.display(order.shipping)),
        taxes=_taxes(taxes, order.currency),
        total=order.display(order.total),
        has_ebooks=any(line.is_ebook for line in lines),
    )
