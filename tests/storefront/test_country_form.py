"""The product page's country selector: a quiet secondary button that brings the reader back to the price box."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from storefront.country import ShippingCountry

pytestmark = pytest.mark.django_db
SEED_URL = "/books/the-russian-revolution-in-retreat-1920-24/"


def country_form(content: str) -> str:
    return re.search(r'<form class="country-form".*?</form>', content, re.S).group(0)


def test_update_returns_to_the_price_box(seed_book, client):
    form = country_form(client.get(SEED_URL + "?country=GB").content.decode())
    # A GET form keeps its action's fragment: the reloaded page opens at the price box.
    assert 'action="#price-box"' in form and 'method="get"' in form
    assert 'id="price-box"' in client.get(SEED_URL).content.decode()


def test_update_is_a_secondary_button(seed_book, client):
    form = country_form(client.get(SEED_URL).content.decode())
    assert re.search(r'<button class="button-secondary" type="submit">Update</button>', form)


def test_without_a_place_to_return_to_the_form_submits_to_the_page_itself():
    request = RequestFactory().get("/authors/simon-pirani/?country=FR")
    request.shipping_country = ShippingCountry("FR", "query")
    rendered = Template("{% load storefront_tags %}{% shipping_country_form %}").render(Context({"request": request}))
    assert 'action="/authors/simon-pirani/"' in rendered and 'action=""' not in rendered


# The header's selector: the country can be changed from any page, and the reader stays on it.


def header_form(content: str) -> str:
    return re.search(r'<form class="country-form country-form-compact".*?</form>', content, re.S).group(0)


def hidden_fields(form: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/", "/"),
        (SEED_URL, SEED_URL),
        ("/authors/simon-pirani/", "/authors/simon-pirani/"),
        ("/search/?q=revolution", "/search/"),
    ],
)
def test_every_page_has_the_header_selector_submitting_to_itself(seed_book, client, url, action):
    content = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    form = header_form(content)
    assert re.search(r'<header class="site-header">.*country-form-compact.*</header>', content, re.S)
    assert f'action="{action}"' in form and 'method="get"' in form
    # Labelled, with the reader's country chosen and a button whose name says what it does.
    assert '<label for="header-country">Shipping to</label>' in form
    assert '<select id="header-country" name="country">' in form
    assert '<option value="GB" selected>United Kingdom</option>' in form
    assert 'Change<span class="visually-hidden"> shipping country</span></button>' in form


def test_the_product_page_has_both_selectors_with_ids_of_their_own(seed_book, client):
    content = client.get(SEED_URL).content.decode()
    assert content.count('id="shipping-country"') == 1 and content.count('id="header-country"') == 1
    assert 'action="#price-box"' in country_form(content)  # the price box's own selector is unchanged


def test_the_search_keeps_its_words_when_the_country_changes(seed_book, client):
    searched = client.get("/search/", {"q": "Kronshtadt <b>", "exact": "1", "utm_source": "mail"})
    form = header_form(searched.content.decode())
    # Escaped, and only what chooses the results: a tracking parameter is not carried over.
    assert hidden_fields(form) == {"q": "Kronshtadt &lt;b&gt;", "exact": "1"}
    # Control characters are not echoed: a value that is nothing else is not carried at all.
    hostile = client.get("/search/", {"q": "Pirani\x00", "exact": "\x00"})
    assert hidden_fields(header_form(hostile.content.decode())) == {"q": "Pirani"}
    changed = client.get("/search/", {"q": "Kronshtadt", "country": "GB"})
    assert "The Russian Revolution in Retreat" in changed.content.decode()
    assert '<option value="GB" selected>' in header_form(changed.content.decode())


def test_a_later_list_page_keeps_its_start(demo_catalog, client, settings):
    from catalog.models import Book

    settings.CATALOG_PAGE_SIZE = 2
    oldest = Book.objects.oldest_first().first()
    form = header_form(client.get("/", {"from": oldest.pk, "country": "FR"}).content.decode())
    assert hidden_fields(form) == {"from": str(oldest.pk)}
    assert '<option value="FR" selected>France</option>' in form
    assert 'type="hidden"' not in header_form(client.get("/").content.decode())


def test_a_cached_page_holds_the_same_selector_for_every_visitor_of_a_country(
    demo_catalog, client, django_assert_num_queries
):
    from django.test import Client

    by_query = client.get("/?country=DE").content
    with django_assert_num_queries(0):
        by_cookie = client.get("/").content  # the cookie now says DE: the same page, from the cache
        by_language = Client().get("/", HTTP_ACCEPT_LANGUAGE="de-DE").content
    assert by_query == by_cookie == by_language
    assert '<option value="DE" selected>Germany</option>' in header_form(by_cookie.decode())
