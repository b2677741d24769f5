"""Hostile requests to every public page never answer 5xx, and HEAD answers wherever GET does.

Hypothesis writes the requests: query strings of random text, NUL bytes, very long values,
broken percent-encodings and parameters repeated past Django's limit; paths whose variable part
is any of those; hostile `Accept-Language`, country and conditional headers; and garbage in the
country, session, CSRF and messages cookies (including a NUL smuggled in as a quoted cookie's
octal escape, which passes any server). Each request is sent as GET and as HEAD: neither may
answer 5xx (a failure shows the exception the view raised), and HEAD answers with GET's status
and headers and no body.

The pages are the URLconf's own: a test below fails when a route is added without an example
here. How many examples run is set per test; the profile in tests/conftest.py derandomizes them
in CI.
"""

from __future__ import annotations

import io
import traceback
from urllib.parse import quote

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.views.static import serve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG

# Every database: /readyz asks each configured one (on PostgreSQL the suite configures a replica).
pytestmark = pytest.mark.django_db(databases="__all__")

# One example per route of the root URLconf, with the demo catalog's objects filled in, and the
# query parameters that route's pages read besides `country` (the selector's, read on every page).
# The admin is represented by the pages a visitor reaches without an account: every other admin
# page redirects to its login page.
SITEMAP_SECTIONS = ["books", "authors", "publishers", "subjects", "series"]
ROUTES = {
    "": (["/"], ["from", "page"]),
    "books/<slug:slug>/": ([f"/books/{SEED_BOOK_SLUG}/"], []),
    "isbn/<str:isbn>/": (["/isbn/978-0-415-54641-6/"], []),
    "books/<slug:slug>/cite.<str:kind>": ([f"/books/{SEED_BOOK_SLUG}/cite.{kind}" for kind in ("ris", "bib")], []),
    "books/<slug:slug>/cover.svg": ([f"/books/{SEED_BOOK_SLUG}/cover.svg"], ["v"]),
    "books/<slug:slug>/cover-social.png": ([f"/books/{SEED_BOOK_SLUG}/cover-social.png"], ["v"]),
    "books/<slug:slug>/cover-<int:width>.jpg": ([f"/books/{SEED_BOOK_SLUG}/cover-320.jpg"], ["v"]),
    "authors/<slug:slug>/": (["/authors/simon-pirani/"], ["from", "page"]),
    "publishers/<slug:slug>/": (["/publishers/routledge/"], ["from", "page"]),
    "subjects/<slug:slug>/": (["/subjects/russian-history/"], ["from", "page"]),
    "series/<slug:slug>/": (["/series/meridian-histories/"], []),
    "search/": (["/search/"], ["q", "page"]),
    "sitemap.xml": (["/sitemap.xml"], []),
    "sitemap-<section>.xml": ([f"/sitemap-{name}.xml" for name in SITEMAP_SECTIONS], ["p"]),
    "robots.txt": (["/robots.txt"], []),
    "healthz": (["/healthz"], []),
    "readyz": (["/readyz"], []),
    "admin/": (["/admin/", "/admin/login/", "/admin/catalog/book/"], ["next", "q", "o", "p", "_changelist_filters"]),
    # The purchase path: pages of one visitor's cart and orders (a stranger's request finds none).
    "cart/": (["/cart/"], []),
    "cart/add/": (["/cart/add/"], ["format"]),
    "cart/update/": (["/cart/update/"], ["format", "quantity"]),
    "checkout/": (["/checkout/"], []),
    "orders/<str:number>/": (["/orders/ABCD-EFGH/"], ["key"]),
    "orders/<str:number>/pay/": (["/orders/ABCD-EFGH/pay/"], ["key", "failed"]),
    "orders/<str:number>/payment/": (["/orders/ABCD-EFGH/payment/"], ["key"]),
    "payments/process/<uuid:token>/": (
        ["/payments/process/00000000-0000-4000-8000-000000000000/"],
        ["verification_result"],
    ),
}
# What the purchase path's examples answer a visitor with no cart and no order.
PURCHASE_STATUS = {
    "/cart/add/": 405,
    "/cart/update/": 405,
    "/checkout/": 302,
    "/orders/ABCD-EFGH/": 404,
    "/orders/ABCD-EFGH/pay/": 404,
    "/orders/ABCD-EFGH/payment/": 404,
    "/payments/process/00000000-0000-4000-8000-000000000000/": 404,
}
PAGES = [(url, ["country", *parameters]) for urls, parameters in ROUTES.values() for url in urls]

# Header and cookie values arrive as bytes a server decodes as Latin-1; none holds a line break.
header_text = st.text(st.characters(max_codepoint=0xFF, exclude_characters="\r\n"), max_size=60)
# Percent-escapes that decode to nothing valid: stray `%`, non-hex digits, lone and overlong
# UTF-8 bytes, an encoded surrogate, an encoded NUL.
bad_escapes = st.sampled_from(["%", "%z", "%zz", "%G0", "%f", "%ff", "%c3%28", "%C0%80", "%ed%a0%80", "%00", "%%"])
long_values = st.builds(
    lambda character, length: character * length,
    st.sampled_from(["a", "%00", "%ff", "é", "-", " "]),
    st.integers(min_value=1_000, max_value=12_000),
)
# Numbers, some longer than Python's int() accepts (4,300 digits) or than a database column holds.
numbers = st.one_of(
    st.integers().map(str),
    st.sampled_from([19, 20, 4_300, 4_301, 10_000]).map(lambda length: "9" * length),
    st.sampled_from(["0", "-1", "1e9", "1.5", "²", "٣", "last", "null"]),
)


def encoded(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


values = st.one_of(
    st.text(max_size=40).map(encoded),  # any Unicode, NUL included, properly encoded
    st.text(max_size=20),  # the same unencoded: raw spaces, `&`, `=`, `#`, non-ASCII
    bad_escapes,
    long_values,
    numbers,
    st.sampled_from(["", "GB", "gb", " us ", "XX", "ın", "[]"]),
)
any_parameter = st.tuples(values, values).map("=".join)


def query_strings(parameters: list[str]) -> st.SearchStrategy[str]:
    """One of `parameters` with a hostile value (or repeated past Django's limit of 1,000 fields),
    among other parameters of any kind, joined by `&` or `;`."""
    read = st.tuples(st.sampled_from(parameters), st.one_of(values, numbers)).map("=".join)
    repeated = st.builds(
        lambda parameter, value, times: "&".join([f"{parameter}={value}"] * times),
        st.sampled_from(parameters),
        st.sampled_from(["1", "GB", "x"]),
        st.integers(min_value=2, max_value=1_200),
    )
    return st.builds(
        lambda first, others, separator: separator.join([first, *others]),
        st.one_of(read, read, repeated),
        st.lists(st.one_of(read, any_parameter, bad_escapes), max_size=4),
        st.sampled_from(["&", ";", "&&"]),
    )


cookie_values = st.one_of(
    header_text,
    st.sampled_from(["GB", "gb", "XX", "", '"', '"GB', "\\000", "ın"]),
    # A quoted cookie's octal escapes are decoded by Django: this one ends in a NUL.
    st.sampled_from(['"abcdefgh12345678\\000"', '"\\000\\000\\000\\000\\000\\000\\000\\000"', '"\\377\\376"']),
    st.integers(min_value=40, max_value=5_000).map(lambda length: "a" * length),
)
cookie_headers = st.one_of(
    header_text,
    st.lists(
        st.tuples(st.sampled_from(["shipping_country", "sessionid", "csrftoken", "messages", "x"]), cookie_values),
        min_size=1,
        max_size=4,
    ).map(lambda cookies: "; ".join(f"{name}={value}" for name, value in cookies)),
)
accept_languages = st.one_of(
    header_text,
    st.sampled_from(["en-GB", "*", "en-GB;q=abc", "en;q=1e999", "en-;q=0.5", ",,,", "-GB", "en-GB-x-" + "a" * 300]),
    st.integers(min_value=500, max_value=20_000).map(lambda length: "en-GB," * length),
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": accept_languages,
        "HTTP_COOKIE": cookie_headers,
        "HTTP_CF_IPCOUNTRY": st.one_of(header_text, st.sampled_from(["GB", "XX", "T1", "gb"])),
        "HTTP_IF_NONE_MATCH": st.one_of(header_text, st.sampled_from(["*", '"x"', 'W/"x"', ","])),
        "HTTP_IF_MODIFIED_SINCE": st.one_of(header_text, st.sampled_from(["Sat, 29 Oct 1994 19:43:31 GMT", "0"])),
    },
)


def route_templates(patterns=None, prefix: str = ""):
    """Every route of the URLconf as written (`books/<slug:slug>/`); the admin's as its prefix."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.app_name == admin_site.name:
                yield route
            else:
                yield from route_templates(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and entry.callback is not serve:
            # Uploads are served by Django only while developing (django.conf.urls.static); not in production.
            yield route


def test_every_route_of_the_urlconf_is_exercised():
    assert set(route_templates()) == set(ROUTES)


@pytest.fixture
def catalog_with_an_uploaded_cover(demo_catalog, settings, tmp_path):
    """The demo catalog, with an uploaded cover on the seed book so its thumbnails are served too."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BOOKSTORE_COUNTRY_HEADER = "CF-IPCountry"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 600), (120, 30, 40)).save(buffer, "JPEG")
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    book.cover.save("cover.jpg", ContentFile(buffer.getvalue()))
    assert Client().get(ROUTES["books/<slug:slug>/cover-<int:width>.jpg"][0][0]).status_code == 200


def wire(text: str) -> str:
    """Text as a client sends it (UTF-8) and Django receives it: bytes as Latin-1 text (PEP 3333)."""
    return text.encode("utf-8").decode("latin-1")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def answer(method: str, path: str, query: str, environ: dict[str, str]):
    query_string = wire(query)
    environ = {name: wire(value) for name, value in environ.items()}
    response = Client(raise_request_exception=False).generic(method, path, QUERY_STRING=query_string, **environ)
    if response.status_code >= 500:
        error = "".join(traceback.format_exception(*response.exc_info)) if response.exc_info else "(no exception)"
        pytest.fail(f"{method} {path}?{query_string!r} with {environ!r} answered {response.status_code}:\n{error}")
    return response


def assert_get_and_head_agree(path: str, query: str, environ: dict[str, str]) -> None:
    get = answer("GET", path, query, environ)
    head = answer("HEAD", path, query, environ)
    assert head.status_code == get.status_code, (path, query, environ)
    assert head.get("Content-Type") == get.get("Content-Type"), (path, query, environ)
    assert body(head) == b""


# The worst of each kind, sent to every parameter (and, for the headers, to every page) on every
# run, whatever the examples Hypothesis draws around them.
NASTY_VALUES = [
    "%00",
    "a%00b",
    "9" * 20,
    "9" * 4_301,
    "-" + "9" * 4_301,
    "%ff%fe",
    "%ed%a0%80",
    "%zz",
    "%",
    "x" * 10_000,
    "%C3%A9" * 2_000,
    "²",
    "[]",
]

NASTY_HEADERS = [
    {"HTTP_COOKIE": 'sessionid="abcdefgh12345678\\000"; csrftoken="\\000"; messages="\\000"'},
    {"HTTP_COOKIE": "sessionid=abcdefgh\x00; shipping_country=G\x00"},
    {"HTTP_COOKIE": "shipping_country=" + "GB" * 3_000 + "; messages=" + "x" * 4_000},
    {"HTTP_ACCEPT_LANGUAGE": "en-GB;q=1e999," * 2_000},
    {"HTTP_ACCEPT_LANGUAGE": "\x00-\x00;q=\x00", "HTTP_CF_IPCOUNTRY": "\x00"},
    {"HTTP_IF_NONE_MATCH": "\x00" * 100, "HTTP_IF_MODIFIED_SINCE": "Sat, 29 Oct 99999 19:43:31 GMT"},
]


@pytest.mark.parametrize(("url", "parameters"), PAGES)
def test_every_parameter_a_page_reads_takes_the_nastiest_values(catalog_with_an_uploaded_cover, url, parameters):
    for parameter in parameters:
        for value in NASTY_VALUES:
            assert_get_and_head_agree(url, f"{parameter}={value}", {})
        assert_get_and_head_agree(url, "&".join([f"{parameter}=1"] * 1_001), {})
    for environ in NASTY_HEADERS:
        assert_get_and_head_agree(url, "", environ)


@pytest.mark.parametrize(("url", "parameters"), PAGES)
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data(), environ=headers)
def test_hostile_query_strings_headers_and_cookies_never_get_a_server_error(
    catalog_with_an_uploaded_cover, url, parameters, data, environ
):
    assert_get_and_head_agree(url, data.draw(query_strings(parameters), label="query"), environ)


# What may stand in a route's variable part: anything at all, percent-encoded or broken.
segments = st.one_of(
    st.text(min_size=1, max_size=40).map(encoded),
    st.text(st.characters(max_codepoint=0xFF, exclude_characters="/?#"), min_size=1, max_size=40),
    bad_escapes,
    st.integers(min_value=256, max_value=5_000).map(lambda length: "a" * length),
    st.sampled_from(["0", "-1", "9" * 5_000, "..", ".", "%2e%2e", "%2F", "978-0-415-54641-6", "0415546419X"]),
)


def route_with(route: str, segment: str) -> str:
    """`books/<slug:slug>/cover-<int:width>.jpg` with every `<…>` replaced by `segment`, as a path."""
    parts = route.replace(">", "<").split("<")
    return "/" + "".join(segment if index % 2 else part for index, part in enumerate(parts))


VARIABLE_ROUTES = sorted(route for route in ROUTES if "<" in route)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(route=st.sampled_from(VARIABLE_ROUTES), segment=segments, environ=headers)
def test_any_path_segment_never_gets_a_server_error(catalog_with_an_uploaded_cover, route, segment, environ):
    assert_get_and_head_agree(route_with(route, segment), "", environ)


@pytest.mark.parametrize("url", [url for url, _parameters in PAGES])
def test_every_example_is_a_page_that_answers_head_like_get(catalog_with_an_uploaded_cover, url):
    """The examples are real pages (not 404s, which would test little), and HEAD agrees on each."""
    assert_get_and_head_agree(url, "", {})
    expected = {"/isbn/978-0-415-54641-6/": 301, "/admin/": 302, "/admin/catalog/book/": 302, **PURCHASE_STATUS}.get(
        url, 200
    )
    assert Client().get(url).status_code == expected
