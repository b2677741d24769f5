"""The book's change page in a real browser: fields sized for their content, contents as a compact table."""

import pytest
from playwright.sync_api import expect

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def book_page(catalog_editor_page, live_server):
    page = catalog_editor_page
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/admin/catalog/book/{book.pk}/change/")
    return page


def width(page, selector: str) -> float:
    return page.locator(selector).bounding_box()["width"]


def test_title_fields_and_contents_rows_are_sized_for_their_text(book_page, artifacts):
    page = book_page
    # A whole title fits in its box: the box is wider than the text it holds.
    for field in ("title", "subtitle", "slug"):
        box = page.locator(f"#id_{field}")
        assert box.evaluate("input => input.scrollWidth <= input.clientWidth"), field
        assert width(page, f"#id_{field}") >= 600, field
    # Contents rows: label narrow, title wide, and no caption repeated above each row.
    assert width(page, "#id_toc_entries-0-label") < 160
    assert width(page, "#id_toc_entries-0-title") > 3 * width(page, "#id_toc_entries-0-label")
    assert page.locator("#toc_entries-group td.original p").first.is_hidden()
    first, second = (page.locator(f"#toc_entries-{n}").bounding_box() for n in (0, 1))
    assert second["y"] - first["y"] < 50  # one line of inputs a row
    page.screenshot(path=artifacts / "book-form.png", full_page=True)
    # Fieldsets and the order of the page keep the seed book's page short.
    assert page.evaluate("document.documentElement.scrollHeight") < 3600


def test_a_pasted_contents_shows_its_split_beside_the_box_without_an_error(book_page, artifacts):
    page = book_page
    page.get_by_text("Paste a table of contents").click()
    page.locator("#id_toc_paste").fill("Introduction: A Pasted Beginning\n1. A Pasted Chapter")
    page.get_by_role("button", name="Save and continue editing").click()
    preview = page.locator(".toc-preview")
    expect(preview).to_contain_text("A Pasted Chapter")
    expect(page.locator(".errornote")).to_have_count(0)
    expect(page.locator(".errorlist")).to_have_count(0)
    expect(page.locator("#id_toc_paste")).to_be_visible()
    confirm = page.locator("#id_toc_paste_confirm")
    expect(confirm).to_be_visible()
    # Right below the confirmation, within a screen of it.
    gap = preview.bounding_box()["y"] - confirm.bounding_box()["y"]
    assert 0 < gap < 200
    preview.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "book-form-pasted-contents.png")
    confirm.check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("now has the 2 pasted entries")
