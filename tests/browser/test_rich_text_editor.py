"""The admin's rich-text editor in a real browser, as a catalog editor (not a superuser) uses it:
formatting, a link, a paste of foreign HTML, all under the Content-Security-Policy."""

import pytest
from playwright.sync_api import expect

from catalog.models import Author, Book
from demo.data import SEED_BOOK_SLUG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# HTML as a word processor or another site puts it on the clipboard: a style sheet, styles, an
# image from elsewhere, a heading, an underline, a table, a handler and a script.
FOREIGN_HTML = (
    '<html><head><meta charset="utf-8"><style>p.MsoNormal { margin: 0 }</style></head><body>'
    '<h2 style="font-family: Cambria">Praise</h2><img src="https://elsewhere.example/logo.png">'
    '<p class="MsoNormal" onclick="steal()">Pasted <u>underlined</u> <span style="color: red">text</span>'
    "<script>window.pastedScriptRan = true</script></p><table><tr><td>a cell</td></tr></table></body></html>"
)
# What a browser does when an editor pastes: a paste event carrying the clipboard's HTML.
PASTE = """(element, html) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", "Praise");
  element.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def test_a_catalog_editor_formats_a_description(catalog_editor_page, live_server, problems, artifacts):
    page = catalog_editor_page
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    page.goto(f"{live_server.url}/admin/catalog/book/{book.pk}/change/")
    editor = page.locator(".field-description .prose-editor")
    text = editor.locator(".ProseMirror")
    expect(text).to_be_visible()
    expect(text).to_contain_text("The Russian revolution of 1917")
    expect(page.locator("#id_description")).to_be_hidden()
    # The toolbar offers the tags the store keeps, and nothing it would throw away.
    tools = editor.locator(".prose-menubar__button").evaluate_all("buttons => buttons.map(b => b.dataset.name)")
    assert {"bold", "italic", "bulletList", "orderedList", "blockquote", "link"} <= set(tools), tools
    assert not {"heading", "table", "image", "underline", "strike", "code", "codeBlock"} & set(tools), tools

    text.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Reviewed as ")
    page.keyboard.press("Control+B")
    page.keyboard.type("essential reading")
    page.keyboard.press("Control+B")
    page.keyboard.press("Enter")
    editor.get_by_role("button", name="unordered list").click()
    page.keyboard.type("First point")
    expect(text.locator("strong")).to_have_text("essential reading")
    expect(text.locator("ul li")).to_have_text("First point")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # out of the list
    text.evaluate(PASTE, FOREIGN_HTML)
    expect(text).to_contain_text("Pasted underlined text")
    expect(text).to_contain_text("a cell")
    editor.screenshot(path=artifacts / "rich-text-editor.png")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    book.refresh_from_db()
    assert "<p>Reviewed as <strong>essential reading</strong></p>" in book.description
    assert "<ul><li><p>First point</p></li></ul>" in book.description
    # The foreign HTML kept its words and lost the rest.
    assert "Praise" in book.description and "underlined" in book.description and "a cell" in book.description
    for dropped in ("<h2", "<u>", "<table", "<td", "<img", "<span", "style=", "class=", "onclick", "<script", "steal"):
        assert dropped not in book.description, dropped
    assert page.evaluate("window.pastedScriptRan") is None

    # Readers see the formatting.
    page.goto(f"{live_server.url}{book.get_absolute_url()}")
    expect(page.locator(".rich-text strong", has_text="essential reading")).to_be_visible()
    assert problems.found() == []


def test_a_catalog_editor_links_and_clears_a_biography(catalog_editor_page, live_server, problems):
    page = catalog_editor_page
    author = Author.objects.get(slug="simon-pirani")
    url = f"{live_server.url}/admin/catalog/author/{author.pk}/change/"
    page.goto(url)
    text = page.locator(".field-biography .prose-editor .ProseMirror")
    expect(text).to_be_visible()
    text.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("His website")
    page.keyboard.press("Control+A")
    page.locator(".field-biography").get_by_role("button", name="link").click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()
    dialog.locator("input").first.fill("https://pirani.example/")
    dialog.get_by_role("button", name="Update").or_(dialog.get_by_role("button", name="Save")).first.click()
    expect(text.locator("a")).to_have_attribute("href", "https://pirani.example/")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    author.refresh_from_db()
    assert author.biography == (
        '<p><a href="https://pirani.example/" rel="noopener noreferrer nofollow">His website</a></p>'
    )

    # A cleared editor saves no biography, not an empty paragraph.
    text.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    author.refresh_from_db()
    assert author.biography == ""
    assert problems.found() == []


def test_a_catalog_editor_adds_a_review_quote_with_a_title_in_italics(catalog_editor_page, live_server, problems):
    page = catalog_editor_page
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    page.goto(f"{live_server.url}/admin/catalog/book/{book.pk}/change/")
    quotes = page.locator("#review_quotes-group")
    quotes.locator("summary").first.click()  # the folded inline
    quotes.get_by_text("Add another review quote or endorsement").click()
    # The new form, copied from Django's template row, gets its own editor.
    text = quotes.locator(".field-text .prose-editor .ProseMirror")
    expect(text).to_have_count(1)
    expect(text).to_be_visible()
    text.click()
    page.keyboard.type("Required reading, like ")
    page.keyboard.press("Control+I")
    page.keyboard.type("The Unknown Revolution")
    page.keyboard.press("Control+I")
    page.keyboard.type(".")
    quotes.locator('input[name="review_quotes-0-source"]').fill("A Review of Books")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert [(quote.text, quote.source) for quote in book.review_quotes.all()] == [
        ("<p>Required reading, like <em>The Unknown Revolution</em>.</p>", "A Review of Books")
    ]

    page.goto(f"{live_server.url}{book.get_absolute_url()}")
    expect(page.locator(".praise-quote blockquote em")).to_have_text("The Unknown Revolution")
    assert problems.found() == []
