"""Writes that span the orders' models: placing an order, re-quoting it, paying, shipping, refunding.

Each is one transaction and locks the order row it changes, so a form submitted twice or a
payment callback delivered twice finds the work done and does nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from payments import PaymentStatus

from orders.cart import PricedCart, price_lines
from orders.emails import (
    send_ebook_access,
    send_order_cancelled,
    send_order_confirmation,
    send_order_refunded,
    send_order_shipped,
)
from orders.models import Order, OrderLine, OrderStatusChange, Payment
from orders.totals import Totals

PAYMENT_VARIANT = "default"


class CannotOrder(Exception):
    """The cart cannot become an order as it is (empty, or a line not sold in the country)."""


def _totals_fields(totals: Totals) -> dict:
    return {
        "currency": totals.currency,
        "subtotal": totals.subtotal,
        "shipping": totals.shipping,
        "tax_added": totals.tax_added,
        "total": totals.total,
        "taxes": [
            {"name": tax.name, "rate": str(tax.rate), "amount": str(tax.amount), "included": tax.included}
            for tax in totals.taxes
        ],
    }


def _line_rows(order: Order, priced: PricedCart) -> list[OrderLine]:
    return [
        OrderLine(
            order=order,
            format=line.fmt,
            title=line.fmt.book.full_title,
            binding=line.fmt.binding,
            isbn=line.fmt.isbn,
            quantity=line.quantity,
            unit_price=line.quote.amount,
            tax_name=line.quote.tax.name,
            tax_rate=line.quote.tax.rate,
            unit_tax=line.quote.tax.amount,
            tax_included=line.quote.tax.included,
            price_source=line.quote.source.value,
            price_explanation=line.quote.explanation[:500],
        )
        for line in priced.lines
    ]


def _record_status(order: Order, status: str, *, by: AbstractBaseUser | None = None, note: str = "") -> None:
    order.status = status
    OrderStatusChange.objects.create(order=order, status=status, changed_by=by, note=note)


def order_place(*, priced: PricedCart, checkout_key: str, address: dict, number: str | None = None) -> Order:
    """An order awaiting payment from a priced cart; the same key always gives the same order.

    `number` is for example orders only: readers' orders get a random one."""
    existing = Order.objects.filter(checkout_key=checkout_key).first()
    if existing is not None:
        return existing
    if not priced.can_check_out:
        raise CannotOrder("Nothing in the cart can be ordered to this country as it is.")
    totals = priced.totals
    order = Order(checkout_key=checkout_key, market=priced.lines[0].quote.market, **address, **_totals_fields(totals))
    if number is not None:
        order.number = number
    order.full_clean(exclude=["number"])
    try:
        with transaction.atomic():
            order.save()
            OrderLine.objects.bulk_create(_line_rows(order, priced))
            _record_status(order, Order.Status.AWAITING_PAYMENT, note="Placed at checkout.")
    except IntegrityError:
        # The same form submitted at the same moment from another request: that one made it.
        existing = Order.objects.filter(checkout_key=checkout_key).first()
        if existing is None:
            raise
        return existing
    return order


@dataclass(frozen=True)
class PriceChange:
    what: str
    before: str
    after: str


def order_requote(*, order: Order, on: date | None = None) -> tuple[list[PriceChange], bool]:
    """Price the order's lines again now. Returns the changes (the order's snapshot is updated to
    them) and whether every line can still be bought in the order's country."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        lines = list(order.lines.all())
        items: dict[str, int] = {}
        for line in lines:
            items[line.isbn] = items.get(line.isbn, 0) + line.quantity
        priced = price_lines(items, order.shipping_country.code, on=on)
        by_isbn = {line.fmt.isbn: line for line in priced.lines}
        if by_isbn.keys() != items.keys() or not priced.can_check_out or priced.totals.currency != order.currency:
            return [], False  # a book gone from the catalogue, or no longer sold there
        changes = []
        for line in lines:
            now = by_isbn[line.isbn]
            if now.quote.amount != line.unit_price:
                changes.append(PriceChange(line.title, order.display(line.unit_price), now.quote.display))
        totals = priced.totals
        if totals.shipping != order.shipping:
            changes.append(PriceChange("Shipping", order.display(order.shipping), totals.display(totals.shipping)))
        if totals.total != order.total:
            changes.append(PriceChange("Total", order.display(order.total), totals.display(totals.total)))
        if changes:
            order.lines.all().delete()
            OrderLine.objects.bulk_create(_line_rows(order, priced))
            for field, value in _totals_fields(totals).items():
                setattr(order, field, value)
            order.save()
        return changes, True


def payment_start(*, order: Order, ip_address: str | None = None) -> Payment:
    """The order's open payment, made if there is none: pressing "Pay" twice charges once."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        open_payment = order.payments.filter(status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT]).first()
        if open_payment is not None:
            if open_payment.total == order.total and open_payment.currency == order.currency:
                return open_payment
            # Re-quoted since: that attempt is for another amount and must not be completed.
            open_payment.change_status(PaymentStatus.REJECTED, "Replaced after the order was re-priced.")
        return Payment.objects.create(
            order=order,
            variant=PAYMENT_VARIANT,
            currency=order.currency,
            total=order.total,
            delivery=order.shipping,
            tax=order.tax_added,
            description=f"Order {order.number}",
            billing_email=order.email,
            billing_country_code=order.shipping_country.code,
            customer_ip_address=ip_address,
        )


def payment_status_changed(sender, instance: Payment, **kwargs) -> None:
    """django-payments' status_changed receiver: a confirmed payment pays its order, once."""
    if instance.status == PaymentStatus.CONFIRMED:
        order_mark_paid(payment=instance)


def order_mark_paid(*, payment: Payment, notify: bool = True) -> bool:
    """Mark the payment's order paid and email the buyer (unless not `notify`); False when it already was."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=payment.order_id)
        if order.status != Order.Status.AWAITING_PAYMENT:
            return False
        if not payment.captured_amount:
            # Captured in full on confirmation (the providers are set up to capture at once);
            # some report the amount, others leave it to us. A refund needs it.
            payment.captured_amount = payment.total
            payment.save(update_fields=["captured_amount"])
        order.paid_at = timezone.now()
        _record_status(order, Order.Status.PAID, note=f"Payment {payment.pk} confirmed ({payment.variant}).")
        order.save(update_fields=["status", "paid_at"])
        if notify:
            transaction.on_commit(lambda: send_order_confirmation(order))
    return True


def order_mark_shipped(
    *, order: Order, tracking_reference: str, by: AbstractBaseUser | None, notify: bool = True
) -> bool:
    """Mark a paid order shipped and email the buyer its tracking reference (unless not `notify`)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.PAID:
            return False
        order.tracking_reference = tracking_reference
        _record_status(order, Order.Status.SHIPPED, by=by, note=f"Tracking reference {tracking_reference}.")
        order.save(update_fields=["status", "tracking_reference"])
        if notify:
            transaction.on_commit(lambda: send_order_shipped(order))
    return True


def order_cancel(*, order: Order, by: AbstractBaseUser) -> bool:
    """Cancel an order not yet paid, releasing any open payment, and tell the buyer."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.AWAITING_PAYMENT:
            return False
        for payment in order.payments.filter(status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT]):
            payment.cancel()
        _record_status(order, Order.Status.CANCELLED, by=by)
        order.save(update_fields=["status"])
        transaction.on_commit(lambda: send_order_cancelled(order))
    return True


def order_refund(*, order: Order, by: AbstractBaseUser) -> bool:
    """Refund a paid (or shipped) order in full through the payment provider, and tell the buyer."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status not in {Order.Status.PAID, Order.Status.SHIPPED}:
            return False
        for payment in order.payments.filter(status=PaymentStatus.CONFIRMED):
            payment.refund(payment.captured_amount)
        _record_status(order, Order.Status.REFUNDED, by=by)
        order.save(update_fields=["status"])
        transaction.on_commit(lambda: send_order_refunded(order))
    return True


def order_record_ebook_access(*, order: Order, access: str, by: AbstractBaseUser) -> None:
    """Record how the reader reaches their eBooks and email it to them."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        order.ebook_access = access
        order.save(update_fields=["ebook_access"])
        OrderStatusChange.objects.create(order=order, status=order.status, changed_by=by, note="eBook access sent.")
        transaction.on_commit(lambda: send_ebook_access(order))
