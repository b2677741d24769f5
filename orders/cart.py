"""The reader's cart: ISBNs and quantities in the session, priced through quote() when shown.

Nothing but `{ISBN-13: quantity}` is stored, so a cart is always priced afresh for the
shipping country and the prices in force; no account is needed. A format is known by its ISBN,
not its row id, so a cart stays right when the catalogue is imported again (and rows renumbered).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from catalog.models import Format
from orders.totals import LineAmounts, Totals, order_totals
from pricing.money import format_price
from pricing.quotes import country_facts, quotes_for
from pricing.rules import Quote

SESSION_KEY = "cart"
MAX_QUANTITY = 99
MAX_LINES = 50


def _is_isbn13(key: str) -> bool:
    return len(key) == 13 and key.isdigit()


def _is_row_id(key: str) -> bool:
    return key.isdigit() and len(key) < 13


class Cart:
    """The session's cart. Quantities are whole numbers from 1 to MAX_QUANTITY."""

    def __init__(self, session: SessionBase) -> None:
        self.session = session

    @property
    def items(self) -> dict[str, int]:
        stored = self.session.get(SESSION_KEY)
        if not isinstance(stored, dict):
            return {}
        items: dict[str, int] = {}
        row_ids: dict[int, int] = {}
        for key, quantity in stored.items():
            if not (isinstance(quantity, int) and 0 < quantity <= MAX_QUANTITY):
                continue
            if _is_isbn13(str(key)):
                items[str(key)] = quantity
            elif _is_row_id(str(key)):
                row_ids[int(key)] = quantity
        if row_ids:
            # A cart kept before carts held ISBNs, by format id: read once more, then kept by ISBN.
            for pk, isbn in Format.objects.filter(pk__in=row_ids).values_list("pk", "isbn"):
                items.setdefault(isbn, row_ids[pk])
            self._save(items)
        return items

    def _save(self, items: dict[str, int]) -> None:
        self.session[SESSION_KEY] = dict(items)

    def add(self, isbn: str, quantity: int = 1) -> bool:
        """Add to a line (a new one if there is room); False when the cart has no room for another line."""
        items = self.items
        if isbn not in items and len(items) >= MAX_LINES:
            return False
        items[isbn] = min(items.get(isbn, 0) + quantity, MAX_QUANTITY)
        self._save(items)
        return True

    def set(self, isbn: str, quantity: int) -> None:
        items = self.items
        if quantity <= 0:
            items.pop(isbn, None)
        elif isbn in items:
            items[isbn] = min(quantity, MAX_QUANTITY)
        self._save(items)

    def clear(self) -> None:
        self.session.pop(SESSION_KEY, None)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class CartLine:
    fmt: Format
    quantity: int
    quote: Quote

    @property
    def sold(self) -> bool:
        return self.quote.sold

    @property
    def line_total(self) -> Decimal:
        return self.quote.amount * self.quantity

    @property
    def line_total_display(self) -> str:
        return format_price(self.line_total, self.quote.currency)

    @property
    def is_ebook(self) -> bool:
        return self.fmt.binding == Format.Binding.EBOOK

    def amounts(self) -> LineAmounts:
        tax = self.quote.tax
        return LineAmounts(
            unit_amount=self.quote.amount,
            quantity=self.quantity,
            tax_name=tax.name,
            tax_rate=tax.rate,
            unit_tax=tax.amount,
            tax_included=tax.included,
            shipped=not self.is_ebook,
        )


@dataclass(frozen=True)
class PricedCart:
    """A cart priced for one country on one day: its lines, and totals over the lines sold there."""

    country: str
    lines: tuple[CartLine, ...]
    totals: Totals | None  # None when nothing in the cart is sold in the country

    @property
    def unsold(self) -> tuple[CartLine, ...]:
        return tuple(line for line in self.lines if not line.sold)

    @property
    def can_check_out(self) -> bool:
        return bool(self.lines) and not self.unsold and self.totals is not None


def shipping_terms(country: str, on: date) -> tuple[Decimal, Decimal | None]:
    """The country's shipping cost and free-shipping threshold (its own, else its market's)."""
    facts = country_facts(country, on)
    if facts.terms is None:
        return Decimal(0), None
    cost = facts.country_terms.shipping_cost
    threshold = facts.country_terms.free_shipping_above
    return (
        cost if cost is not None else facts.terms.shipping_cost,
        threshold if threshold is not None else facts.terms.free_shipping_above,
    )


def price_lines(items: dict[str, int], country: str, *, on: date | None = None) -> PricedCart:
    """Price `{ISBN-13: quantity}` for `country`: two queries (formats, prices) however many lines.
    An ISBN no longer in the catalogue has no line."""
    on = on or timezone.localdate()
    formats = list(Format.objects.filter(isbn__in=items).select_related("book").order_by("book__title", "binding"))
    quotes = quotes_for(formats, country, on=on)
    lines = tuple(CartLine(fmt=fmt, quantity=items[fmt.isbn], quote=quotes[fmt.pk]) for fmt in formats)
    sold = [line for line in lines if line.sold]
    if not sold:
        return PricedCart(country=country, lines=lines, totals=None)
    shipping_cost, free_above = shipping_terms(country, on)
    totals = order_totals(
        currency=sold[0].quote.currency,
        lines=[line.amounts() for line in sold],
        shipping_cost=shipping_cost,
        free_shipping_above=free_above,
    )
    return PricedCart(country=country, lines=lines, totals=totals)


def price_cart(cart: Cart, country: str, *, on: date | None = None) -> PricedCart:
    items = cart.items
    if not items:
        return PricedCart(country=country, lines=(), totals=None)
    return price_lines(items, country, on=on)
