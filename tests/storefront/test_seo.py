"""What search engines and link previews read: JSON-LD, Open Graph, canonical URL, sitemap, robots."""

import json
import re
import xml.etree.ElementTree as ET

import pytest

from catalog.html import plain_text
from catalog.models import Author, Book, Publisher, Series, Subject
from demo.data import SEED_BOOK_SLUG
from storefront.sitemaps import SITEMAPS
from tests.factories import BookFactory

pytestmark = pytest.mark.django_db
SEED_URL = f"/books/{SEED_BOOK_SLUG}/"


def json_ld(content: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def meta(content: str, key: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', content)
    assert match, key
    return match.group(1)


def test_book_json_ld(seed_book, client):
    data = json_ld(client.get(SEED_URL + "?country=GB").content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Book"
    assert data["name"] == "The Russian Revolution in Retreat, 1920–24"
    assert data["author"] == [{"@type": "Person", "name": "Simon Pirani", "url": "http://testserver/authors/simon-pirani/"}]
    assert data["publisher"] == {"@type": "Organization", "name": "Routledge"}
    assert data["datePublished"] == "2009-05-12"
    assert data["numberOfPages"] == 296
    assert data["isbn"] == "9780415546416"
    assert data["inLanguage"] == "en"
    [hardback] = data["workExample"]
    assert hardback["bookFormat"] == "https://schema.org/Hardcover" and hardback["isbn"] == "9780415546416"
    assert hardback["offers"] == {
        "@type": "Offer",
        "availability": "https://schema.org/InStock",
        "eligibleRegion": "GB",
        "url": "http://testserver" + SEED_URL,
        "price": "48.99",
        "priceCurrency": "GBP",
    }


def test_offers_follow_the_visitor_country(seed_book, client):
    offer = json_ld(client.get(SEED_URL + "?country=JP").content.decode())["workExample"][0]["offers"]
    assert (offer["price"], offer["priceCurrency"], offer["eligibleRegion"]) == ("10600", "JPY", "JP")


def test_every_format_is_a_work_example(demo_catalog, client):
    data = json_ld(client.get("/books/harbour-lights/").content.decode())
    assert [w["bookFormat"].rsplit("/", 1)[1] for w in data["workExample"]] == ["Hardcover", "Paperback", "EBook"]
    assert all(w["offers"]["priceCurrency"] == "USD" for w in data["workExample"])


def test_json_ld_cannot_be_broken_out_of(client):
    from tests.factories import book_with

    book = book_with()
    Book.objects.filter(pk=book.pk).update(title="</script><script>alert(1)</script>")
    content = client.get(book.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in content
    assert json_ld(content)["name"] == "</script><script>alert(1)</script>"


def test_open_graph_twitter_description_and_canonical(seed_book, client):
    content = client.get(SEED_URL + "?country=de&utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver' + SEED_URL + '">' in content
    assert meta(content, "og:type") == "book"
    assert meta(content, "og:title").startswith("The Russian Revolution in Retreat, 1920–24")
    assert meta(content, "og:url") == "http://testserver" + SEED_URL
    # A raster image in the shape link previews show whole: social networks show no SVG.
    image = meta(content, "og:image")
    assert re.fullmatch(r"http://testserver" + SEED_URL + r"cover-social\.png\?v=[0-9a-f]{12}", image)
    assert (meta(content, "og:image:width"), meta(content, "og:image:height")) == ("1200", "630")
    assert meta(content, "og:image:type") == "image/png"
    assert meta(content, "book:isbn") == "9780415546416"
    assert meta(content, "twitter:card") == "summary_large_image"
    assert meta(content, "twitter:image") == image
    assert meta(content, "description").startswith("The Russian revolution of 1917 was a defining event")


SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client, url: str, kind: str) -> dict[str, str | None]:
    """Each <loc> of a sitemap index (kind "sitemapindex") or a sitemap ("urlset") with its <lastmod>."""
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/xml", url
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}" + kind
    return {
        entry.findtext("s:loc", namespaces=SITEMAP): entry.findtext("s:lastmod", namespaces=SITEMAP) for entry in root
    }


def sitemap_index(client) -> dict[str, str | None]:
    return sitemap(client, "/sitemap.xml", "sitemapindex")


def sitemap_entries(client, url: str) -> dict[str, str | None]:
    return sitemap(client, url.removeprefix("http://testserver"), "urlset")


def test_the_sitemap_index_names_a_sitemap_per_section_with_its_last_change(demo_catalog, client):
    index = sitemap_index(client)
    assert set(index) == {f"http://testserver/sitemap-{section}.xml" for section in SITEMAPS}
    newest_change = max(Book.objects.values_list("updated_at", flat=True))
    assert index["http://testserver/sitemap-books.xml"] == newest_change.isoformat()


def test_the_section_sitemaps_list_books_authors_publishers_subjects_and_series(demo_catalog, client):
    entries = {}
    for url in sitemap_index(client):
        entries |= sitemap_entries(client, url)
    for book in Book.objects.all():
        assert entries["http://testserver" + book.get_absolute_url()] == book.updated_at.date().isoformat()
    for author in Author.objects.all():
        assert entries["http://testserver" + author.get_absolute_url()] == author.updated_at.date().isoformat()
    for series in Series.objects.all():
        assert entries["http://testserver" + series.get_absolute_url()] == series.updated_at.date().isoformat()
    for other in [*Publisher.objects.all(), *Subject.objects.all()]:
        assert "http://testserver" + other.get_absolute_url() in entries
    expected = sum(model.objects.count() for model in (Book, Author, Publisher, Subject, Series))
    assert len(entries) == expected


def test_sitemap_pages_are_ranges_of_ids_counted_by_the_highest(client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(SITEMAPS["books"], "limit", 3)
    books = [BookFactory() for _ in range(8)]
    ids = [book.pk for book in books]
    books[4].delete()  # a gap: every other book stays on the page of its id
    pages = {}
    for url in sitemap_index(client):
        if "sitemap-books.xml" in url:
            pages[url] = set(sitemap_entries(client, url))
    assert len(pages) == -(-ids[-1] // 3)  # ids 1–3 on the first page, 4–6 on the second, …
    for number, (book, book_id) in enumerate(zip(books, ids, strict=True)):
        page = (book_id - 1) // 3 + 1
        url = "http://testserver/sitemap-books.xml" + (f"?p={page}" if page > 1 else "")
        assert (f"http://testserver/books/{book.slug}/" in pages[url]) == (number != 4)
    # One page: the highest id, then the page's books; no count and no offset.
    with django_assert_num_queries(2) as queries:
        client.get("/sitemap-books.xml", {"p": (ids[-1] - 1) // 3 + 1})
    assert "COUNT(" not in queries.captured_queries[1]["sql"].upper()
    assert "OFFSET" not in queries.captured_queries[1]["sql"].upper()
    for bad in ("0", "abc", str(len(pages) + 1)):
        assert client.get("/sitemap-books.xml", {"p": bad}).status_code == 404, bad
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def test_descriptions_in_meta_tags_are_escaped_once(client):
    from tests.factories import book_with

    book = book_with()
    book.description = "<p>Clocks &amp; watches, “quoted”</p>"
    book.save()
    content = client.get(book.get_absolute_url()).content.decode()
    assert '<meta name="description" content="Clocks &amp; watches, “quoted”">' in content
    assert "&amp;amp;" not in content
    assert json_ld(content)["description"] == "Clocks & watches, “quoted”"


def test_paragraphs_of_the_seed_description_are_separated_in_json_ld(seed_book, client):
    description = json_ld(client.get(SEED_URL).content.decode())["description"]
    assert "other protest movements. This book argues that" in description
    assert "movements.This" not in description
    assert description.endswith("a surrender of political power to the party.")


def test_plain_text_separates_paragraphs_list_items_and_line_breaks():
    assert plain_text("<p>One.</p><p>Two.</p>") == "One. Two."
    assert plain_text("<ul><li>first</li><li>second</li></ul><ol><li>third</li></ol>") == "first second third"
    assert plain_text("line<br>break<br/>again<BR />end") == "line break again end"
    assert plain_text("<blockquote>Quoted.</blockquote>After.") == "Quoted. After."
    # Inline markup joins its text as written: no space appears inside a word or before a comma.
    assert plain_text("<p>un<em>break</em>able, <a href='https://x.test/'>linked</a>.</p>") == "unbreakable, linked."


def test_meta_descriptions_separate_paragraphs(client):
    from tests.factories import book_with

    book = book_with()
    book.description = "<p>Short first.</p><p>Second paragraph.</p>"
    book.save()
    content = client.get(book.get_absolute_url()).content.decode()
    for key in ("description", "og:description", "twitter:description"):
        assert meta(content, key) == "Short first. Second paragraph."
    assert json_ld(content)["description"] == "Short first. Second paragraph."
