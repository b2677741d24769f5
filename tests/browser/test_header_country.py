"""The header's country selector in a real browser: change the country from a list page, on a desktop and a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_change_the_country_from_the_header_of_a_list_page(
    page, live_server, demo_catalog, artifacts, console_errors, name, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/authors/simon-pirani/")
    header = page.get_by_role("banner")
    selector = header.get_by_label("Shipping to")
    expect(selector).to_have_value("US")
    expect(selector).to_be_visible()
    selector.select_option("GB")
    header.get_by_role("button", name="Change shipping country").click()
    expect(page).to_have_url(f"{live_server.url}/authors/simon-pirani/?country=GB")
    expect(page.get_by_role("banner").get_by_label("Shipping to")).to_have_value("GB")
    expect(page.locator("h1")).to_have_text("Simon Pirani")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=artifacts / f"header-country-{name}.png")
    # Remembered: the product page now quotes British prices.
    page.get_by_role("link", name="The Russian Revolution in Retreat, 1920–24").first.click()
    expect(page.get_by_text("GBP £48.99")).to_be_visible()
    assert console_errors == []
