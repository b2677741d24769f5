"""The Content-Security-Policy in a real browser: reader pages and an editor's admin run without a violation.

Chromium enforces the policy the store sends; a script, style or image it blocks raises a
`securitypolicyviolation` event in the page and an error on the console. Both are collected for
every page opened, and must stay empty. The last two tests show that they do not stay empty when
a page breaks the policy, so an empty list means something.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG
from tests.browser.conftest import log_in
from tests.editorial.conftest import member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def test_reader_pages_run_under_the_policy(page, live_server, demo_catalog, problems):
    pages = [
        ("/", 200, "New books"),
        (f"/books/{SEED_BOOK_SLUG}/", 200, "The Russian Revolution in Retreat"),
        ("/authors/simon-pirani/", 200, "Simon Pirani"),
        ("/search/?q=Kronshtadt", 200, "1 book found."),
        ("/books/no-such-book/", 404, "Page not found"),
    ]
    for path, status, text in pages:
        if status == 404:
            problems.not_found_on_purpose.add(live_server.url + path)
        response = page.goto(live_server.url + path)
        assert response.status == status
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        expect(page.locator("main")).to_contain_text(text)
        # The site's stylesheet applied: the header is laid out as a flex row by site.css.
        expect(page.locator(".site-header .wrap")).to_have_css("display", "flex")
        # Every cover image loaded (the policy allows the store's own images).
        for cover in page.locator("img.cover").all():
            expect(cover).to_have_js_property("complete", True)
            assert cover.evaluate("image => image.naturalWidth") > 0
    assert problems.found() == []


def test_an_editors_admin_runs_under_the_policy(page, live_server, demo_catalog, problems):
    member_of("Catalog editors", "edith")
    book = Book.objects.get(slug=SEED_BOOK_SLUG)

    response = page.goto(f"{live_server.url}/admin/login/")
    assert re.search(r"script-src 'nonce-[\w-]+'", response.headers["content-security-policy"])
    log_in(page, live_server, "edith")

    # The book list, with its autocomplete filter by publisher in the sidebar.
    page.goto(f"{live_server.url}/admin/catalog/book/")
    expect(page.locator("#result_list tbody tr").first).to_be_visible()
    # The autocomplete fills the filter's width without the style attribute the policy forbids.
    publisher_filter = page.locator("#changelist-filter form.autocomplete-filter").first
    width_of = "element => Math.round(element.getBoundingClientRect().width)"
    assert publisher_filter.locator(".select2-container").evaluate(width_of) == publisher_filter.evaluate(width_of)
    publisher_filter.locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Routl")
    page.locator(".select2-results__option", has_text="Routledge").click()
    publisher_filter.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"publisher=\d+"))
    expect(page.locator("#result_list")).to_contain_text("The Russian Revolution in Retreat")

    # The book form: an inline row added, an author chosen in its autocomplete, a contents pasted.
    page.goto(f"{live_server.url}/admin/catalog/book/{book.pk}/change/")
    contributors = page.locator("#contributions-group")
    rows_before = contributors.locator("tr.form-row:not(.empty-form)").count()
    contributors.get_by_role("button", name=re.compile(r"Add another")).click()
    expect(contributors.locator("tr.form-row:not(.empty-form)")).to_have_count(rows_before + 1)
    new_row = contributors.locator("tr.form-row.dynamic-contributions").last
    new_row.locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("eller")
    page.locator(".select2-results__option", has_text="Margaret Ellery").click()
    expect(new_row.locator(".select2-selection__rendered")).to_contain_text("Margaret Ellery")
    new_row.locator(".inline-deletelink").click()
    expect(contributors.locator("tr.form-row:not(.empty-form)")).to_have_count(rows_before)

    # "Add another publisher" opens a pop-up of the store's own; its answer reaches back to this
    # window (same origin, so Cross-Origin-Opener-Policy keeps the link) and fills the field.
    with page.expect_popup() as popup_opened:
        page.locator("#add_id_publisher").click()
    popup = popup_opened.value
    popup.get_by_label("Name").fill("Kronstadt Press")
    popup.get_by_role("button", name="Save", exact=True).click()
    popup.wait_for_event("close")
    expect(page.locator("#select2-id_publisher-container")).to_contain_text("Kronstadt Press")

    page.get_by_text("Paste a table of contents").click()
    page.locator("#id_toc_paste").fill("Introduction: A Pasted Beginning\n1. A Pasted Chapter")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".toc-preview")).to_contain_text("A Pasted Chapter")
    page.get_by_text("Paste a table of contents").click()
    page.locator("#id_toc_paste_confirm").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("now has the 2 pasted entries")

    page.goto(f"{live_server.url}/admin/catalog/book/{book.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("A Pasted Chapter")
    assert problems.found() == []


def test_an_inline_script_is_reported(page, live_server, demo_catalog, problems):
    """A page that slips in a script of its own: the browser blocks it, and the test sees it."""

    def add_a_script(route):
        response = route.fetch()
        body = response.text().replace("</main>", "<script>document.title = 'ran'</script></main>")
        route.fulfill(response=response, body=body)

    page.route(f"{live_server.url}/", add_a_script)
    page.goto(live_server.url + "/")
    expect(page).not_to_have_title("ran")
    found = problems.found()
    assert any(problem.startswith("script-src-elem blocked inline") for problem in found), found
    assert any("Content Security Policy" in problem for problem in found), found


def test_an_admin_script_without_its_nonce_is_reported(page, live_server, demo_catalog, problems):
    def drop_the_nonces(route):
        response = route.fetch()
        route.fulfill(response=response, body=re.sub(r' nonce="[^"]*"', "", response.text()))

    page.route(f"{live_server.url}/admin/login/", drop_the_nonces)
    page.goto(f"{live_server.url}/admin/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    found = problems.found()
    assert any(problem.startswith("script-src-elem blocked") for problem in found), found
