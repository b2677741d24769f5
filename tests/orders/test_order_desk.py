"""The order desk in the admin: who sees it, filters and search, shipping, cancelling, refunding,
eBook access and the CSV export."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.test import Client

from orders.accounting import tax_by_country_rows
from orders.models import Order
from tests.conftest import normalize_space
from tests.editorial.conftest import member_of
from tests.orders.conftest import buy, dummy_pay

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/orders/order/"
EBOOK = "9781911001034"


@pytest.fixture
def desk(db) -> Client:
    client = Client()
    client.force_login(member_of("Order managers", "olga"))
    return client


@pytest.fixture
def paid_order(reader, django_capture_on_commit_callbacks) -> Order:
    number = buy(reader, "GB")
    with django_capture_on_commit_callbacks(execute=True):
        dummy_pay(reader, number)
    mail.outbox.clear()
    return Order.objects.get(number=number)


def text(response) -> str:
    return normalize_space(re.sub(r"<[^>]+>", " ", response.content.decode()))


def act(desk: Client, action: str, orders: list[Order], **extra):
    return desk.post(CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [order.pk for order in orders], **extra})


def test_only_order_managers_see_orders_and_they_cannot_edit_the_catalogue(desk, paid_order):
    for group in ("Catalog editors", "Pricing managers"):
        editor = Client()
        editor.force_login(member_of(group, group.split()[0].lower()))
        assert editor.get(CHANGELIST).status_code == 403
        assert "Orders" not in editor.get("/admin/").content.decode()
    assert paid_order.number in desk.get(CHANGELIST).content.decode()
    assert desk.get("/admin/catalog/book/").status_code == 403
    assert desk.get("/admin/pricing/price/").status_code == 403


def test_orders_are_filtered_and_searched(desk, paid_order, reader):
    other = Order.objects.get(number=buy(reader, "JP"))
    page = desk.get(CHANGELIST + "?status__exact=paid").content.decode()
    assert paid_order.number in page and other.number not in page
    page = desk.get(CHANGELIST + "?currency=JPY").content.decode()
    assert other.number in page and paid_order.number not in page
    page = desk.get(CHANGELIST + "?shipping_country=JP").content.decode()
    assert other.number in page and paid_order.number not in page
    # The ISBN as the order pages and emails show it (hyphenated), bare, or as its ISBN-10.
    for query in (paid_order.number, "9780415546416", "978-0-415-54641-6", "0-415-54641-9", "reader@example.com"):
        page = desk.get(CHANGELIST, {"q": query}).content.decode()
        assert paid_order.number in page and (other.number in page) == (query != paid_order.number)  # same ISBN


def test_the_country_filter_lists_the_countries_shipped_to(desk, paid_order, reader):
    buy(reader, "JP")
    page = desk.get(CHANGELIST).content.decode()
    assert "?shipping_country=GB" in page and "?shipping_country=JP" in page
    assert "?shipping_country=AF" not in page and "Afghanistan" not in page  # not every country there is


def test_the_order_page_shows_amounts_in_the_currency(desk, paid_order, reader):
    page = desk.get(f"/admin/orders/order/{paid_order.pk}/change/").content.decode()
    assert "GBP £52.98" in page and "GBP £48.99" in page and "52.980" not in page and "48.990" not in page
    # Each line's ISBN as the reader's order page and emails show it, which the desk's search takes.
    assert "978-0-415-54641-6" in page and "9780415546416" not in page
    japan = Order.objects.get(number=buy(reader, "JP"))
    page = desk.get(f"/admin/orders/order/{japan.pk}/change/").content.decode()
    assert japan.display(japan.total) in page and f"{japan.total}" not in page
    assert "Orders administration" in desk.get("/admin/orders/").content.decode()


def test_marking_shipped_asks_for_each_tracking_reference(desk, paid_order, django_capture_on_commit_callbacks):
    response = act(desk, "mark_shipped", [paid_order])
    assert response.status_code == 200 and f'name="tracking_{paid_order.pk}"' in response.content.decode()
    response = act(desk, "mark_shipped", [paid_order], apply="1", **{f"tracking_{paid_order.pk}": ""})
    assert "Give every order its tracking reference." in response.content.decode()
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = act(desk, "mark_shipped", [paid_order], apply="1", **{f"tracking_{paid_order.pk}": "RM123456GB"})
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.to == ["reader@example.com"] and email.subject == f"Your order {paid_order.number} has been shipped"
    assert "Tracking reference: RM123456GB" in email.body and paid_order.buyer_url() in email.body
    order = Order.objects.get(pk=paid_order.pk)
    assert (order.status, order.tracking_reference) == ("shipped", "RM123456GB")
    change = order.status_changes.last()
    assert (change.status, change.changed_by.username) == ("shipped", "olga")
    page = desk.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "RM123456GB" in page and "olga" in page
    assert "Confirmed" in page and str(order.payments.get().token) not in page  # the payment, without its key


def test_marking_shipped_asks_a_reference_only_for_the_paid_orders(desk, paid_order, reader):
    unpaid = Order.objects.get(number=buy(reader, "GB"))
    page = act(desk, "mark_shipped", [paid_order, unpaid]).content.decode()
    assert f'name="tracking_{paid_order.pk}"' in page and f'name="tracking_{unpaid.pk}"' not in page
    assert "left as it is" in text(act(desk, "mark_shipped", [paid_order, unpaid]))
    response = act(desk, "mark_shipped", [paid_order, unpaid], apply="1", **{f"tracking_{paid_order.pk}": "RM1GB"})
    assert response.status_code == 302
    assert {order.number: order.status for order in Order.objects.all()} == {
        paid_order.number: "shipped", unpaid.number: "awaiting_payment",
    }


def test_an_unpaid_order_is_cancelled_and_a_paid_one_refunded(
    desk, paid_order, reader, django_capture_on_commit_callbacks
):
    unpaid = Order.objects.get(number=buy(reader, "GB"))
    # First the orders and what will happen to each; nothing is done until that is confirmed.
    page = text(act(desk, "cancel", [unpaid, paid_order]))
    assert "Only orders awaiting payment can be cancelled" in page
    assert f"{unpaid.number} Ada Reader, reader@example.com Awaiting payment GBP £52.98 cancelled" in page
    assert f"{paid_order.number} Ada Reader, reader@example.com Paid GBP £52.98 left as it is" in page
    assert 'value="Cancel 1 of these"' in act(desk, "cancel", [unpaid, paid_order]).content.decode()
    assert Order.objects.get(pk=unpaid.pk).status == "awaiting_payment" and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        act(desk, "cancel", [unpaid, paid_order], apply="1")
    assert Order.objects.get(pk=unpaid.pk).status == "cancelled"
    assert Order.objects.get(pk=paid_order.pk).status == "paid"  # only awaiting payment can be cancelled
    [cancelled] = mail.outbox  # the buyer of the cancelled order only
    assert cancelled.subject == f"Your order {unpaid.number} has been cancelled"
    assert "nothing has been charged" in cancelled.body
    mail.outbox.clear()
    page = act(desk, "refund", [paid_order, unpaid]).content.decode()
    assert "A refund cannot be undone." in page and 'value="Refund 1 of these"' in page
    assert Order.objects.get(pk=paid_order.pk).status == "paid" and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        act(desk, "refund", [paid_order, unpaid], apply="1")
    order = Order.objects.get(pk=paid_order.pk)
    assert order.status == "refunded"
    assert order.payments.get().status == "refunded"
    assert [change.changed_by.username for change in order.status_changes.filter(changed_by__isnull=False)] == ["olga"]
    [refunded] = mail.outbox
    assert refunded.subject == f"Your order {paid_order.number} has been refunded"
    assert "refunded in full: GBP £52.98 goes back to the card you paid with" in refunded.body
    # The reader's order pages say so too, rather than thanking them for an order.
    page = normalize_space(reader.get(paid_order.buyer_url()).content.decode())
    assert f"Order {paid_order.number}: refunded" in page and "Thank you" not in page
    assert "refunded in full: GBP £52.98 goes back to the card you paid with" in page
    page = normalize_space(reader.get(unpaid.buyer_url()).content.decode())
    assert f"Order {unpaid.number}: cancelled" in page and "nothing has been charged" in page
    assert "Pay for this order" not in page and "Thank you" not in page


def test_recording_ebook_access_emails_the_reader(desk, reader, django_capture_on_commit_callbacks):
    number = buy(reader, "GB", isbn=EBOOK)
    order = Order.objects.get(number=number)
    page = reader.get(order.buyer_url()).content.decode()
    assert "eBooks: once the order is paid, we email you how to read them" in page
    url = f"/admin/orders/order/{order.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(url, {"ebook_access": "https://reader.example/redeem/ABC-123", **inline_management()})
    assert response.status_code == 302, response.content.decode()[:3000]
    [email] = mail.outbox
    assert "https://reader.example/redeem/ABC-123" in email.body and email.to == ["reader@example.com"]
    assert "https://reader.example/redeem/ABC-123" in reader.get(order.buyer_url()).content.decode()


def inline_management() -> dict:
    fields = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    return {f"{prefix}-{field}": "0" for prefix in ("lines", "status_changes", "payments") for field in fields}


def test_the_csv_export_has_the_tax_and_country_of_each_order(desk, paid_order, reader):
    ca = Order.objects.get(number=buy(reader, "CA"))
    response = act(desk, "export_csv", [paid_order, ca])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_number = {row["order number"]: row for row in rows}
    assert by_number[paid_order.number]["country"] == "GB"
    assert by_number[paid_order.number]["total"] == "52.98"  # on the currency's minor units
    canada = by_number[ca.number]
    assert (canada["country"], canada["currency"]) == ("CA", "CAD")
    assert Decimal(canada["tax added"]) == ca.tax_added > 0
    assert canada["taxes"].startswith("GST 5")


def test_text_that_a_spreadsheet_would_run_is_exported_as_text(desk, reader):
    number = buy(reader, "GB")
    Order.objects.filter(number=number).update(market="=HYPERLINK(\"http://evil\")")
    rows = list(csv.reader(io.StringIO(act(desk, "export_csv", Order.objects.all()).content.decode())))
    assert rows[1][5] == "'=HYPERLINK(\"http://evil\")"


def test_the_tax_export_sums_the_tax_collected_per_country_and_currency(
    desk, paid_order, reader, django_capture_on_commit_callbacks, django_assert_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        for country, isbn in (("GB", EBOOK), ("JP", EBOOK), ("JP", "9780415546416"), ("CA", EBOOK)):
            dummy_pay(reader, buy(reader, country, isbn=isbn))
    unpaid = buy(reader, "GB")  # nothing collected: not in the export
    response = act(desk, "export_tax_csv", Order.objects.all())
    assert response["Content-Disposition"] == 'attachment; filename="tax-by-country.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "country", "currency", "tax", "rate %", "tax in prices", "orders", "goods net of tax", "tax", "shipping",
        "total charged",
    ]
    # Each currency on its own minor units: pence, whole yen, cents.
    assert rows[1:] == [
        ["CA", "CAD", "GST", "5", "added", "1", "48.95", "2.45", "", ""],
        ["CA", "CAD", "total", "", "", "1", "48.95", "2.45", "0.00", "51.40"],
        ["GB", "GBP", "none", "0", "", "2", "76.98", "0.00", "", ""],
        ["GB", "GBP", "total", "", "", "2", "76.98", "0.00", "3.99", "80.97"],
        ["JP", "JPY", "consumption tax", "10", "included", "2", "15000", "1500", "", ""],
        ["JP", "JPY", "total", "", "", "2", "15000", "1500", "0", "16500"],
    ]
    with django_assert_num_queries(2):  # the orders and their lines, however many
        assert tax_by_country_rows(Order.objects.all()) == rows[1:]
    # The totals are those of the paid orders; the unpaid one is left out.
    paid = Order.objects.exclude(number=unpaid)
    for country, total in (("CA", "51.40"), ("GB", "80.97"), ("JP", "16500")):
        assert sum(order.total for order in paid.filter(shipping_country=country)) == Decimal(total)
