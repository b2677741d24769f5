"""The drawn cover in Chromium: however long the title and the names, the text stays inside the frame."""

import pytest
from playwright.sync_api import expect

from tests.factories import AuthorFactory, BookFactory, ContributionFactory
from tests.storefront.test_cover_text import FIVE_AUTHORS, LONG_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_long_title_and_five_authors_stay_inside_the_frame(page, live_server, artifacts):
    book = BookFactory(title=LONG_TITLE, subtitle="Documents and Commentary", slug="long-title")
    for position, name in enumerate(FIVE_AUTHORS.split(", "), start=1):
        ContributionFactory(book=book, author=AuthorFactory(name=name), position=position)

    page.goto(f"{live_server.url}/books/{book.slug}/cover.svg")
    expect(page.locator("text").first).to_be_attached()
    boxes = page.evaluate(
        """() => {
            const frame = document.querySelector('rect.frame').getBBox();
            const texts = [...document.querySelectorAll('text')].map(text => {
                const box = text.getBBox();
                return {text: text.textContent, x: box.x, y: box.y, width: box.width, height: box.height};
            });
            return {frame: {x: frame.x, y: frame.y, width: frame.width, height: frame.height}, texts};
        }"""
    )
    frame = boxes["frame"]
    assert len(boxes["texts"]) > 8
    for box in boxes["texts"]:
        assert box["x"] >= frame["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"], box
        assert box["y"] >= frame["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"], box
    names = " ".join(box["text"] for box in boxes["texts"])
    assert "Wu Xiaoming" in names and "Hélène Marchand," in names
    page.screenshot(
        path=artifacts / "cover-long-title-five-authors.png", clip={"x": 0, "y": 0, "width": 400, "height": 600}
    )
