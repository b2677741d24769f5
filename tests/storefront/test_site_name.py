"""The publisher's site name and footer line (BOOKSTORE_SITE_NAME, BOOKSTORE_SITE_FOOTER) on every page."""

import re

import pytest
from django.test import Client, override_settings

from tests.bookstore.test_settings import settings_value
from tests.factories import book_with

pytestmark = pytest.mark.django_db

PUBLISHER = {"BOOKSTORE_SITE_NAME": "Verso & Recto", "BOOKSTORE_SITE_FOOTER": "Verso & Recto <Press>, 6 Meard Street"}


def header_name(content: str) -> str:
    return re.search(r'<a class="site-name" href="/">([^<]*)</a>', content).group(1)


def footer(content: str) -> str:
    return re.search(r'<footer class="site-footer">.*?<p>(.*?)</p>', content, re.S).group(1)


def test_the_demo_is_called_bookstore(client):
    content = client.get("/").content.decode()
    assert "<title>New books | Bookstore</title>" in content
    assert header_name(content) == "Bookstore"
    assert footer(content) == "Bookstore · books from their publishers, priced for the country they ship to."


@override_settings(**PUBLISHER)
def test_the_publishers_name_in_titles_open_graph_the_header_and_the_footer(client):
    book = book_with()
    content = client.get(book.get_absolute_url()).content.decode()
    assert re.search(r"<title>[^<]* \| Verso &amp; Recto</title>", content)
    assert '<meta property="og:site_name" content="Verso &amp; Recto">' in content
    assert header_name(content) == "Verso &amp; Recto"
    assert footer(content) == "Verso &amp; Recto &lt;Press&gt;, 6 Meard Street"
    assert "Bookstore" not in content
    for address in ("/", "/search/?q=atlas", "/no-such-page/"):
        page = client.get(address).content.decode()
        assert "| Verso &amp; Recto</title>" in page and header_name(page) == "Verso &amp; Recto", address


@override_settings(**PUBLISHER)
@pytest.mark.urls("tests.broken_urls")
def test_the_server_error_page_names_the_site_too():
    response = Client(raise_request_exception=False).get("/__broken__/")
    content = response.content.decode()
    assert response.status_code == 500
    assert "<title>Something went wrong | Verso &amp; Recto</title>" in content
    assert header_name(content) == "Verso &amp; Recto"
    assert footer(content) == "Verso &amp; Recto &lt;Press&gt;, 6 Meard Street"


@override_settings(**PUBLISHER)
def test_a_cached_page_is_the_same_for_every_visitor(client, admin_client):
    book = book_with()
    anonymous = client.get(book.get_absolute_url())
    staff = admin_client.get(book.get_absolute_url())
    assert staff.content == anonymous.content  # the second was served from the page cache
    assert staff["ETag"] == anonymous["ETag"]
    assert "Verso &amp; Recto" in staff.content.decode()


def test_the_name_and_footer_come_from_the_environment():
    assert settings_value(
        "settings.BOOKSTORE_SITE_NAME, '|', settings.BOOKSTORE_SITE_FOOTER",
        BOOKSTORE_SITE_NAME="  Verso  & Recto ",
    ) == "Verso & Recto | Verso & Recto · books from their publishers, priced for the country they ship to."
    assert settings_value(
        "settings.BOOKSTORE_SITE_NAME, '|', settings.BOOKSTORE_SITE_FOOTER",
        BOOKSTORE_SITE_NAME=" ", BOOKSTORE_SITE_FOOTER="Verso & Recto, London",
    ) == "Bookstore | Verso & Recto, London"


def test_a_product_page_follows_a_new_name_after_one_was_rendered_with_the_old(client):
    """The frame around product pages is rendered once per process: a new name is a new process
    (each server start forgets the cached pages, gunicorn.conf.py), or here a changed setting."""
    from storefront import page_cache

    book = book_with()
    assert header_name(client.get(book.get_absolute_url()).content.decode()) == "Bookstore"
    with override_settings(**PUBLISHER):
        page_cache.invalidate()
        assert header_name(client.get(book.get_absolute_url()).content.decode()) == "Verso &amp; Recto"
