"""The price box on the product page, for readers in different countries."""

import html
import re

import pytest
from django.test import override_settings
from django_countries import countries

from tests.conftest import normalize_space

pytestmark = pytest.mark.django_db
SEED_URL = "/books/the-russian-revolution-in-retreat-1920-24/"


def price_box(response) -> str:
    content = response.content.decode()
    box = content.split('id="price-box"')[1].split("</section>")[0]
    # The selector's 249 names are not prices.
    box = re.sub(r'<form class="country-form.*?</form>', "", box, flags=re.DOTALL)
    return normalize_space(html.unescape(re.sub(r"<[^>]+>", " ", box)))


def test_united_states(seed_book, client):
    box = price_box(client.get(SEED_URL))
    assert "Hardback ISBN 978-0-415-54641-6 USD $62.95 Shipping USD $5.99 to United States" in box
    assert "incl." not in box
    assert "Prices & shipping based on shipping country" in box


def test_united_kingdom(seed_book, client):
    box = price_box(client.get(SEED_URL + "?country=GB"))
    assert "GBP £48.99 Shipping GBP £3.99 to United Kingdom" in box
    assert "VAT" not in box  # books are zero-rated: no tax is named that isn't charged
    assert "Shipping GBP £3.99 to United Kingdom" in box


def test_germany_is_tax_inclusive(seed_book, client):
    box = price_box(client.get(SEED_URL + "?country=de"))
    assert "EUR €58.95 incl. VAT" in box
    assert "to Germany" in box


def test_japan_in_whole_yen(seed_book, client):
    box = price_box(client.get(SEED_URL + "?country=JP"))
    assert "JPY ¥10,600 incl. consumption tax" in box
    assert "Free shipping to Japan" in box


# Each demo market, a country in it, and the tax wording after each price of a demo book
# (hardback, paperback, ebook): a tax is named only where its rate is above 0 %.
TAX_WORDING = {
    "United States": ("US", ["", "", ""]),
    "United Kingdom": ("GB", ["", "", ""]),
    "Eurozone": ("DE", ["incl. VAT", "incl. VAT", "incl. VAT"]),
    "Canada": ("CA", ["plus GST", "plus GST", "plus GST"]),
    "Australia": ("AU", ["incl. GST", "incl. GST", "incl. GST"]),
    "Japan": ("JP", ["incl. consumption tax", "incl. consumption tax", "incl. consumption tax"]),
    "Rest of the world": ("BR", ["", "", ""]),
}
# Ireland: print books zero-rated, ebooks at 9 %.
TAX_WORDING_IRELAND = ("IE", ["", "", "incl. VAT"])
TAX_WORDS = re.compile(r"\b(?:incl\.|plus) (?:VAT|GST|sales tax|consumption tax|tax)\b")


def test_the_wording_table_covers_every_demo_market():
    from demo.data import MARKETS

    assert set(TAX_WORDING) == {market["name"] for market in MARKETS}


@pytest.mark.parametrize(("market", "country", "wording"), [
    *((market, country, wording) for market, (country, wording) in TAX_WORDING.items()),
    ("Eurozone", *TAX_WORDING_IRELAND),
])
def test_tax_wording_follows_the_rate_in_every_demo_market(demo_catalog, client, market, country, wording):
    response = client.get(f"/books/harbour-lights/?country={country}")
    offers = response.context["offers"]
    assert [fmt.get_binding_display() for fmt, _ in offers] == ["Hardback", "Paperback", "eBook"]
    assert all(quote.market == market for _, quote in offers)
    assert [quote.tax_display for _, quote in offers] == wording
    assert TAX_WORDS.findall(price_box(response)) == [words for words in wording if words]


def test_not_sold_where_no_market_sells(seed_book, client):
    from pricing.models import Market

    Market.objects.filter(is_rest_of_world=True).delete()
    box = price_box(client.get(SEED_URL + "?country=BR"))
    assert "Not available in Brazil" in box
    assert "USD" not in box


@pytest.mark.parametrize("code", ["ZZ", "usa", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "x" * 500])
def test_an_unknown_or_hostile_code_gives_a_notice_not_an_error(seed_book, client, code):
    response = client.get(SEED_URL, {"country": code})
    assert response.status_code == 200
    content = response.content.decode()
    assert "is not a country code we know, so prices are shown for United States" in content
    assert "<script>alert(1)</script>" not in content
    assert "USD $62.95" in price_box(response)
    assert "shipping_country" not in response.cookies


def test_a_chosen_country_is_remembered_in_a_cookie(seed_book, client):
    response = client.get(SEED_URL + "?country=gb")
    cookie = response.cookies["shipping_country"]
    assert cookie.value == "GB" and cookie["httponly"] and cookie["samesite"] == "Lax"
    later = client.get("/books/harbour-lights/")
    assert "GBP £" in price_box(later)
    assert later.context["request"].shipping_country.source == "cookie"


@override_settings(BOOKSTORE_COUNTRY_HEADER="CF-IPCountry")
def test_the_cdn_header(seed_book, client):
    response = client.get(SEED_URL, HTTP_CF_IPCOUNTRY="AU")
    assert "AUD $" in price_box(response) and "incl. GST" in price_box(response)
    assert "CF-IPCountry" in response["Vary"]


def test_accept_language(seed_book, client):
    response = client.get(SEED_URL, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert "GBP £48.99" in price_box(response)
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_every_country_dependent_page_varies_on_cookie(seed_book, client):
    for url in ["/", SEED_URL, "/authors/simon-pirani/"]:
        assert "Cookie" in client.get(url)["Vary"], url


def test_the_selector_lists_every_country_with_the_current_one_selected(seed_book, client):
    content = client.get(SEED_URL + "?country=JP").content.decode()
    form = content.split('<form class="country-form"')[1].split("</form>")[0]
    assert 'method="get"' in form and 'name="country"' in form
    assert '<label for="shipping-country">Shipping country</label>' in form
    options = re.findall(r'<option value="([A-Z]{2})"', form)
    assert options == [code for code, _ in countries]
    assert re.findall(r'<option value="([A-Z]{2})" selected', form) == ["JP"]


def test_ebooks_show_no_shipping(demo_catalog, client):
    box = price_box(client.get("/books/harbour-lights/?country=US"))
    ebook_part = box.split("eBook")[1]
    assert "USD $34.95" in ebook_part and "Shipping" not in ebook_part


def test_images_do_not_vary_on_the_country(seed_book, client):
    response = client.get(f"/books/{seed_book.slug}/cover.svg")
    assert "Cookie" not in response.get("Vary", "")
    assert "public" in response["Cache-Control"]
