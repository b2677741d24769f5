"""The quote-to-total arithmetic: pure, on the currency's minor units, never negative."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from orders.totals import LineAmounts, order_totals
from pricing.money import minor_unit, quantize_half_up

CURRENCIES = ["USD", "GBP", "JPY", "KWD", "EUR"]


def on_units(amount: Decimal, currency: str) -> bool:
    return amount == amount.quantize(minor_unit(currency))


@st.composite
def orders(draw):
    currency = draw(st.sampled_from(CURRENCIES))
    unit = minor_unit(currency)
    amounts = st.integers(min_value=0, max_value=5_000_000).map(lambda units: units * unit)
    lines = []
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        amount = draw(amounts)
        rate = draw(st.sampled_from([Decimal(0), Decimal("5.5"), Decimal(10), Decimal(20)]))
        included = draw(st.booleans())
        unit_tax = quantize_half_up(amount - amount / (1 + rate / 100) if included else amount * rate / 100, currency)
        lines.append(
            LineAmounts(
                unit_amount=amount,
                quantity=draw(st.integers(min_value=1, max_value=99)),
                tax_name="VAT",
                tax_rate=rate,
                unit_tax=unit_tax,
                tax_included=included,
                shipped=draw(st.booleans()),
            )
        )
    shipping_cost = draw(amounts)
    threshold = draw(st.none() | amounts)
    return currency, lines, shipping_cost, threshold


@given(orders())
def test_total_is_lines_plus_shipping_plus_added_tax_on_minor_units(order):
    currency, lines, shipping_cost, threshold = order
    totals = order_totals(currency=currency, lines=lines, shipping_cost=shipping_cost, free_shipping_above=threshold)

    subtotal = sum(line.unit_amount * line.quantity for line in lines)
    added = sum(line.unit_tax * line.quantity for line in lines if not line.tax_included and line.tax_rate)
    assert totals.subtotal == subtotal
    assert totals.total == subtotal + totals.shipping + added
    assert totals.tax_added == added
    for amount in (totals.subtotal, totals.shipping, totals.total, *(tax.amount for tax in totals.taxes)):
        assert amount >= 0
        assert on_units(amount, currency)
        assert amount.as_tuple().exponent == minor_unit(currency).as_tuple().exponent

    shipped = [line for line in lines if line.shipped]
    shipped_subtotal = sum(line.unit_amount * line.quantity for line in shipped)
    if not shipped:
        assert totals.shipping == 0 and not totals.shipping_applies
    elif threshold is not None and shipped_subtotal >= threshold:
        assert totals.shipping == 0 and totals.shipping_free
    else:
        assert totals.shipping == shipping_cost
    included = sum(line.unit_tax * line.quantity for line in lines if line.tax_included and line.tax_rate)
    assert sum(tax.amount for tax in totals.taxes if tax.included) == included


def test_shipping_is_charged_once_and_free_above_the_threshold_on_the_subtotal():
    def line(amount: str, quantity: int = 1, shipped: bool = True) -> LineAmounts:
        return LineAmounts(Decimal(amount), quantity, "VAT", Decimal(0), Decimal("0.00"), True, shipped)

    two_books = order_totals(
        currency="GBP", lines=[line("29.99"), line("15.00")], shipping_cost=Decimal("3.99"),
        free_shipping_above=Decimal("50"),
    )
    assert (two_books.subtotal, two_books.shipping, two_books.total) == (
        Decimal("44.99"), Decimal("3.99"), Decimal("48.98")
    )
    # Two copies cross the threshold together, though one alone does not.
    doubled = order_totals(
        currency="GBP", lines=[line("29.99", 2)], shipping_cost=Decimal("3.99"), free_shipping_above=Decimal("50")
    )
    assert doubled.shipping == Decimal("0.00") and doubled.shipping_free and doubled.total == Decimal("59.98")
    ebooks = order_totals(
        currency="GBP", lines=[line("9.99", shipped=False)], shipping_cost=Decimal("3.99"), free_shipping_above=None
    )
    assert ebooks.shipping == Decimal("0.00") and not ebooks.shipping_applies and ebooks.total == Decimal("9.99")


def test_tax_added_where_prices_exclude_it_and_shown_where_they_include_it():
    added = LineAmounts(Decimal("39.95"), 2, "GST", Decimal(5), Decimal("2.00"), False, True)
    totals = order_totals(currency="CAD", lines=[added], shipping_cost=Decimal("7.95"), free_shipping_above=Decimal(99))
    assert totals.total == Decimal("79.90") + Decimal("7.95") + Decimal("4.00")
    assert [(tax.label(), tax.amount) for tax in totals.taxes] == [("GST 5 %", Decimal("4.00"))]

    included = LineAmounts(Decimal("14800"), 1, "consumption tax", Decimal(10), Decimal("1345"), True, True)
    yen = order_totals(currency="JPY", lines=[included], shipping_cost=Decimal(800), free_shipping_above=Decimal(10000))
    assert (yen.total, yen.shipping, str(yen.total)) == (Decimal(14800), Decimal(0), "14800")
    assert [(tax.label(), tax.amount) for tax in yen.taxes] == [("consumption tax 10 % (included)", Decimal(1345))]
