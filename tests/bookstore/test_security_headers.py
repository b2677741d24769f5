"""Security headers on every page: the Content-Security-Policy, Permissions-Policy and opener policy.

The policy itself is in bookstore/settings.py ("Security headers"); these tests pin the exact
directives a browser receives, and check the pages' HTML keeps to it: no inline script without
the request's nonce, no style attribute, no event-handler attribute. The browser test
(tests/browser/test_content_security_policy.py) shows Chromium finds nothing to block.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.models import Author, Book
from demo.data import SEED_BOOK_SLUG
from tests.editorial.conftest import member_of

pytestmark = pytest.mark.django_db

# Reader pages run no script, so they get no nonce and no script-src: default-src 'none' forbids all.
READER_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ADMIN_POLICY = re.compile(
    r"default-src 'none'; script-src 'nonce-(?P<nonce>[\w-]{22})'; style-src 'self' 'nonce-(?P=nonce)'; "
    r"img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    r"frame-ancestors 'none'"
)
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), clipboard-read=(), display-capture=(), "
    "encrypted-media=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), local-fonts=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
    "publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
)
READER_PAGES = [
    "/",
    f"/books/{SEED_BOOK_SLUG}/",
    f"/books/{SEED_BOOK_SLUG}/?country=XX",  # with the unknown-country notice
    "/authors/simon-pirani/",
    "/publishers/routledge/",
    "/subjects/russian-history/",
    "/search/?q=history",
    "/search/?q=nothing+matches+this",
]


def policy_breaches(html: str, nonce: str | None) -> list[str]:
    """What in a page the policy would block: scripts without the nonce, style and on* attributes."""
    breaches = []
    for tag in re.findall(r"<script\b[^>]*>", html):
        if 'type="application/ld+json"' in tag:
            continue  # data, not a script: browsers never run it
        if nonce is None or f'nonce="{nonce}"' not in tag:
            breaches.append(tag)
    for tag in re.findall(r"<style\b[^>]*>", html):
        if nonce is None or f'nonce="{nonce}"' not in tag:
            breaches.append(tag)
    breaches += re.findall(r"<[a-z][^>]*\s(?:style|on[a-z]+)=[^>]*>", html)
    breaches += re.findall(r"""(?:href|src|action)=["']?\s*javascript:""", html, flags=re.IGNORECASE)
    return breaches


def assert_other_headers(response) -> None:
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy-Report-Only" not in response


@pytest.mark.parametrize("url", READER_PAGES)
def test_reader_pages_are_sent_the_strict_policy(demo_catalog, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == READER_POLICY
    assert_other_headers(response)
    html = response.content.decode()
    assert policy_breaches(html, nonce=None) == []
    assert "nonce" not in html


def test_a_page_from_the_page_cache_has_the_same_policy_and_no_nonce(demo_catalog, client, django_assert_num_queries):
    url = f"/books/{SEED_BOOK_SLUG}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"] == READER_POLICY
    assert second.content == first.content


def test_the_not_found_page_is_sent_the_strict_policy(client):
    response = client.get("/books/no-such-book/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert response["Content-Security-Policy"] == READER_POLICY
    assert_other_headers(response)
    assert policy_breaches(response.content.decode(), nonce=None) == []


@pytest.mark.urls("tests.broken_urls")
def test_the_server_error_page_is_sent_the_strict_policy():
    response = Client(raise_request_exception=False).get("/__broken__/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert response["Content-Security-Policy"] == READER_POLICY
    assert_other_headers(response)


def test_robots_txt_and_a_cover_image_carry_the_policy_too(demo_catalog, client):
    for url in ["/robots.txt", f"/books/{SEED_BOOK_SLUG}/cover.svg"]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == READER_POLICY


def test_the_admin_login_page_allows_only_its_nonced_scripts(client):
    response = client.get("/admin/login/")
    match = ADMIN_POLICY.fullmatch(response["Content-Security-Policy"])
    assert match, response["Content-Security-Policy"]
    assert_other_headers(response)
    html = response.content.decode()
    assert f'nonce="{match["nonce"]}"' in html
    assert policy_breaches(html, match["nonce"]) == []


def test_each_admin_response_has_a_nonce_of_its_own(client):
    first = ADMIN_POLICY.fullmatch(client.get("/admin/login/")["Content-Security-Policy"])
    second = ADMIN_POLICY.fullmatch(client.get("/admin/login/")["Content-Security-Policy"])
    assert first["nonce"] != second["nonce"]


def admin_pages() -> list[str]:
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    author = Author.objects.get(slug="simon-pirani")
    return [
        "/admin/",
        "/admin/catalog/book/",
        "/admin/catalog/book/?q=history",
        "/admin/catalog/book/add/",
        f"/admin/catalog/book/{book.pk}/change/",
        f"/admin/catalog/book/{book.pk}/history/",
        "/admin/catalog/author/",
        f"/admin/catalog/author/{author.pk}/change/",
        "/admin/pricing/market/",
        "/admin/pricing/price/",
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/password_change/",
        "/admin/catalog/book/999999/change/",  # the admin's "doesn't exist" redirect
    ]


def test_editors_admin_pages_keep_to_the_policy(demo_catalog, client):
    client.force_login(member_of("Catalog editors", "edith"))
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    for url in [f"/admin/catalog/book/{book.pk}/change/", f"/admin/catalog/book/{book.pk}/history/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        match = ADMIN_POLICY.fullmatch(response["Content-Security-Policy"])
        assert match, (url, response["Content-Security-Policy"])
        assert policy_breaches(response.content.decode(), match["nonce"]) == [], url


def test_every_admin_page_keeps_to_the_policy(demo_catalog, client):
    client.force_login(User.objects.create_superuser("root", password="a long admin password"))
    for url in admin_pages():
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert response["Content-Security-Policy"] == READER_POLICY  # nothing rendered, so no nonce
            continue
        match = ADMIN_POLICY.fullmatch(response["Content-Security-Policy"])
        assert match, (url, response["Content-Security-Policy"])
        assert_other_headers(response)
        assert policy_breaches(response.content.decode(), match["nonce"]) == [], url
