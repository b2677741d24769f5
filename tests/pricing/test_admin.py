"""The pricing admin, and the price preview on the book's admin page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG
from pricing.models import Market, MarketCountry, Price
from tests.admin_forms import change_form

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
        ("/admin/pricing/market/?q=DE", "Eurozone", "Japan"),
        ("/admin/pricing/market/?q=germany", "Eurozone", "Japan"),
        ("/admin/pricing/marketcountry/?q=Germany", "Germany", "Ireland"),
        ("/admin/pricing/marketcountry/?q=japan", "10.00", "Germany"),
        ("/admin/pricing/market/?sold_to=DE", "Eurozone", "Japan"),
        ("/admin/pricing/market/?sold_to=ROW", "Rest of the world", "Eurozone"),
        ("/admin/pricing/price/?sold_to=GB", "GBP £48.99", "USD $62.95"),
        ("/admin/pricing/marketcountry/?q=IE", "Ireland", "Germany"),
        ("/admin/pricing/market/", "Austria, Belgium, Bulgaria, Cyprus, Germany, Estonia and 15 more", None),
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
    response = staff_client.get("/admin/pricing/price/add/" + query)
    assert response.status_code == 200
    content = response.content.decode()
    # The empty form to add a price, with what could not be read left out.
    assert "<h1>Add price</h1>" in content and 'name="_save"' in content
    assert 'value="lots"' not in content and '<option value="abc"' not in content


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


def test_the_preview_names_each_market_by_its_territory_not_a_sample_country(staff_client):
    import re

    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    content = staff_client.get(f"/admin/catalog/book/{book.pk}/change/").content.decode()
    preview = content.split('class="price-preview"')[1].split("</table>")[0]
    assert '<th scope="col">Territory</th>' in preview
    rows = dict(re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", preview))
    rest_of_world = Market.objects.get(is_rest_of_world=True)
    assert rows[rest_of_world.name].startswith("Rest of the world")
    assert rows["Japan"] == "Japan"
    assert "Afghanistan" not in preview


def test_a_derived_price_can_be_set_from_the_preview_link(staff_client):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    fmt = book.formats.get()
    japan = Market.objects.get(name="Japan")
    prefilled = f"/admin/pricing/price/add/?format={fmt.pk}&market={japan.pk}&amount=10600"
    form = staff_client.get(prefilled).content.decode()
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


def test_the_country_list_filters_by_market(staff_client):
    japan = Market.objects.get(name="Japan")
    results = staff_client.get(f"/admin/pricing/marketcountry/?market__id__exact={japan.pk}").content.decode()
    results = results.split('id="result_list"')[1].split("</table>")[0]
    assert "Japan" in results and "Germany" not in results


def new_market_form(client, countries: list[str], **values) -> dict:
    """The add-market form as an editor fills it: a market and one inline row per country."""
    data = change_form(client, "/admin/pricing/market/add/", "market_form")
    data.update({"name": "DACH", "currency": "EUR", "rounding": "up_95", "tax_name": "VAT", "shipping_cost": "0"})
    data.update(values)
    for index, code in enumerate(countries):
        data.update({f"market_countries-{index}-{name}": value for name, value in
                     {"country": code, "print_tax_rate": "0", "ebook_tax_rate": "0"}.items()})
    data["market_countries-TOTAL_FORMS"] = str(max(len(countries), 1))
    return data


def test_a_new_market_and_its_countries_are_saved_together(staff_client):
    response = staff_client.post("/admin/pricing/market/add/", new_market_form(staff_client, ["CH", "LI"]))
    assert response.status_code == 302
    assert Market.objects.get(name="DACH").country_codes == {"CH", "LI"}


def test_a_country_in_two_markets_is_refused_in_the_admin(staff_client):
    response = staff_client.post("/admin/pricing/market/add/", new_market_form(staff_client, ["AT", "CH"]))
    assert response.status_code == 200
    assert "Austria (AT) is already in Eurozone. A country belongs to one market only." in response.content.decode()
    assert not Market.objects.filter(name="DACH").exists()
    assert not MarketCountry.objects.filter(country="CH").exists()


def test_the_same_country_twice_in_one_market_is_a_clear_error(staff_client):
    response = staff_client.post("/admin/pricing/market/add/", new_market_form(staff_client, ["CH", "LI", "CH"]))
    assert response.status_code == 200
    assert "Switzerland (CH) is listed more than once; keep one row for it." in response.content.decode()
    assert not Market.objects.filter(name="DACH").exists()


def test_a_market_names_countries_or_is_the_rest_of_the_world(staff_client):
    response = staff_client.post("/admin/pricing/market/add/", new_market_form(staff_client, []))
    assert response.status_code == 200
    assert "Add at least one country, or mark this market the rest of the world." in response.content.decode()
    response = staff_client.post(
        "/admin/pricing/market/add/",
        new_market_form(staff_client, [], name="World", currency="USD", is_rest_of_world="on"),
    )
    assert "There is already a rest-of-the-world market." in response.content.decode()


def eurozone_form(client) -> tuple[str, dict, dict[str, int]]:
    """The Eurozone's change page: its address, its form data, and each country's inline row number."""
    url = f"/admin/pricing/market/{Market.objects.get(name='Eurozone').pk}/change/"
    data = change_form(client, url, "market_form")
    initial = int(data["market_countries-INITIAL_FORMS"])
    return url, data, {data[f"market_countries-{index}-country"]: index for index in range(initial)}


def test_the_market_page_shows_its_countries_and_adds_and_removes_them(staff_client):
    eurozone = Market.objects.get(name="Eurozone")
    url, data, rows = eurozone_form(staff_client)
    assert len(rows) == 21 and data[f"market_countries-{rows['CY']}-shipping_cost"] == "9.950"
    data[f"market_countries-{rows['BG']}-DELETE"] = "on"
    data.update({"market_countries-21-country": "ME", "market_countries-21-print_tax_rate": "7",
                 "market_countries-21-ebook_tax_rate": "7"})
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert "ME" in eurozone.country_codes and "BG" not in eurozone.country_codes
    assert MarketCountry.objects.get(country="ME").print_tax_rate == 7
    history = staff_client.get(f"/admin/pricing/market/{eurozone.pk}/history/").content.decode()
    assert "Added country “Montenegro (ME)”" in history and "Deleted country “Bulgaria (BG)”" in history


def test_moving_a_country_is_changing_its_market(staff_client):
    germany = MarketCountry.objects.get(country="DE")
    japan = Market.objects.get(name="Japan")
    url = f"/admin/pricing/marketcountry/{germany.pk}/change/"
    data = change_form(staff_client, url, "marketcountry_form")
    response = staff_client.post(url, {**data, "market": japan.pk})
    assert response.status_code == 302
    germany.refresh_from_db()
    assert germany.market == japan
    response = staff_client.post("/admin/pricing/marketcountry/add/", {**data, "market": japan.pk, "country": "FR"})
    assert response.status_code == 200
    assert "France (FR) is already in Eurozone. A country belongs to one market only." in response.content.decode()


def test_a_country_taken_between_the_check_and_the_save_is_a_form_error_not_a_server_error(staff_client, monkeypatch):
    # The first validation misses Austria, as if another editor's save committed it just after;
    # the database then refuses the insert, and the page is validated again.
    checked = []
    validate_unique = MarketCountry.validate_unique

    def misses_the_first_check(self, exclude=None):
        checked.append(self.country.code)
        if len(checked) > 1:
            validate_unique(self, exclude=exclude)

    monkeypatch.setattr(MarketCountry, "validate_unique", misses_the_first_check)
    response = staff_client.post("/admin/pricing/market/add/", new_market_form(staff_client, ["AT"]))
    assert checked == ["AT", "AT"]  # refused by the database after the first check, caught by the second
    assert response.status_code == 200
    assert "Austria (AT) is already in Eurozone. A country belongs to one market only." in response.content.decode()
    assert not Market.objects.filter(name="DACH").exists()
    assert MarketCountry.objects.get(country="AT").market.name == "Eurozone"


def test_a_second_refusal_by_the_database_is_a_message_not_a_server_error(staff_client, monkeypatch):
    monkeypatch.setattr(MarketCountry, "validate_unique", lambda self, exclude=None: None)
    response = staff_client.post("/admin/pricing/market/add/", new_market_form(staff_client, ["AT"]), follow=True)
    assert response.status_code == 200
    assert "Nothing was saved: the database refused the change" in response.content.decode()
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


# The whole book change page as a superuser sees it, the price preview's four queries included,
# with the review quotes' and related titles' inlines and the formats' sales rights (for the
# formats' column and for the preview).
BOOK_CHANGE_PAGE_QUERIES = 21


@pytest.mark.parametrize("extra_markets", [0, 12])
def test_the_price_preview_takes_four_queries_whatever_the_number_of_markets(staff_client, extra_markets):
    from pricing.models import Market

    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    for code in ["BS", "BB", "BZ", "BM", "BT", "BO", "BW", "BN", "BF", "BI", "KH", "CM"][:extra_markets]:
        Market.objects.create(name=f"Market {code}", currency="EUR").market_countries.create(country=code)
    url = f"/admin/catalog/book/{book.pk}/change/"
    staff_client.get(url)  # warm the session and content-type caches
    with CaptureQueriesContext(connection) as queries:
        content = staff_client.get(url).content.decode()
    preview = content.split('class="price-preview"')[1].split("</table>")[0]
    assert preview.count("<tr>") == 1 + 7 + extra_markets
    preview_queries = [query["sql"] for query in queries.captured_queries if "pricing_" in query["sql"]]
    # Markets, their countries, the prices, the exchange rates in force.
    assert len(preview_queries) == 4, preview_queries
    # And the whole page, the catalog's part included, is the same size at 7 markets as at 19.
    assert len(queries.captured_queries) == BOOK_CHANGE_PAGE_QUERIES


def test_a_country_in_the_market_page_can_be_changed_and_a_stale_row_is_refused(staff_client):
    url, data, rows = eurozone_form(staff_client)
    stale = dict(data)
    data[f"market_countries-{rows['CY']}-print_tax_rate"] = "3"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    assert MarketCountry.objects.get(country="CY").print_tax_rate == 3
    # A page opened before that save changes the same row: refused, naming it, nothing overwritten.
    stale[f"market_countries-{rows['CY']}-print_tax_rate"] = "4"
    response = staff_client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved this country" in response.content.decode()
    assert MarketCountry.objects.get(country="CY").print_tax_rate == 3
