"""Orders: what a reader bought, as it was priced when they paid, and what happened to it since.

An order keeps a snapshot of each line (title, format, ISBN, unit price, tax) and of its shipping
and totals, so a later change to the catalogue or its prices never alters a past order. Amounts
are Decimals with three places, enough for every currency's minor units (KWD has three), and
always quantized to the order's currency (pricing.money) before they are stored.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django_countries.fields import CountryField
from payments import PaymentStatus, PurchasedItem
from payments.models import BasePayment

from catalog.isbn import isbn_hyphenate
from catalog.models import Format
from pricing.money import format_price

MONEY = {"max_digits": 14, "decimal_places": 3}
# Order numbers: letters and digits a reader can read out without confusing 0/O or 1/I.
NUMBER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
BUYER_LINK_SALT = "orders.buyer-link"


def new_order_number() -> str:
    body = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))
    return f"{body[:4]}-{body[4:]}"


ORDER_NUMBER = re.compile(f"[{NUMBER_ALPHABET}]{{4}}-[{NUMBER_ALPHABET}]{{4}}")


def is_order_number(value: str) -> bool:
    """Whether `value` has the shape of an order number (`new_order_number`): anything else, a NUL
    byte included, which PostgreSQL refuses in a query, is no order's."""
    return ORDER_NUMBER.fullmatch(value) is not None


class OrderQuerySet(models.QuerySet):
    def for_order_page(self) -> OrderQuerySet:
        """Everything an order's pages show, in two queries: the order and its lines."""
        return self.prefetch_related("lines")


class Order(models.Model):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment"
        PAID = "paid", "Paid"
        SHIPPED = "shipped", "Shipped"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    number = models.CharField("order number", max_length=9, unique=True, default=new_order_number, editable=False)
    # The checkout form's one-time key: submitting the same form twice finds the order it made.
    checkout_key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT, editable=False
    )
    created = models.DateTimeField("placed", auto_now_add=True)
    paid_at = models.DateTimeField("paid", null=True, blank=True, editable=False)
    email = models.EmailField("email", help_text="Where the confirmation and any news of the order go.")
    shipping_name = models.CharField("name", max_length=200)
    shipping_line1 = models.CharField("address", max_length=200)
    shipping_line2 = models.CharField("address (second line)", max_length=200, blank=True)
    shipping_city = models.CharField("town or city", max_length=100)
    shipping_postcode = models.CharField("postcode", max_length=20, blank=True)
    shipping_country = CountryField("country", help_text="Prices, tax and shipping are those of this country.")
    market = models.CharField("market", max_length=100, editable=False)
    currency = models.CharField("currency", max_length=3, editable=False)
    subtotal = models.DecimalField("subtotal", **MONEY, editable=False)
    shipping = models.DecimalField("shipping", **MONEY, editable=False)
    tax_added = models.DecimalField("tax added", **MONEY, editable=False)
    total = models.DecimalField("total", **MONEY, editable=False)
    taxes = models.JSONField(
        "taxes", default=list, editable=False, help_text="Each tax of the order: name, rate, amount, included."
    )
    tracking_reference = models.CharField(
        "tracking reference", max_length=100, blank=True, help_text="The carrier's reference for the parcel."
    )
    ebook_access = models.TextField(
        "eBook access",
        blank=True,
        help_text="How the reader reaches their eBooks (a link or a code); emailed to them when recorded.",
    )

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
            models.CheckConstraint(condition=Q(subtotal__gte=0), name="order_subtotal_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Order {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("orders:confirmation", args=[self.number])

    def buyer_key(self) -> str:
        """The signature that opens this order's pages to whoever holds the link (the buyer's email)."""
        return signing.Signer(salt=BUYER_LINK_SALT).signature(self.number)

    def buyer_url(self, name: str = "orders:confirmation") -> str:
        return f"{reverse(name, args=[self.number])}?key={self.buyer_key()}"

    def display(self, amount) -> str:
        return format_price(amount, self.currency)

    @property
    def has_ebooks(self) -> bool:
        return any(line.binding == Format.Binding.EBOOK for line in self.lines.all())


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name="order")
    # The format, while it exists; everything shown of the line is the snapshot below.
    format = models.ForeignKey(Format, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField("title", max_length=500)
    binding = models.CharField("format", max_length=2, choices=Format.Binding.choices)
    isbn = models.CharField("ISBN", max_length=13)
    quantity = models.PositiveIntegerField("quantity")
    unit_price = models.DecimalField("unit price", **MONEY)
    tax_name = models.CharField("tax", max_length=50, blank=True)
    tax_rate = models.DecimalField("tax rate %", max_digits=5, decimal_places=2)
    unit_tax = models.DecimalField("tax per unit", **MONEY)
    tax_included = models.BooleanField("tax included in the price")
    price_source = models.CharField("price", max_length=20)
    price_explanation = models.CharField("how the price was produced", max_length=500)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.title} ({self.get_binding_display()})"

    @property
    def line_total(self):
        return self.unit_price * self.quantity

    @property
    def is_ebook(self) -> bool:
        return self.binding == Format.Binding.EBOOK

    @property
    def isbn_display(self) -> str:
        return isbn_hyphenate(self.isbn)


class OrderStatusChange(models.Model):
    """Who moved an order to a status, and when (nobody: the reader or the payment provider)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="status_changes", verbose_name="order")
    status = models.CharField("status", max_length=20, choices=Order.Status.choices)
    changed_at = models.DateTimeField("when", auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name="by"
    )
    note = models.CharField("note", max_length=300, blank=True)

    class Meta:
        ordering = ["order", "changed_at", "pk"]
        verbose_name = "status change"

    def __str__(self) -> str:
        return f"{self.order.number}: {self.get_status_display()}"


class Payment(BasePayment):
    """One attempt to pay an order, through django-payments. Nothing of the card is kept here."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments", verbose_name="order")
    # Three places, for currencies with three minor units (BasePayment has two).
    total = models.DecimalField(**MONEY, default=0)
    delivery = models.DecimalField(**MONEY, default=0)
    tax = models.DecimalField(**MONEY, default=0)
    captured_amount = models.DecimalField(**MONEY, default=0)

    class Meta:
        ordering = ["order", "created"]
        constraints = [
            # One open attempt per order at a time: pressing "Pay" twice reuses it.
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT]),
                name="payment_one_open_per_order",
            ),
        ]

    def get_failure_url(self) -> str:
        return self.order.buyer_url("orders:pay") + "&failed=1"

    def get_success_url(self) -> str:
        return self.order.buyer_url()

    def get_purchased_items(self):
        for line in self.order.lines.all():
            yield PurchasedItem(
                name=line.title, quantity=line.quantity, price=line.unit_price, currency=self.currency, sku=line.isbn
            )
