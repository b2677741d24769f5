"""The admin on a phone, 390 pixels wide: the log-in page, the book list and the book page, the order
list and the order page fit the screen. Neither the page nor anything on it (a table, an inline)
scrolls sideways."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG
from tests.browser.conftest import log_in
from tests.editorial.conftest import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# Boxes that scroll sideways inside the page: wider content than they show. Visually hidden text
# (clipped on purpose) and textareas (which wrap) are not.
SCROLLING_SIDEWAYS = """() => [...document.querySelectorAll("body *")]
  .filter(element => !element.closest(".visually-hidden") && element.clientWidth > 1 && element.tagName !== "TEXTAREA"
    && ["auto", "scroll", "hidden"].includes(getComputedStyle(element).overflowX)
    && element.scrollWidth > element.clientWidth + 1)
  .map(element => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`
    + ` in ${element.parentElement.className}: ${element.scrollWidth} > ${element.clientWidth}`)"""

# Elements reaching past the screen's right edge, other than inside a box that clips them (which
# the check above covers).
PAST_THE_EDGE = """width => [...document.querySelectorAll("body *")]
  .filter(element => element.getClientRects().length && element.getBoundingClientRect().right > width + 0.5)
  .filter(element => {
    for (let box = element.parentElement; box; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return false;
    }
    return true;
  })
  .map(element => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`)"""


def fits_the_phone(page) -> None:
    # The widgets (the rich-text editors, the autocompletes) lay themselves out after the page has
    # loaded, slower on a busy machine: wait for the page to settle before reading its boxes.
    try:
        page.wait_for_function(f"() => !({SCROLLING_SIDEWAYS})().length", timeout=5000)
    except PlaywrightTimeoutError:
        pass  # the assertion below names what still scrolls
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    assert page.evaluate(SCROLLING_SIDEWAYS) == []
    assert page.evaluate(PAST_THE_EDGE, PHONE["width"]) == []


def test_the_admin_fits_a_phone(page, live_server, demo_catalog, artifacts):
    member_of("Catalog editors", "edith")
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    fits_the_phone(page)
    page.screenshot(path=artifacts / "admin-phone-login.png", full_page=True)
    log_in(page, live_server, "edith")

    # The book list: every book a card, its ISBNs and date on the screen.
    page.goto(f"{live_server.url}/admin/catalog/book/")
    seed_row = page.locator("#result_list tbody tr", has_text="The Russian Revolution in Retreat")
    expect(seed_row.locator(".field-isbns")).to_contain_text("978-0-415-54641-6")
    expect(seed_row.locator(".field-publication_date")).to_have_text("May 12, 2009")
    fits_the_phone(page)
    # The actions bar keeps "Run" and the subject it applies on the screen, one above the other.
    run = page.locator("#changelist .actions button[name=index]")
    expect(run).to_be_visible()
    subject = page.locator("#changelist .actions .select2-container")
    assert subject.bounding_box()["y"] + subject.bounding_box()["height"] <= run.bounding_box()["y"]
    page.screenshot(path=artifacts / "admin-phone-book-list.png", full_page=True)

    # The book page, with its contributors, formats, prices and contents.
    page.goto(f"{live_server.url}/admin/catalog/book/{book.pk}/change/")
    expect(page.locator(".field-description .prose-editor .ProseMirror")).to_be_visible()
    expect(page.locator("#toc_entries-group tbody tr.form-row:not(.empty-form)")).to_have_count(16)
    fits_the_phone(page)
    # Each box shows all it holds: the ISBN, the contents' titles.
    isbn = page.locator("#id_formats-0-isbn")
    expect(isbn).to_have_value("9780415546416")
    assert isbn.evaluate("input => input.scrollWidth <= input.clientWidth")
    assert page.locator("#id_toc_entries-0-title").bounding_box()["width"] > 300
    # A heading stays above its box: "ISBN" over the ISBN, "Role" over the role.
    for heading, box in (("#formats-group th.column-isbn", isbn), ("#contributions-group th.column-role",
                         page.locator("#id_contributions-0-role"))):
        heading_box, field_box = page.locator(heading).bounding_box(), box.bounding_box()
        assert heading_box["x"] == pytest.approx(field_box["x"], abs=2), heading
        assert heading_box["y"] < field_box["y"], heading
    page.screenshot(path=artifacts / "admin-phone-book-page.png", full_page=True)


@pytest.fixture
def order_desk(page, live_server, demo_catalog):
    """Log in on a phone as "olga" of the Order managers (not a superuser), with the demo's orders:
    a function that opens an admin address once logged in."""
    from demo.services import demo_orders_load

    demo_orders_load()
    member_of("Order managers", "olga")
    page.set_viewport_size(PHONE)

    def open_page(path: str) -> None:
        page.goto(f"{live_server.url}/admin/login/?next={path}")
        log_in(page, live_server, "olga", landing=path)

    return open_page


def test_the_order_list_fits_a_phone(page, order_desk, artifacts):
    order_desk("/admin/orders/order/")
    # Each order a card: its number, total, status, country and buyer all on the screen.
    row = page.locator("#result_list tbody tr", has_text="DEMO-0001")
    expect(row.locator(".field-total_display")).to_have_text("GBP £52.98")
    for field in ("number", "status", "shipping_country", "email", "created"):
        assert row.locator(f".field-{field}").bounding_box()["x"] + 10 < PHONE["width"], field
    fits_the_phone(page)
    page.screenshot(path=artifacts / "admin-phone-orders.png", full_page=True)


def test_the_order_page_fits_a_phone(page, order_desk, artifacts):
    from orders.models import Order

    order = Order.objects.get(number="DEMO-0001")  # shipped: a line, three status changes, a payment
    order_desk(f"/admin/orders/order/{order.pk}/change/")
    lines = page.locator("#lines-group tbody tr.form-row")
    expect(lines).to_have_count(1)
    expect(page.locator("#status_changes-group tbody tr.form-row")).to_have_count(3)
    expect(page.locator("#payments-group tbody tr.form-row")).to_have_count(1)
    fits_the_phone(page)
    # Each row a card: a line's title across it, readable, not a word a line.
    title = lines.first.locator("td.field-title")
    expect(title).to_contain_text("The Russian Revolution in Retreat")
    assert title.bounding_box()["width"] > 300
    expect(lines.first.locator("td.field-unit_price_display")).to_have_text("GBP £48.99")
    expect(lines.first.locator("td.field-isbn_display")).to_have_text("978-0-415-54641-6")
    # A heading stays above its box: "Unit price" over the price, "Note" over the first change's note.
    for heading, box in (
        ("#lines-group th.column-unit_price_display", "#lines-0 td.field-unit_price_display"),
        ("#lines-group th.column-isbn_display", "#lines-0 td.field-isbn_display"),
        ("#status_changes-group th.column-note", "#status_changes-0 td.field-note"),
        ("#payments-group th.column-total_display", "#payments-0 td.field-total_display"),
    ):
        heading_box, field_box = page.locator(heading).bounding_box(), page.locator(box).bounding_box()
        assert heading_box["x"] == pytest.approx(field_box["x"], abs=2), heading
        assert heading_box["y"] < field_box["y"], heading
    page.screenshot(path=artifacts / "admin-phone-order-page.png", full_page=True)


def test_the_order_page_on_a_desktop_has_no_caption_above_each_row(page, order_desk, artifacts):
    """Each line, status change and payment is one row of its table: no caption repeating its text above it."""
    from orders.models import Order

    order = Order.objects.get(number="DEMO-0001")
    order_desk(f"/admin/orders/order/{order.pk}/change/")
    page.set_viewport_size({"width": 1366, "height": 900})
    for group in ("lines", "status_changes", "payments"):
        caption = page.locator(f"#{group}-0 td.original p")
        expect(caption).to_be_hidden()
        row = page.locator(f"#{group}-0").bounding_box()
        assert row["height"] < 80, group  # one line of text a row, not a caption and then the row
    # The ISBN on one line, as high as the quantity beside it.
    isbn, quantity = (
        page.locator(f"#lines-0 td.field-{name} p").bounding_box() for name in ("isbn_display", "quantity")
    )
    assert isbn["height"] == pytest.approx(quantity["height"], abs=1)
    page.screenshot(path=artifacts / "admin-order-page.png", full_page=True)
