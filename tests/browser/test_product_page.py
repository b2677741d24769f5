"""The product page in a real browser."""

import pytest

from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_view_more_reveals_the_rest_of_the_table_of_contents(page, live_server, demo_catalog, artifacts):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    assert page.title().startswith("The Russian Revolution in Retreat, 1920–24")
    last_entry = page.get_by_text("Party Members’ Occupations")
    assert page.get_by_text("The NEP and Non-Partyism: Workers in 1921").is_visible()
    assert not last_entry.is_visible()

    page.get_by_text("View More").click()

    assert last_entry.is_visible()
    assert "Appendix 5. Party Members’ Occupations" in page.locator(".toc").inner_text().replace("\n", " ")
    page.screenshot(path=artifacts / "product-page-desktop.png", full_page=True)
    assert page.console_errors == []


def test_product_page_reads_on_a_phone(page, live_server, demo_catalog, artifacts):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("h1").inner_text().startswith("The Russian Revolution in Retreat")
    page.screenshot(path=artifacts / "product-page-phone.png", full_page=True)


def test_switching_the_shipping_country_changes_the_currency(page, live_server, demo_catalog, artifacts):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    price = page.locator("#price-box .price").first
    assert price.inner_text() == "USD $62.95"

    page.get_by_label("Shipping country").select_option("GB")
    page.get_by_role("button", name="Update").click()
    page.wait_for_url("**country=GB**")

    assert price.inner_text() == "GBP £48.99"
    assert "incl. VAT" in page.locator("#price-box").inner_text()
    # The choice is remembered: another page, no query, same country.
    page.goto(f"{live_server.url}/books/harbour-lights/")
    assert page.locator("#price-box .price").first.inner_text().startswith("GBP £")
    assert page.get_by_label("Shipping country").input_value() == "GB"
    assert page.console_errors == []
