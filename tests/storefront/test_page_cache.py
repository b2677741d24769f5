"""The per-country page cache: hits run no SQL, every change is seen at once, an outage is harmless."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.core.cache.backends.base import BaseCache
from django.test import Client

from catalog.models import Book, Subject
from demo.data import SEED_BOOK_SLUG
from pricing.models import ExchangeRate, Market, MarketCountry, Price
from tests.admin_forms import change_form
from tests.editorial.conftest import member_of

pytestmark = pytest.mark.django_db
SEED_URL = f"/books/{SEED_BOOK_SLUG}/"
LIST_PAGES = ["/", "/authors/simon-pirani/", "/publishers/routledge/", "/subjects/russian-history/"]


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what waits for the commit (forgetting cached pages) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def page(client: Client, url: str = SEED_URL, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", [SEED_URL, *LIST_PAGES])
def test_a_second_visit_is_served_from_the_cache_without_sql(demo_catalog, client, django_assert_num_queries, url):
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert "csrfmiddlewaretoken" not in second.content.decode()


def test_each_country_has_its_own_page(demo_catalog, client, django_assert_num_queries):
    assert "USD $62.95" in page(client)
    assert "GBP £48.99" in page(client, SEED_URL + "?country=GB")
    with django_assert_num_queries(0):
        assert "GBP £48.99" in page(client)  # the cookie now says GB
        assert "USD $62.95" in page(Client())
    assert "EUR €58.95" in page(Client(), HTTP_ACCEPT_LANGUAGE="de-DE")  # Germany: a page of its own


def test_a_matching_etag_is_answered_304_without_rendering(demo_catalog, client, django_assert_num_queries):
    etag = client.get(SEED_URL)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(SEED_URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""
    assert response["ETag"] == etag
    assert "Cookie" in response["Vary"]
    assert client.get(SEED_URL, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_last_modified_is_the_last_change_and_if_modified_since_gets_a_304(
    demo_catalog, client, commits, django_assert_num_queries, monkeypatch
):
    from django.utils.http import http_date, parse_http_date

    before_change = int(time.time()) - 1
    with commits():
        Book.objects.get(slug=SEED_BOOK_SLUG).save()
    first = client.get(SEED_URL)
    modified = parse_http_date(first["Last-Modified"])
    assert before_change <= modified <= time.time()
    with django_assert_num_queries(0):
        unchanged = client.get(SEED_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert unchanged.status_code == 304 and unchanged["Last-Modified"] == first["Last-Modified"]
    assert client.get(SEED_URL, HTTP_IF_MODIFIED_SINCE=http_date(modified - 1)).status_code == 200
    # An ETag that no longer matches wins over a date that would.
    stale_etag = client.get(SEED_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"], HTTP_IF_NONE_MATCH='"old"')
    assert stale_etag.status_code == 200
    real_time_ns = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: real_time_ns() + 2_000_000_000)  # dates step by seconds
    with commits():
        Price.objects.filter(format__isbn="9780415546416", market__name="United States").first().save()
    assert client.get(SEED_URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_pages_may_be_kept_by_browsers_and_cdns_that_ask_again(demo_catalog, client, settings):
    for response in (client.get(SEED_URL), client.get(SEED_URL)):  # rendered, then from the cache
        assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
        assert "Cookie" in response["Vary"]
    settings.BOOKSTORE_CDN_MAX_AGE = 120
    assert client.get("/")["Cache-Control"] == "public, max-age=0, must-revalidate, s-maxage=120"
    # Choosing a country sets a cookie: that response is the visitor's alone.
    chosen = client.get(SEED_URL + "?country=GB")
    assert chosen.cookies["shipping_country"].value == "GB"
    assert "private" in chosen["Cache-Control"] and "public" not in chosen["Cache-Control"]


def test_a_visitor_specific_page_is_not_kept(demo_catalog, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # An unknown country code shows a notice for that visitor: rendered, never cached.
    assert "is not a country code we know" in page(client, SEED_URL + "?country=XX")
    assert "is not a country code we know" not in page(Client(), SEED_URL)
    # Any other query parameter is not a variant worth keeping: nobody can fill the cache with them.
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(SEED_URL + "?utm_source=newsletter")
        assert len(queries) > 0


def test_later_list_pages_are_kept_and_bad_starts_never_are(demo_catalog, client, django_assert_num_queries, settings):
    settings.CATALOG_PAGE_SIZE = 2
    oldest = Book.objects.oldest_first().first()
    later = client.get("/", {"from": oldest.pk})
    assert later.status_code == 200 and later.context["books"] == [oldest]
    with django_assert_num_queries(0):
        again = client.get("/", {"from": oldest.pk})
    assert again.content == later.content and again.content != client.get("/").content
    # A start that names no book of the list is a 404, rendered each time and never stored.
    for _ in range(2):
        assert client.get("/", {"from": "99999"}).status_code == 404
    with django_assert_num_queries(2):  # the author, then the start that is not one of theirs
        assert client.get("/authors/simon-pirani/", {"from": "99999"}).status_code == 404


def test_an_editors_save_with_inlines_is_seen_at_once(demo_catalog, commits):
    reader = Client()
    assert "Workers and the Soviet State" in page(reader)
    editor = Client()
    editor.force_login(member_of("Catalog editors", "edith"))
    url = f"/admin/catalog/book/{Book.objects.get(slug=SEED_BOOK_SLUG).pk}/change/"
    data = change_form(editor, url, "book_form")
    data["toc_entries-0-title"] = "Workers and the State, Revised"
    with commits():
        assert editor.post(url, data).status_code == 302
    assert "Workers and the State, Revised" in page(reader)


def test_a_bulk_action_is_seen_at_once(demo_catalog, commits):
    reader = Client()
    assert "Travel Writing" not in page(reader)
    editor = Client()
    editor.force_login(member_of("Catalog editors", "edith"))
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    subject = Subject.objects.get(slug="travel-writing")
    with commits():
        editor.post(
            "/admin/catalog/book/", {"action": "add_subject", "subject": subject.pk, "_selected_action": [book.pk]}
        )
    assert "Travel Writing" in page(reader)


def test_a_restore_from_history_is_seen_at_once(demo_catalog, commits):
    from reversion.models import Version

    reader = Client()
    editor = Client()
    editor.force_login(member_of("Catalog editors", "edith"))
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    url = f"/admin/catalog/book/{book.pk}/change/"
    with commits():
        editor.post(url, {**change_form(editor, url, "book_form"), "title": "A Wrong Title"})
    assert "A Wrong Title" in page(reader)
    first = Version.objects.get_for_object(book).order_by("pk").first()
    revert_url = f"/admin/catalog/book/{book.pk}/history/{first.pk}/"
    with commits():
        assert editor.post(revert_url, change_form(editor, revert_url, "book_form")).status_code == 302
    assert "A Wrong Title" not in page(reader)
    assert "The Russian Revolution in Retreat, 1920–24" in page(reader)


def test_price_market_rate_and_country_changes_are_seen_at_once(demo_catalog, commits):
    reader = Client()
    assert "USD $62.95" in page(reader)
    with commits():
        price = Price.objects.get(format__isbn="9780415546416", market__name="United States")
        price.amount = Decimal("64.95")
        price.save()
    assert "USD $64.95" in page(reader)

    assert "Shipping USD $5.99" in page(reader)
    with commits():
        market = Market.objects.get(name="United States")
        market.shipping_cost = Decimal("6.49")
        market.save()
    assert "Shipping USD $6.49" in page(reader)

    japan = page(reader, SEED_URL + "?country=JP")
    with commits():
        ExchangeRate.objects.create(base_currency="USD", quote_currency="JPY", rate=Decimal("160"),
                                    valid_from=datetime.date.today())
    assert page(reader, SEED_URL + "?country=JP") != japan  # derived from the new rate

    austria = page(reader, "/books/harbour-lights/?country=AT")
    with commits():
        row = MarketCountry.objects.get(country="AT")
        row.print_tax_rate = Decimal("20")
        row.save()
    assert page(reader, "/books/harbour-lights/?country=AT") != austria  # derived prices include its tax


def test_a_demo_reload_is_seen_at_once(demo_catalog, commits, monkeypatch):
    from demo import data
    from demo.services import demo_catalog_load

    reader = Client()
    assert "Soviet Workers and the New Communist Elite" in page(reader)
    books = [dict(row) for row in data.BOOKS]
    seed = next(row for row in books if row["slug"] == SEED_BOOK_SLUG)
    seed["subtitle"] = "A Reloaded Subtitle"
    monkeypatch.setattr(data, "BOOKS", books)
    with commits():
        demo_catalog_load()
    assert "A Reloaded Subtitle" in page(reader)


def test_an_import_is_seen_at_once(demo_catalog, commits):
    from demo.synthetic import catalog_generate

    reader = Client()
    assert 'rel="next"' not in page(reader, "/")  # the six demo books fit on one page
    with commits():
        catalog_generate(books=10, seed=7)
    assert 'rel="next"' in page(reader, "/")


def test_a_rate_dated_tomorrow_takes_effect_tomorrow_with_nothing_purged(demo_catalog, commits, monkeypatch):
    from django.utils import timezone

    reader = Client()
    today = timezone.localdate()
    with commits():
        ExchangeRate.objects.create(base_currency="USD", quote_currency="JPY", rate=Decimal("200"),
                                    valid_from=today + datetime.timedelta(days=1))
    japan_today = page(reader, SEED_URL + "?country=JP")
    assert "JPY ¥10,600" in japan_today  # still the rate of the first of the month
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    japan_tomorrow = page(reader, SEED_URL + "?country=JP")
    assert "JPY ¥10,600" not in japan_tomorrow and "JPY ¥13,900" in japan_tomorrow


class UnreachableCache(BaseCache):
    """A cache server that is down: every call fails, as Redis's client does."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("the cache is down")

    get = set = add = delete = clear = incr = get_many = set_many = touch = has_key = _fail


def test_pages_are_served_uncached_when_the_cache_is_down(demo_catalog, settings, commits):
    settings.CACHES = {"default": {"BACKEND": "tests.storefront.test_page_cache.UnreachableCache"}}
    reader = Client()
    for url in [SEED_URL, *LIST_PAGES]:
        assert "<h1" in page(reader, url)
    with commits():
        Book.objects.filter(slug=SEED_BOOK_SLUG).update(title="Renamed While Down")
        book = Book.objects.get(slug=SEED_BOOK_SLUG)
        book.save()  # forgetting pages fails quietly too
    assert "Renamed While Down" in page(reader)


def test_a_cache_that_keeps_nothing_serves_every_page_fresh(demo_catalog, settings, commits):
    """The dummy backend (or a server refusing writes) keeps no generation: pages and prices are
    then rendered each time, never from memory kept under a generation no change can move."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    reader = Client()
    for url in [SEED_URL, f"{SEED_URL}?uncached=1", *LIST_PAGES, "/search/?q=Pirani"]:
        assert "<h1" in page(reader, url), url
    assert "USD $62.95" in page(reader)
    with commits():
        price = Price.objects.get(format__isbn="9780415546416", market__name="United States")
        price.amount = Decimal("64.95")
        price.save()
        market = Market.objects.get(name="United States")
        market.shipping_cost = Decimal("6.49")
        market.save()
    fresh = page(reader, f"{SEED_URL}?uncached=1")
    assert "USD $64.95" in fresh and "Shipping USD $6.49" in fresh
