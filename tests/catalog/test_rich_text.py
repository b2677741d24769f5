"""Editor HTML is sanitized: known XSS payloads never reach a page, plain formatting does."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from catalog.models import Author, Book
from demo.data import SEED_BOOK_SLUG
from tests.admin_forms import change_form
from tests.editorial.conftest import member_of

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=`javascript:alert(1)`>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "<a href=\"JAVASCRIPT:alert(1)\">click</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">click</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">click</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">click</a>",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "<p style=\"background:url(javascript:alert(1))\">styled</p>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<style>body{background:red}</style>",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><input type=submit></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<video><source onerror=\"alert(1)\"></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<p onmouseover=\"alert(1)\">hover</p>",
    "\"><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "<base href=\"javascript:/\">",
    "<em onclick=alert(1)>emphasis</em>",
]

FORMATTING = (
    '<p>First paragraph with <em>emphasis</em> and <strong>strength</strong>.</p>'
    '<ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol>'
    '<p><a href="https://books.example/more">a link</a></p>'
)

DANGER = re.compile(
    r"<\s*(script|iframe|object|embed|style|link|meta|base|form|input|svg|math|img|video|source|body|marquee|details)\b"
    r"|\son\w+\s*=|javascript:|vbscript:|data:text|style\s*=|expression\(",
    re.IGNORECASE,
)


class _AttributeValues(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.values.extend(value or "" for _, value in attrs)


def dangerous(markup: str) -> bool:
    """Whether DANGER is in the markup, or in an attribute value as a browser reads it: character
    references resolved and tabs and line breaks dropped, so `jav&#x09;ascript:` is `javascript:`."""
    parser = _AttributeValues()
    parser.feed(markup)
    parser.close()
    as_read = (re.sub(r"[\t\n\r]", "", value) for value in parser.values)
    return bool(DANGER.search(markup)) or any(DANGER.search(value) for value in as_read)


def rendered_rich_text(content: str) -> str:
    """The sanitized parts of the page: descriptions and biographies."""
    return "".join(re.findall(r'<div class="rich-text[^"]*">(.*?)</div>', content, re.S))


@pytest.fixture
def editor(demo_catalog):
    client = Client()
    client.force_login(member_of("Catalog editors", "edith"))
    return client


# Controls for the test below, so it cannot pass by looking for the wrong thing: the check sees
# every payload as it would reach the page unsanitized, and lets the editors' formatting through.
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_check_catches_every_payload_left_unsanitized(payload):
    assert dangerous(payload)


def test_the_check_passes_plain_formatting():
    assert not dangerous(FORMATTING)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_on_the_product_or_author_page(editor, client, payload):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    author = Author.objects.get(slug="simon-pirani")
    book_url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(editor, book_url, "book_form")
    data["description"] = FORMATTING + payload
    assert editor.post(book_url, data).status_code == 302
    author_url = f"/admin/catalog/author/{author.pk}/change/"
    data = change_form(editor, author_url, "author_form")
    data["biography"] = FORMATTING + payload
    assert editor.post(author_url, data).status_code == 302

    for page in (book.get_absolute_url(), author.get_absolute_url()):
        rich = rendered_rich_text(client.get(page).content.decode())
        assert rich, page
        assert not dangerous(rich), (page, rich)
        assert "<em>emphasis</em>" in rich and "<strong>strength</strong>" in rich
        assert "<li>One</li>" in rich
        assert '<a href="https://books.example/more" rel="noopener noreferrer nofollow">a link</a>' in rich


def test_what_is_stored_is_already_sanitized(editor):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    url = f"/admin/catalog/book/{book.pk}/change/"
    data = change_form(editor, url, "book_form")
    data["description"] = "<p onclick=x()>Safe <script>alert(1)</script>text</p>"
    editor.post(url, data)
    book.refresh_from_db()
    assert book.description == "<p>Safe text</p>"


# The rich-text editor (catalog/rich_text.py).


def test_the_editor_offers_only_what_the_sanitizer_keeps():
    from django_prose_editor.config import allowlist_from_extensions

    from catalog.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES
    from catalog.rich_text import RICH_TEXT_EDITOR_EXTENSIONS

    offered = allowlist_from_extensions(RICH_TEXT_EDITOR_EXTENSIONS)
    assert offered["tags"] <= ALLOWED_TAGS
    # Every kept tag has its tool, but <b> and <i>, which the editor writes as <strong> and <em>.
    assert ALLOWED_TAGS - offered["tags"] == {"b", "i"}
    assert offered["attributes"]["a"] - ALLOWED_ATTRIBUTES["a"] == {"rel"}  # the sanitizer sets rel itself
    assert set(offered["url_schemes"]) <= ALLOWED_URL_SCHEMES


@pytest.mark.parametrize("value", ["<p></p>", "<p><br></p>", "  ", "<p><script>x()</script></p>"])
def test_a_cleared_editor_saves_no_text(editor, value):
    author = Author.objects.get(slug="simon-pirani")
    url = f"/admin/catalog/author/{author.pk}/change/"
    data = change_form(editor, url, "author_form")
    data["biography"] = value
    assert editor.post(url, data).status_code == 302
    author.refresh_from_db()
    assert author.biography == ""


def test_catalog_editors_get_the_editor_for_descriptions_and_biographies(editor):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    author = Author.objects.get(slug="simon-pirani")
    for url, field in (
        (f"/admin/catalog/book/{book.pk}/change/", "description"),
        (f"/admin/catalog/author/{author.pk}/change/", "biography"),
    ):
        page = editor.get(url).content.decode()
        textarea = re.search(rf'<textarea name="{field}"[^>]*>', page).group(0)
        assert "data-django-prose-editor-configurable=" in textarea, url
        nonce = re.search(r'<script type="importmap" nonce="([\w-]+)">', page).group(1)
        # The editor's scripts and styles carry the page's nonce, as the Content-Security-Policy asks.
        assert f'src="/static/django_prose_editor/editor.js" nonce="{nonce}" type="module"' in page
        assert f'<style data-tiptap-style="" nonce="{nonce}"></style>' in page
        assert '<link href="/static/css/rich-text-editor.css" media="all" nonce=' in page


def test_the_fast_form_renderer_renders_the_editor_as_django_does():
    from django.forms.renderers import DjangoTemplates

    from catalog.rich_text import RichTextFormField
    from editorial.renderers import FastWidgetRenderer

    widget = RichTextFormField().widget
    value = "<p>A <em>description</em> &amp; more</p>"
    fast = widget.render("description", value, renderer=FastWidgetRenderer())
    # The same markup; Jinja2 writes a quote in an attribute as &#34;, the template language as &quot;.
    assert html.unescape(fast) == html.unescape(widget.render("description", value, renderer=DjangoTemplates()))
    assert '"Bold":true' in html.unescape(re.search(r'data-django-prose-editor-configurable="([^"]*)"', fast).group(1))
    assert "&lt;p&gt;A &lt;em&gt;description&lt;/em&gt; &amp;amp; more&lt;/p&gt;</textarea>" in fast
