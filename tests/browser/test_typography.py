"""One type system: a serif for reading text, the system's sans-serif for interface, no downloaded fonts."""

import pytest
from playwright.sync_api import expect

from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READING = [".description .rich-text p", ".toc-list .toc-title", ".about-authors .rich-text"]
INTERFACE = [
    ".site-name",
    "#site-search-q",
    ".site-search button",
    "#header-country",
    "h1",
    ".price",
    ".price-basis",
    "#shipping-country",
    ".country-form button",
    ".toc-more summary",
    ".site-footer p",
]


def font_family(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("element => getComputedStyle(element).fontFamily")


def test_reading_text_is_serif_and_interface_is_sans_serif(page, live_server, demo_catalog, artifacts):
    fonts: list[str] = []
    page.on("request", lambda request: request.resource_type == "font" and fonts.append(request.url))
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/?country=GB")
    expect(page.get_by_text("GBP £48.99")).to_be_visible()
    reading = {selector: font_family(page, selector) for selector in READING}
    interface = {selector: font_family(page, selector) for selector in INTERFACE}
    for selector, family in reading.items():
        assert family.startswith("Charter,") and family.endswith(", serif"), (selector, family)
    for selector, family in interface.items():
        assert family.startswith("system-ui,") and family.endswith(", sans-serif"), (selector, family)
    # The two stacks really do come out as different faces on this machine.
    widths = page.evaluate(
        """() => ['.description .rich-text p', '.price-basis'].map(selector => {
            const probe = document.createElement('span');
            probe.textContent = 'Prices & shipping based on shipping country';
            probe.style.fontSize = '20px';  // the same size in both: only the face may differ
            probe.style.fontWeight = '400';
            document.querySelector(selector).append(probe);
            const width = probe.getBoundingClientRect().width;
            probe.remove();
            return width;
        })"""
    )
    assert abs(widths[0] - widths[1]) > 1, widths
    # No web font is declared or fetched: both stacks are the reader's own fonts.
    assert page.evaluate("document.fonts.size") == 0
    assert fonts == []
    page.locator(".price-basis").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "typography-product-page.png", full_page=True)


def test_the_author_page_biography_is_serif_and_its_book_list_is_not(page, live_server, demo_catalog):
    page.goto(f"{live_server.url}/authors/simon-pirani/")
    assert font_family(page, ".biography").endswith(", serif")
    assert font_family(page, ".book-card").endswith(", sans-serif")
    assert font_family(page, ".book-card-subtitle").endswith(", sans-serif")
