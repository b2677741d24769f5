"""The order desk: orders by status, country, currency and date; shipping, cancelling, refunding,
recording eBook access, and a CSV export for accounting. Only the "Order managers" group sees it."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django_countries import countries

from catalog.admin import ISBNSearchMixin
from orders.accounting import ORDERS_HEADER, TAX_HEADER, order_row, tax_by_country_rows
from orders.models import Order, OrderLine, OrderStatusChange, Payment
from orders.services import order_cancel, order_mark_shipped, order_record_ebook_access, order_refund
from pricing.money import format_price


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["title", "binding", "isbn_display", "quantity", "unit_price_display", "tax_name", "tax_rate",
              "unit_tax_display", "price_source"]
    readonly_fields = fields

    @admin.display(description="ISBN")
    def isbn_display(self, line: OrderLine) -> str:
        """Hyphenated, as the reader's order page and emails show it (and as the order desk's search takes it)."""
        return line.isbn_display

    @admin.display(description="unit price")
    def unit_price_display(self, line: OrderLine) -> str:
        return line.order.display(line.unit_price)

    @admin.display(description="tax per unit")
    def unit_tax_display(self, line: OrderLine) -> str:
        return line.order.display(line.unit_tax)


class StatusChangeInline(ReadOnlyInline):
    model = OrderStatusChange
    fields = ["status", "changed_at", "changed_by", "note"]
    readonly_fields = fields


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = ["created", "status", "total_display", "captured_display", "transaction_id", "message"]
    readonly_fields = fields

    @admin.display(description="amount")
    def total_display(self, payment: Payment) -> str:
        return format_price(payment.total, payment.currency)

    @admin.display(description="captured")
    def captured_display(self, payment: Payment) -> str:
        return format_price(payment.captured_amount, payment.currency)


class ShippingCountryFilter(admin.SimpleListFilter):
    """The countries orders were shipped to, not every country there is."""

    title = "country"
    parameter_name = "shipping_country"

    def lookups(self, request, model_admin):
        codes = Order.objects.order_by().values_list("shipping_country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        return queryset.filter(shipping_country=self.value()) if self.value() else queryset


@admin.register(Order)
class OrderAdmin(ISBNSearchMixin, admin.ModelAdmin):
    list_display = ["number", "created", "status", "email", "shipping_country", "currency", "total_display"]
    list_filter = ["status", ShippingCountryFilter, "currency", ("created", admin.DateFieldListFilter)]
    # An ISBN in any form (as the order pages and emails show it, hyphenated) finds its orders.
    isbn_lookup = "lines__isbn"
    search_fields = ["=number", "email", "=lines__isbn"]
    date_hierarchy = "created"
    inlines = [OrderLineInline, StatusChangeInline, PaymentInline]
    actions = ["mark_shipped", "cancel", "refund", "export_csv", "export_tax_csv"]
    readonly_fields = [
        "number", "status", "created", "paid_at", "email", "shipping_name", "shipping_line1", "shipping_line2",
        "shipping_city", "shipping_postcode", "shipping_country", "market", "currency", "subtotal_display",
        "shipping_display", "tax_added_display", "total_display", "tracking_reference",
    ]
    fieldsets = [
        (None, {"fields": ["number", "status", "created", "paid_at", "tracking_reference"]}),
        ("Buyer", {"fields": ["email", "shipping_name", "shipping_line1", "shipping_line2", "shipping_city",
                              "shipping_postcode", "shipping_country"]}),
        ("Amounts", {"fields": ["market", "currency", "subtotal_display", "shipping_display", "tax_added_display",
                                "total_display"]}),
        ("eBooks", {"fields": ["ebook_access"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="total", ordering="total")
    def total_display(self, order: Order) -> str:
        return order.display(order.total)

    @admin.display(description="subtotal")
    def subtotal_display(self, order: Order) -> str:
        return order.display(order.subtotal)

    @admin.display(description="shipping")
    def shipping_display(self, order: Order) -> str:
        return order.display(order.shipping)

    @admin.display(description="tax added")
    def tax_added_display(self, order: Order) -> str:
        return order.display(order.tax_added)

    def save_model(self, request, obj: Order, form, change) -> None:
        # Only the eBook access is editable here; recording it emails the reader.
        if "ebook_access" in form.changed_data:
            order_record_ebook_access(order=obj, access=obj.ebook_access, by=request.user)

    def _report(self, request, done: int, skipped: int, verb: str, needs: str) -> None:
        if done:
            self.message_user(request, f"{done} order{'s' if done != 1 else ''} {verb}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} order{'s' if skipped != 1 else ''} not {verb}: only {needs} can be.",
                messages.WARNING,
            )

    @admin.action(description="Mark shipped (with tracking references)", permissions=["change"])
    def mark_shipped(self, request: HttpRequest, queryset: QuerySet[Order]):
        orders = list(queryset)
        paid = [order for order in orders if order.status == Order.Status.PAID]
        references = {order.pk: request.POST.get(f"tracking_{order.pk}", "").strip()[:100] for order in orders}
        if "apply" in request.POST:
            if all(references[order.pk] for order in paid):
                done = sum(
                    order_mark_shipped(order=order, tracking_reference=references[order.pk], by=request.user)
                    for order in paid
                )
                self._report(request, done, len(orders) - done, "marked shipped", "paid orders")
                return None
            self.message_user(request, "Give every order its tracking reference.", messages.ERROR)
        return self._action_page(
            request, orders, action="mark_shipped", title="Mark orders shipped", verb="marked shipped",
            needs="paid orders", eligible={Order.Status.PAID}, button="Mark shipped", references=references,
            explanation="Each buyer is emailed that their order is on its way, with the carrier's reference, which "
            "also shows on their order page.",
        )

    @admin.action(description="Cancel (orders awaiting payment)", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Order]):
        return self._confirmed(
            request, queryset, action="cancel", verb="cancelled", needs="orders awaiting payment",
            service=order_cancel, eligible={Order.Status.AWAITING_PAYMENT},
            explanation="Each buyer is emailed that their order is cancelled and that nothing was charged.",
        )

    @admin.action(description="Refund in full through the payment provider", permissions=["change"])
    def refund(self, request: HttpRequest, queryset: QuerySet[Order]):
        return self._confirmed(
            request, queryset, action="refund", verb="refunded", needs="paid or shipped orders",
            service=order_refund, eligible={Order.Status.PAID, Order.Status.SHIPPED},
            explanation="Each order's total goes back to the buyer's card through the payment provider, and the "
            "buyer is emailed. A refund cannot be undone.",
        )

    def _confirmed(self, request, queryset, *, service, verb, needs, **page):
        """Cancelling and refunding email the buyers and cannot be undone: the orders are listed,
        with what will happen to each, before anything is done."""
        orders = list(queryset)
        if "apply" in request.POST:
            done = sum(service(order=order, by=request.user) for order in orders)
            self._report(request, done, len(orders) - done, verb, needs)
            return None
        count = sum(order.status in page["eligible"] for order in orders)
        name = page["action"].capitalize()
        return self._action_page(
            request, orders, title=f"{name} orders", verb=verb, needs=needs, button=f"{name} {count} of these", **page
        )

    def _action_page(
        self, request, orders, *, action, title, explanation, verb, needs, eligible, button, references=None
    ):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "explanation": f"{explanation} Only {needs} can be {verb}; the others are left as they are.",
            "rows": [
                (order, order.display(order.total), order.status in eligible, (references or {}).get(order.pk, ""))
                for order in orders
            ],
            "asks_tracking": references is not None,
            "action": action,
            "verb": verb,
            "button": button,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/orders/order/action_form.html", context)

    @admin.action(description="Export as CSV for accounting", permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse:
        return csv_response("orders.csv", ORDERS_HEADER, (order_row(order) for order in queryset.order_by("created")))

    @admin.action(description="Export tax per country as CSV (paid and shipped orders)", permissions=["view"])
    def export_tax_csv(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse:
        return csv_response("tax-by-country.csv", TAX_HEADER, tax_by_country_rows(queryset))


def csv_response(filename: str, header: list[str], rows: Iterable[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
