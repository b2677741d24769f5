"""The storefront in a real browser: search, accessibility (axe-core), screenshots for the README."""

import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_from_the_home_page_reaches_the_product_page(page, live_server, demo_catalog, console_errors):
    page.goto(live_server.url)
    page.get_by_role("searchbox", name="Search books").fill("Kronshtadt")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page).to_have_url(f"{live_server.url}/search/?q=Kronshtadt")
    expect(page.locator("main")).to_contain_text("1 book found.")
    page.get_by_role("link", name="The Russian Revolution in Retreat, 1920–24").click()
    expect(page).to_have_url(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    expect(page.locator("h1")).to_contain_text(re.compile(r"^The Russian Revolution in Retreat, 1920–24"))
    assert console_errors == []


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
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    for landmark in ("banner", "main", "contentinfo", "navigation"):
        expect(page.get_by_role(landmark).first).to_be_attached()


def test_focus_is_visible_on_keyboard_navigation(page, live_server, demo_catalog):
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/")
    page.keyboard.press("Tab")  # the skip link
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_css("outline-style", "solid")


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_product_page_screenshots(page, live_server, demo_catalog, artifacts, readme_images, name, width, height):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/books/{SEED_BOOK_SLUG}/?country=GB")
    page.get_by_text("View More").click()
    expect(page.get_by_text("Party Members’ Occupations")).to_be_visible()
    expect(page.get_by_text("GBP £48.99")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    path = artifacts / f"product-page-{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000
    if readme_images:  # only when asked: `uv run pytest tests/browser -k screenshots --update-readme-images`
        shutil.copyfile(path, readme_images / path.name)
