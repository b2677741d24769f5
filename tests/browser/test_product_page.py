"""The product page in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_view_more_reveals_the_rest_of_the_table_of_contents(
    page, live_server, demo_catalog, console_errors, artifacts
):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    expect(page).to_have_title(re.compile(r"^The Russian Revolution in Retreat, 1920–24"))
    last_entry = page.get_by_text("Party Members’ Occupations")
    expect(page.get_by_text("The NEP and Non-Partyism: Workers in 1921")).to_be_visible()
    expect(last_entry).to_be_hidden()

    page.get_by_text("View More").click()

    expect(last_entry).to_be_visible()
    expect(page.locator(".toc")).to_contain_text(re.compile(r"Appendix 5\.\s+Party Members’ Occupations"))
    page.screenshot(path=artifacts / "toc-view-more.png", full_page=True)
    assert console_errors == []


def test_product_page_reads_on_a_phone(page, live_server, demo_catalog, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    expect(page.locator("h1")).to_contain_text(re.compile(r"^The Russian Revolution in Retreat"))
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "product-page-narrow.png", full_page=True)


def test_switching_the_shipping_country_changes_the_currency(page, live_server, demo_catalog, console_errors):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    price = page.locator("#price-box .price").first
    expect(price).to_have_text("USD $62.95")

    page.get_by_label("Shipping country").select_option("GB")
    page.get_by_role("button", name="Update").click()
    expect(page).to_have_url(re.compile(r"[?&]country=GB"))

    expect(price).to_have_text("GBP £48.99")
    expect(page.locator("#price-box")).not_to_contain_text("VAT")  # UK books are zero-rated
    # The choice is remembered: another page, no query, same country.
    page.goto(f"{live_server.url}/books/harbour-lights/")
    expect(page.locator("#price-box .price").first).to_have_text(re.compile(r"^GBP £"))
    expect(page.get_by_label("Shipping country")).to_have_value("GB")
    assert console_errors == []
