"""The pricing admin, and the price preview on the book's admin page."""

import pytest

from catalog.models import Book
from pricing.models import Price
from demo.data import SEED_BOOK_SLUG

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, admin_user, demo_catalog):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    ("url", "expected", "excluded"),
    [
        ("/admin/pricing/market/", "Eurozone", None),
        ("/admin/pricing/market/?currency=JPY", "Japan", "Eurozone"),
        ("/admin/pricing/market/?q=EUR", "Eurozone", "Japan"),
        ("/admin/pricing/price/", "USD $62.95", None),
        ("/admin/pricing/price/?currency=GBP", "GBP £48.99", "USD $62.95"),
        ("/admin/pricing/price/?q=0-415-54641-9", "USD $62.95", "Harbour Lights"),
        ("/admin/pricing/exchangerate/?quote_currency=EUR", "0.92", "152.5"),
        ("/admin/pricing/countryrule/?rule_country=DE", "Germany", "Ireland"),
        ("/admin/pricing/market/?sold_to=DE", "Eurozone", "Japan"),
        ("/admin/pricing/market/?sold_to=ROW", "Rest of the world", "Eurozone"),
        ("/admin/pricing/price/?sold_to=GB", "GBP £48.99", "USD $62.95"),
        ("/admin/pricing/countryrule/?q=IE", "Ireland", "Germany"),
    ],
)
def test_pricing_lists_search_and_filter(staff_client, url, expected, excluded):
    response = staff_client.get(url)
    assert response.status_code == 200
    results = response.content.decode().split('id="result_list"')[1].split("</table>")[0]
    assert expected in results
    if excluded:
        assert excluded not in results


@pytest.mark.parametrize("query", ["?format=abc", "?format=1&market=x&amount=lots", "?amount=1e999999"])
def test_odd_prefill_links_are_not_errors(staff_client, query):
    assert staff_client.get("/admin/pricing/price/add/" + query).status_code == 200


def test_filters_exclude_what_they_should(staff_client):
    content = staff_client.get("/admin/pricing/price/?currency=JPY").content.decode()
    assert "JPY ¥14,800" in content and "USD $62.95" not in content


def test_book_admin_previews_each_format_in_every_market_marked_set_or_derived(staff_client):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    content = staff_client.get(f"/admin/catalog/book/{book.pk}/change/").content.decode()
    preview = content.split('class="price-preview"')[1].split("</table>")[0]
    assert preview.count("<tr>") == 1 + 7  # header and one row per market for the one format
    assert "USD $62.95" in preview and "GBP £48.99" in preview and "JPY ¥10,600" in preview
    assert preview.count("<td>set</td>") == 3
    assert preview.count("<td>derived · ") == 4
    assert "/admin/pricing/price/add/?format=" in preview


def test_a_derived_price_can_be_set_from_the_preview_link(staff_client):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    fmt = book.formats.get()
    from pricing.models import Market

    japan = Market.objects.get(name="Japan")
    form = staff_client.get(f"/admin/pricing/price/add/?format={fmt.pk}&market={japan.pk}&amount=10600").content.decode()
    assert 'value="10600"' in form
    response = staff_client.post(
        "/admin/pricing/price/add/", {"format": fmt.pk, "market": japan.pk, "amount": "9800.5"}
    )
    assert response.status_code == 200
    assert "JPY has 0 decimal places" in response.content.decode()
    response = staff_client.post("/admin/pricing/price/add/", {"format": fmt.pk, "market": japan.pk, "amount": "-5"})
    assert response.status_code == 200 and "greater than or equal to 0" in response.content.decode()
    response = staff_client.post("/admin/pricing/price/add/", {"format": fmt.pk, "market": japan.pk, "amount": "9800"})
    assert response.status_code == 302
    preview = staff_client.get(f"/admin/catalog/book/{book.pk}/change/").content.decode()
    assert "JPY ¥9,800" in preview


def test_a_country_in_two_markets_is_refused_in_the_admin(staff_client):
    from pricing.models import Market

    response = staff_client.post(
        "/admin/pricing/market/add/",
        {"name": "DACH", "currency": "EUR", "countries": ["AT", "CH"], "rounding": "up_95", "tax_name": "VAT",
         "shipping_cost": "0"},
    )
    assert response.status_code == 200
    assert "Austria (AT) is already in Eurozone" in response.content.decode()
    assert not Market.objects.filter(name="DACH").exists()


def test_a_second_price_for_the_same_format_and_market_is_a_clear_error(staff_client):
    existing = Price.objects.select_related("format", "market").first()
    response = staff_client.post(
        "/admin/pricing/price/add/",
        {"format": existing.format_id, "market": existing.market_id, "amount": "1.00"},
    )
    assert response.status_code == 200
    assert "This format already has a price in this market" in response.content.decode()


def test_catalog_editors_see_the_preview_without_links_they_cannot_follow(demo_catalog, client):
    from tests.editorial.conftest import member_of

    client.force_login(member_of("Catalog editors", "edith"))
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    content = client.get(f"/admin/catalog/book/{book.pk}/change/").content.decode()
    preview = content.split('class="price-preview"')[1].split("</table>")[0]
    assert preview.count("<td>derived</td>") == 4
    assert "set this price" not in preview
    assert "× 1.52 (USD→AUD rate of 2026-11-01) × 1.1 (GST)" in preview
