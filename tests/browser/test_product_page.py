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


def test_view_less_sits_after_the_last_entry_when_open(page, live_server, demo_catalog, artifacts):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    toggle = page.locator(".toc-more > summary")
    last_entry = page.locator(".toc-entry").last
    expect(toggle).to_have_text("View More", use_inner_text=True)
    # Closed, the toggle follows the fifth entry.
    assert toggle.bounding_box()["y"] >= page.locator(".toc-entry").nth(4).bounding_box()["y"]

    toggle.click()

    expect(toggle).to_have_text("View Less", use_inner_text=True)
    expect(last_entry).to_contain_text("Party Members’ Occupations")
    expect(last_entry).to_be_visible()
    entry_box, toggle_box = last_entry.bounding_box(), toggle.bounding_box()
    assert toggle_box["y"] >= entry_box["y"] + entry_box["height"]
    # And below every other entry too: nothing is cut off from the rest of the list.
    bottoms = page.locator(".toc-entry").evaluate_all("entries => entries.map(e => e.getBoundingClientRect().bottom)")
    assert len(bottoms) == 16
    assert toggle_box["y"] >= max(bottoms) - 0.5
    page.locator(".toc").screenshot(path=artifacts / "toc-view-less-after-last-entry.png")

    toggle.click()

    expect(toggle).to_have_text("View More", use_inner_text=True)
    expect(last_entry).to_be_hidden()


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


def test_on_a_phone_update_returns_to_the_price_box_without_javascript(browser, live_server, demo_catalog, artifacts):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    update = page.get_by_role("button", name="Update")
    # Not the main action: an outlined button, not the accent-filled one (the accent is #8a1c2b).
    styles = update.evaluate("b => { const s = getComputedStyle(b); return [s.backgroundColor, s.fontWeight]; }")
    assert styles == ["rgb(255, 255, 255)", "400"]

    page.get_by_label("Shipping country").select_option("GB")
    update.click()

    expect(page).to_have_url(re.compile(r"[?&]country=GB#price-box$"))
    expect(page.locator("#price-box .price").first).to_have_text("GBP £48.99")
    expect(page.locator("#price-box")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    page.screenshot(path=artifacts / "price-box-after-update-phone.png")
    context.close()
