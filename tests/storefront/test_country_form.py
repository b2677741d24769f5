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
