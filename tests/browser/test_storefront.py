"""The storefront in a real browser: search, accessibility (axe-core), screenshots for the README."""

import shutil
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_search_from_the_home_page_reaches_the_product_page(page, live_server, demo_catalog):
    page.goto(live_server.url)
    page.get_by_role("searchbox", name="Search books").fill("Kronshtadt")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=Kronshtadt")
    assert "1 book found." in page.locator("main").inner_text()
    page.get_by_role("link", name="The Russian Revolution in Retreat, 1920–24").click()
    page.wait_for_url(f"**/books/{SEED_BOOK_SLUG}/")
    assert page.locator("h1").inner_text().startswith("The Russian Revolution in Retreat, 1920–24")
    assert page.console_errors == []


@pytest.mark.parametrize(
    "path",
    ["/", f"/books/{SEED_BOOK_SLUG}/", "/authors/simon-pirani/", "/search/?q=history", "/subjects/russian-history/",
     "/books/no-such-book/"],
)
def test_no_serious_accessibility_violations(page, live_server, demo_catalog, path):
    page.goto(live_server.url + path)
    violations = Axe().run(page).response["violations"]
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in violations
        if violation["impact"] in {"serious", "critical"}
    ]
    assert serious == []
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == "en"
    for landmark in ("banner", "main", "contentinfo", "navigation"):
        assert page.get_by_role(landmark).count() >= 1, landmark


def test_focus_is_visible_on_keyboard_navigation(page, live_server, demo_catalog):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    page.keyboard.press("Tab")  # the skip link
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_product_page_screenshots(page, live_server, demo_catalog, artifacts, name, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/?country=GB")
    page.get_by_text("View More").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.get_by_text("GBP £48.99").is_visible()
    path = artifacts / f"product-page-{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000
    if DOCS.exists():  # keep the README's pictures current when run in a checkout
        shutil.copyfile(path, DOCS / path.name)
