"""An editor's day in a real browser: log in, find a book by ISBN, fix it, see it on the site."""

import pytest
from django.contrib.auth.models import Group, User

from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAPERBACK_ISBN = "978-1-911001-99-7"


def test_a_catalog_editor_corrects_contents_and_adds_a_paperback(page, live_server, demo_catalog, artifacts):
    editor = User.objects.create_user("edith", password="a long editor password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Catalog editors"))

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("a long editor password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.locator("#content-main").get_by_role("link", name="Books", exact=True).click()
    page.wait_for_url("**/admin/catalog/book/")

    page.locator("#searchbar").fill("978-0-415-54641-6")
    page.locator("#changelist-search").get_by_role("button", name="Search").click()
    page.wait_for_url("**q=978-0-415-54641-6**")
    page.locator("#result_list").get_by_role("link", name="The Russian Revolution in Retreat, 1920–24").click()
    page.wait_for_url("**/change/**")

    page.locator("#id_toc_entries-2-title").fill("Sweet Visions and Bitter Clashes: The Party, July–December 1920")
    page.locator("#formats-group").get_by_role("button", name="Add another Format").click()
    page.locator("#id_formats-1-binding").select_option(label="Paperback")
    page.locator("#id_formats-1-isbn").fill(PAPERBACK_ISBN)
    page.get_by_role("button", name="Save and continue editing").click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.get_by_role("link", name="View on site").click()
    page.wait_for_url(f"**/books/{SEED_BOOK_SLUG}/**")
    box = page.locator("#price-box").inner_text()
    assert "Paperback" in box and f"ISBN {PAPERBACK_ISBN}" in box
    assert page.get_by_text("Sweet Visions and Bitter Clashes: The Party, July–December 1920").is_visible()
    page.screenshot(path=artifacts / "editor-day-product-page.png", full_page=True)
