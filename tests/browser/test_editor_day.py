"""An editor's day in a real browser: log in, find a book by ISBN, fix it, see it on the site."""

import re

import pytest
from playwright.sync_api import expect

from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAPERBACK_ISBN = "978-1-911001-99-7"


def test_a_catalog_editor_corrects_contents_and_adds_a_paperback(catalog_editor_page, live_server, artifacts):
    page = catalog_editor_page
    page.locator("#content-main").get_by_role("link", name="Books", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/admin/catalog/book/")

    page.locator("#searchbar").fill("978-0-415-54641-6")
    page.locator("#changelist-search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=978-0-415-54641-6"))
    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(1)
    results.get_by_role("link", name="The Russian Revolution in Retreat, 1920–24").click()
    expect(page).to_have_url(re.compile(r"/admin/catalog/book/\d+/change/"))

    page.locator("#id_toc_entries-2-title").fill("Sweet Visions and Bitter Clashes: The Party, July–December 1920")
    page.locator("#formats-group").get_by_role("button", name="Add another Format").click()
    page.locator("#id_formats-1-binding").select_option(label="Paperback")
    page.locator("#id_formats-1-isbn").fill(PAPERBACK_ISBN)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.get_by_role("link", name="View on site").click()
    expect(page).to_have_url(re.compile(rf"/books/{SEED_BOOK_SLUG}/"))
    box = page.locator("#price-box")
    expect(box).to_contain_text("Paperback")
    expect(box).to_contain_text(f"ISBN {PAPERBACK_ISBN}")
    expect(page.get_by_text("Sweet Visions and Bitter Clashes: The Party, July–December 1920")).to_be_visible()
    page.screenshot(path=artifacts / "editor-day-product-page.png", full_page=True)
