"""Buying the seed hardback as a reader does, in Chromium: in the United Kingdom and in Japan."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from demo.data import SEED_BOOK_SLUG
from orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
YEN = re.compile(r"^JPY ¥\d{1,3}(,\d{3})*$")  # whole yen, English digit grouping


@pytest.mark.parametrize(
    ("country", "country_name", "price", "total", "tax_line"),
    [
        # Books are zero-rated in the United Kingdom: no tax is named; GBP 3.99 shipping below GBP 50.
        ("GB", "United Kingdom", re.compile(r"^GBP £48\.99$"), re.compile(r"^GBP £52\.98$"), None),
        # Yen have no minor units; the consumption tax is included in the price.
        ("JP", "Japan", YEN, YEN, "consumption tax 10 % (included)"),
    ],
)
def test_a_reader_buys_the_seed_hardback_and_pays(
    page, live_server, demo_catalog, artifacts, console_errors, country, country_name, price, total, tax_line
):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/?country={country}")
    price_box = page.locator("#price-box")
    expect(price_box.locator(".price")).to_have_text(price)
    price_box.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_have_text("The Hardback is in your cart.")

    page.get_by_role("banner").get_by_role("link", name="Cart").click()
    expect(page.locator("h1")).to_have_text("Your cart")
    summary = page.locator(".order-summary")
    expect(summary).to_contain_text("Hardback · ISBN 978-0-415-54641-6")
    expect(summary.locator(".order-total td")).to_have_text(total)
    if tax_line:
        expect(summary.locator(".tax-line")).to_contain_text(tax_line)
    else:
        expect(summary.locator(".tax-line")).to_have_count(0)
    shown_total = summary.locator(".order-total td").inner_text().strip()

    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Email").fill("reader@example.com")
    page.get_by_label("Name").fill("Ada Reader")
    page.get_by_label("Address", exact=True).fill("1 Library Lane")
    page.get_by_label("Town or city").fill("London" if country == "GB" else "Kyoto")
    page.get_by_label("Postcode").fill("N1 9GU" if country == "GB" else "600-8216")
    expect(page.get_by_label("Country")).to_have_value(country)
    page.get_by_role("button", name="Continue to payment").click()

    # One step: the pay page carries the test provider's choices, set to pay, beside its one button.
    expect(page.locator("h1")).to_have_text(re.compile(r"^Order [A-Z0-9]{4}-[A-Z0-9]{4}$"))
    expect(page.get_by_role("group", name="Test payment")).to_be_visible()
    expect(page.get_by_label("Status", exact=True)).to_have_value("confirmed")
    expect(page.get_by_label("Fraud status")).to_have_value("accept")
    expect(page.get_by_label("Gateway response")).to_have_value("3ds-disabled")
    expect(page.get_by_role("button", name=re.compile(r"^Pay"))).to_have_count(1)
    page.get_by_role("button", name=f"Pay {shown_total}").click()

    expect(page.locator("h1")).to_have_text(re.compile(r"^Thank you: order "))
    expect(page.get_by_role("button", name=re.compile(r"^Pay"))).to_have_count(0)
    expect(page.locator(".order-status")).to_have_text("Status: Paid")
    expect(page.locator(".order-total td")).to_have_text(shown_total)
    page.screenshot(path=artifacts / f"order-confirmation-{country}.png", full_page=True)
    order = Order.objects.get()
    assert (order.status, order.shipping_country.code) == ("paid", country)
    [email] = mail.outbox
    assert email.to == ["reader@example.com"] and order.number in email.subject
    assert f"Total: {shown_total}" in email.body
    assert country_name in email.body
    assert (tax_line in email.body) if tax_line else ("VAT" not in email.body)
    assert console_errors == []


def test_the_cart_and_checkout_fit_a_phone(page, live_server, demo_catalog, artifacts):
    """At 390 px wide nothing scrolls sideways: the order summary turns from a table into a list."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/?country=JP")
    page.locator("#price-box").get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("status")).to_have_text("The Hardback is in your cart.")
    for path in ("/cart/", "/checkout/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator(".order-summary .order-total td")).to_have_text(YEN)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        page.screenshot(path=artifacts / f"phone-{path.strip('/')}.png", full_page=True)
    # The table's headings are hidden on a phone: the price says it is for each copy, and the
    # quantity says what it is.
    line = page.locator(".order-summary .order-line")
    expect(line.locator("td").nth(1)).to_contain_text(re.compile(r"^JPY ¥[\d,]+ each"))
    expect(line.locator("td").nth(2)).to_have_text("Quantity: 1")


def test_the_checkout_gives_the_order_summary_room_on_a_desktop(page, live_server, demo_catalog):
    """The summary beside the form keeps a book's title readable, not a word a line."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/?country=JP")
    page.locator("#price-box").get_by_role("button", name="Add to cart").click()
    page.goto(f"{live_server.url}/checkout/")
    title = page.locator(".order-summary .order-line td").first
    assert title.bounding_box()["width"] >= 250
    expect(title.locator(".line-format")).to_have_text("Hardback · ISBN 978-0-415-54641-6")
    assert title.locator(".line-format").bounding_box()["height"] < 30  # on one line
    # The headings on each side of the page line up.
    form_heading = page.locator(".checkout-form legend").bounding_box()
    summary_heading = page.locator("#summary-heading").bounding_box()
    assert abs(form_heading["y"] - summary_heading["y"]) <= 4
