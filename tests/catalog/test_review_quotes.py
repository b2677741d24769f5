"""Review quotes and endorsements are rich text, like the description: edited in the rich-text
editor, sanitized when saved, shown with their emphasis, plain in the JSON-LD, HTML in ONIX."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from lxml import etree

from catalog.models import Book, ReviewQuote
from onix.export import onix_export
from onix.services import onix_import
from tests.admin_forms import change_form
from tests.onix.conftest import onix_message, product_xml
from tests.storefront.test_seo import json_ld

QUOTE = '<p>Sets a new standard for <em>Soviet</em> history.</p><p>Essential &amp; readable.<script>x()</script></p>'
SAVED = "<p>Sets a new standard for <em>Soviet</em> history.</p><p>Essential &amp; readable.</p>"


@pytest.mark.django_db
def test_an_editor_writes_a_quote_in_the_rich_text_editor_and_it_is_saved_sanitized(editor_client):
    book = Book.objects.get(slug="harbour-lights")
    url = f"/admin/catalog/book/{book.pk}/change/"
    page = editor_client.get(url).content.decode()
    # The inline's quote (and the template Django copies for "Add another") gets the editor.
    for name in ("review_quotes-0-text", "review_quotes-__prefix__-text"):
        textarea = re.search(rf'<textarea name="{re.escape(name)}"[^>]*>', page).group(0)
        assert "data-django-prose-editor-configurable=" in textarea, name
    data = change_form(editor_client, url, "book_form")
    data["review_quotes-0-text"] = QUOTE
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert book.review_quotes.first().text == SAVED


@pytest.mark.django_db
def test_the_product_page_shows_the_quotes_emphasis_and_the_json_ld_its_words(demo_catalog, client):
    book = Book.objects.get(slug="harbour-lights")
    ReviewQuote.objects.filter(book=book, position=1).update(text=SAVED)
    content = client.get(book.get_absolute_url() + "?country=GB").content.decode()
    praise = content.split('id="praise-heading"')[1].split("</section>")[0]
    assert f"<blockquote>{SAVED}</blockquote>" in praise
    assert "<script" not in praise
    review = json_ld(content)["review"][0]
    assert review["reviewBody"] == "Sets a new standard for Soviet history. Essential & readable."


@pytest.mark.django_db
def test_onix_carries_a_quote_as_html_and_reads_plain_text_quotes_as_paragraphs(demo_catalog):
    book = Book.objects.get(slug="harbour-lights")
    ReviewQuote.objects.filter(book=book, position=1).update(text=SAVED)
    out = io.BytesIO()
    onix_export(Book.objects.filter(pk=book.pk), out)
    texts = etree.fromstring(out.getvalue()).iterfind(".//{*}TextContent")
    quote = next(text for text in texts if text.findtext("{*}TextType") == "06").find("{*}Text")
    assert (quote.get("textformat"), quote.text) == ("02", SAVED)

    isbn = "9780306406157"
    plain = (
        "<TextContent><TextType>09</TextType><ContentAudience>00</ContentAudience>"
        '<Text textformat="06">Bold &amp; brilliant.\n\nA second thought &lt;here&gt;.</Text>'
        "<TextAuthor>A. Critic</TextAuthor></TextContent>"
        "<TextContent><TextType>06</TextType><ContentAudience>00</ContentAudience>"
        '<Text textformat="02">&lt;p&gt;A &lt;em&gt;tour de force&lt;/em&gt;'
        "&lt;img src=x onerror=y&gt;&lt;/p&gt;</Text>"
        "<SourceTitle>A Review</SourceTitle></TextContent>"
    )
    data = onix_message(product_xml(isbn, texts=plain))
    onix_import(file=io.BytesIO(data), dry_run=False, file_name="quotes.xml")
    imported = Book.objects.get(formats__isbn=isbn)
    assert [(q.kind, q.text) for q in imported.review_quotes.all()] == [
        ("09", "<p>Bold &amp; brilliant.</p><p>A second thought &lt;here&gt;.</p>"),
        ("06", "<p>A <em>tour de force</em></p>"),
    ]
    again = onix_import(file=io.BytesIO(data), dry_run=False, file_name="quotes.xml")
    assert again.counts == {"created": 0, "changed": 0, "unchanged": 1, "refused": 0}


@pytest.mark.django_db(transaction=True)
def test_plain_text_quotes_become_the_html_the_page_showed_and_back():
    executor = MigrationExecutor(connection)
    before, after = [("catalog", "0012_onix_metadata")], [("catalog", "0013_review_quotes_rich_text")]
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        Publisher = apps.get_model("catalog", "Publisher")
        publisher = Publisher.objects.create(name="P", slug="p")
        old_book = apps.get_model("catalog", "Book").objects.create(
            title="T", slug="t", publisher=publisher, publication_date="2020-01-01", page_count=1
        )
        apps.get_model("catalog", "ReviewQuote").objects.create(
            book=old_book, text="Fish & chips <b>now</b>.\nSecond line.\n\nNew paragraph.", source="S"
        )
        executor.loader.build_graph()
        executor.migrate(after)
        apps = executor.loader.project_state(after).apps
        quote = apps.get_model("catalog", "ReviewQuote").objects.get()
        assert quote.text == (
            "<p>Fish &amp; chips &lt;b&gt;now&lt;/b&gt;.<br>Second line.</p>\n\n<p>New paragraph.</p>"
        )
        executor.loader.build_graph()
        executor.migrate(before)
        apps = executor.loader.project_state(before).apps
        assert apps.get_model("catalog", "ReviewQuote").objects.get().text == (
            "Fish & chips <b>now</b>. Second line. New paragraph."
        )
    finally:
        executor.loader.build_graph()
        executor.migrate(latest)
