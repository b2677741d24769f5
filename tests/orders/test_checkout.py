"""Checkout: email and address, re-pricing for the address's country, one order per form, privacy."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from catalog.models import Format
from orders.models import Order, OrderStatusChange
from orders.security import wait_wording
from tests.conftest import normalize_space
from tests.orders.conftest import ADDRESS, SEED_HARDBACK, add_to_cart, buy, checkout_form, place_order

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return normalize_space(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_checkout_places_an_order_with_a_snapshot_of_each_line(reader):
    number = buy(reader, "GB")
    order = Order.objects.get(number=number)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", number)
    assert (order.status, order.currency, order.market) == ("awaiting_payment", "GBP", "United Kingdom")
    assert (order.subtotal, order.shipping, order.tax_added, order.total) == (
        Decimal("48.99"), Decimal("3.99"), Decimal("0"), Decimal("52.98")
    )
    [line] = order.lines.all()
    assert (line.isbn, line.binding, line.quantity, line.unit_price, line.tax_name, line.tax_included) == (
        SEED_HARDBACK, "BB", 1, Decimal("48.99"), "VAT", True
    )
    assert line.title.startswith("The Russian Revolution in Retreat, 1920–24")
    assert line.price_source == "set" and line.price_explanation == "Set price in United Kingdom."
    assert [change.status for change in order.status_changes.all()] == ["awaiting_payment"]
    assert (order.email, order.shipping_city, order.shipping_country.code) == ("reader@example.com", "London", "GB")
    # The cart is emptied; the order is the reader's to pay.
    assert "Your cart is empty" in text(reader.get("/cart/"))
    assert "Pay GBP £52.98" in text(reader.get(f"/orders/{number}/pay/"))


def test_a_later_price_change_never_alters_the_order(reader):
    number = buy(reader, "GB")
    Format.objects.get(isbn=SEED_HARDBACK).prices.filter(market__name="United Kingdom").update(amount=Decimal("99.99"))
    Format.objects.get(isbn=SEED_HARDBACK).book.__class__.objects.update(title="Renamed")
    order = Order.objects.get(number=number)
    assert order.lines.get().unit_price == Decimal("48.99")
    assert order.lines.get().title.startswith("The Russian Revolution")
    assert order.total == Decimal("52.98")


def test_another_country_in_the_address_reprices_the_order_and_shows_it_again(reader):
    reader.get("/cart/?country=GB")
    add_to_cart(reader)
    form = checkout_form(reader)
    response = reader.post("/checkout/", {**form, **ADDRESS, "shipping_country": "JP"})
    assert response.status_code == 200
    page = text(response)
    assert "Your order is now priced for shipping to Japan, not United Kingdom." in page
    assert "JPY ¥" in page and "Your order, shipped to Japan" in page
    assert not Order.objects.exists()
    assert 'name="priced_for" value="JP"' in response.content.decode()
    # From now on the store ships to Japan: the header says so, and the cart is priced there.
    header = response.content.decode().split('id="header-country"')[1].split("</select>")[0]
    assert re.search(r'<option value="JP" selected>Japan</option>', header), header[:300]
    assert response.cookies["shipping_country"].value == "JP"
    assert "JPY ¥" in text(reader.get("/cart/"))
    # Continuing with the summary shown places the order in yen.
    response = reader.post("/checkout/", {**form, **ADDRESS, "priced_for": "JP", "shipping_country": "JP"})
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.currency, order.shipping_country.code, order.lines.get().tax_name) == ("JPY", "JP", "consumption tax")
    assert order.total == order.total.quantize(Decimal(1))


def test_submitting_the_checkout_twice_makes_one_order(reader):
    reader.get("/cart/?country=GB")
    add_to_cart(reader)
    form = {**checkout_form(reader), **ADDRESS, "shipping_country": "GB"}
    first = reader.post("/checkout/", form)
    second = reader.post("/checkout/", form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    assert OrderStatusChange.objects.count() == 1


def test_invalid_input_is_shown_again_escaped_and_nothing_is_lost(reader):
    reader.get("/cart/?country=GB")
    add_to_cart(reader)
    hostile = '<script>alert("x")</script>'
    form = {**checkout_form(reader), **ADDRESS, "email": hostile, "shipping_name": hostile, "shipping_country": "GB"}
    response = reader.post("/checkout/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert hostile not in page
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"' in page  # kept in the form, escaped
    assert "Enter a valid email address." in page
    assert 'value="1 Library Lane"' in page
    response = reader.post("/checkout/", {**form, "email": "reader@example.com", "shipping_country": "ZZ"})
    assert response.status_code == 400 and "Select a valid choice." in text(response)
    assert not Order.objects.exists()


def test_checkout_needs_the_csrf_token(demo_catalog):
    browser = Client(enforce_csrf_checks=True)
    browser.get("/cart/?country=GB")
    add_to_cart(browser)
    form = {**checkout_form(browser), **ADDRESS, "shipping_country": "GB"}
    assert browser.post("/checkout/", form).status_code == 403
    assert not Order.objects.exists()


def test_checkout_is_rate_limited(reader, settings):
    settings.BOOKSTORE_CHECKOUT_RATE_LIMIT = 3
    reader.get("/cart/?country=GB")
    add_to_cart(reader)
    form = {**checkout_form(reader), **ADDRESS, "email": "not an address", "shipping_country": "GB"}
    assert [reader.post("/checkout/", form).status_code for _ in range(4)] == [400, 400, 400, 429]
    response = reader.post("/checkout/", form)
    assert response.status_code == 429 and response["Retry-After"] == "600"
    assert "Too many attempts" in text(response) and "Please wait 10 minutes" in text(response)


def test_the_rate_limit_and_its_window_are_settings(reader, settings):
    settings.BOOKSTORE_CHECKOUT_RATE_LIMIT, settings.BOOKSTORE_CHECKOUT_RATE_WINDOW = 1, 90
    reader.get("/cart/?country=GB")
    add_to_cart(reader)
    form = {**checkout_form(reader), **ADDRESS, "email": "not an address", "shipping_country": "GB"}
    assert [reader.post("/checkout/", form).status_code for _ in range(2)] == [400, 429]
    response = reader.post("/checkout/", form)
    assert response["Retry-After"] == "90" and "Please wait 2 minutes" in text(response)
    settings.BOOKSTORE_CHECKOUT_RATE_LIMIT = 0  # no limit
    assert [reader.post("/checkout/", form).status_code for _ in range(3)] == [400, 400, 400]


@pytest.mark.parametrize(
    ("seconds", "wording"),
    [(1, "1 second"), (45, "45 seconds"), (60, "1 minute"), (61, "2 minutes"), (600, "10 minutes")],
)
def test_the_wait_is_told_in_words(seconds, wording):
    assert wait_wording(seconds) == wording


def test_another_visitor_can_neither_see_nor_pay_nor_change_an_order(reader):
    number = buy(reader, "GB")
    stranger = Client()
    stranger.get("/cart/?country=GB")
    for url in (f"/orders/{number}/", f"/orders/{number}/pay/", f"/orders/{number}/payment/"):
        assert stranger.get(url).status_code == 404
        assert stranger.post(url, {"total": "52.98"}).status_code in (404, 405)
        assert stranger.get(url + "?key=forged").status_code == 404
    assert stranger.get(f"/orders/{number}/?key={Order.objects.get().buyer_key()[:-1]}x").status_code == 404
    # Another visitor's checkout key does not reach the order either.
    order = Order.objects.get()
    add_to_cart(stranger)
    form = {**checkout_form(stranger), **ADDRESS, "shipping_country": "GB", "checkout_key": order.checkout_key}
    response = stranger.post("/checkout/", form)
    assert response.status_code == 409 and "This form had expired" in text(response)
    assert Order.objects.count() == 1 and not order.payments.exists()


def test_the_signed_link_opens_the_order_in_any_browser(reader):
    number = buy(reader, "GB")
    link = Order.objects.get(number=number).buyer_url()
    other_browser = Client()
    page = text(other_browser.get(link))
    assert f"Order {number}: awaiting payment" in page
    assert other_browser.get(f"/orders/{number}/pay/").status_code == 200  # remembered for this session


@pytest.mark.parametrize("lines", [1, 8])
def test_checkout_and_order_pages_run_the_same_queries_however_many_lines(
    reader, django_assert_num_queries, lines
):
    reader.get("/cart/?country=US")
    for isbn in Format.objects.order_by("isbn").values_list("isbn", flat=True)[:lines]:
        add_to_cart(reader, isbn)
    # The session, the formats, their sales rights, their prices, and the session saved with a new
    # checkout key (savepoint, update, release); shown again, the same without the save.
    with django_assert_num_queries(7):
        reader.get("/checkout/")
    with django_assert_num_queries(4):
        assert reader.get("/checkout/").status_code == 200
    number = place_order(reader, "US")["Location"].split("/")[2]
    assert Order.objects.get(number=number).lines.count() == lines
    with django_assert_num_queries(3):  # session, order, lines
        assert reader.get(f"/orders/{number}/pay/").status_code == 200
    with django_assert_num_queries(3):
        assert reader.get(f"/orders/{number}/").status_code == 200


def test_placing_and_paying_an_order_runs_as_many_queries_for_8_lines_as_for_1(demo_catalog, settings):
    """Each step of the purchase path, POSTs included, is flat in the number of lines."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.orders.conftest import dummy_pay

    def counts(lines: int) -> dict[str, int]:
        browser = Client()
        browser.get("/cart/?country=US")
        steps = {}
        isbns = list(Format.objects.order_by("isbn").values_list("isbn", flat=True)[:lines])
        for isbn in isbns:
            add_to_cart(browser, isbn)
        with CaptureQueriesContext(connection) as add:
            add_to_cart(browser, isbns[0])  # a cart of `lines` lines gets another copy
        steps["add to cart"] = len(add)
        browser.get("/cart/")
        with CaptureQueriesContext(connection) as cart:
            browser.get("/cart/")
        steps["cart"] = len(cart)
        form = checkout_form(browser)
        with CaptureQueriesContext(connection) as place:
            number = browser.post("/checkout/", {**form, **ADDRESS, "shipping_country": "US"})["Location"].split("/")[2]
        steps["checkout POST"] = len(place)
        with CaptureQueriesContext(connection) as pay:
            dummy_pay(browser, number)
        steps["pay POST"] = len(pay)
        with CaptureQueriesContext(connection) as confirmation:
            browser.get(f"/orders/{number}/")
        steps["confirmation"] = len(confirmation)
        assert Order.objects.get(number=number).lines.count() == lines
        return steps

    one, eight = counts(1), counts(8)
    assert one == eight, (one, eight)


@pytest.mark.parametrize("number", ["%00", "ABCD-EFG%00", "abcd-efgh", "ABCD-EFGHJ", "ABCD-EFG0", "x" * 300])
def test_an_address_that_is_no_order_number_is_a_404(client, number):
    """Not even asked of the database: PostgreSQL refuses a NUL byte in a query (a 500 before)."""
    for suffix in ("", "pay/", "payment/"):
        assert client.get(f"/orders/{number}/{suffix}").status_code == 404
