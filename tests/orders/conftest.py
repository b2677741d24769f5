"""Helpers for buying as a reader does: through the pages, with the test client."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from catalog.models import Format

SEED_HARDBACK = "9780415546416"
# What a browser sends with a form posted from one of the site's own pages.
SAME_SITE = {"HTTP_SEC_FETCH_SITE": "same-origin"}
ADDRESS = {
    "email": "reader@example.com",
    "shipping_name": "Ada Reader",
    "shipping_line1": "1 Library Lane",
    "shipping_line2": "",
    "shipping_city": "London",
    "shipping_postcode": "N1 9GU",
}


def fmt(isbn: str = SEED_HARDBACK) -> Format:
    return Format.objects.select_related("book").get(isbn=isbn)


def add_to_cart(client: Client, isbn: str = SEED_HARDBACK, **headers):
    return client.post("/cart/add/", {"isbn": isbn}, **(headers or SAME_SITE))


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


def checkout_form(client: Client) -> dict:
    """The checkout page's hidden fields, as the reader's browser would send them back."""
    page = client.get("/checkout/").content.decode()
    return {"checkout_key": hidden(page, "checkout_key"), "priced_for": hidden(page, "priced_for")}


def place_order(client: Client, country: str = "GB", **address):
    """Check out the cart to `country` (the cart already priced there): the response to the POST."""
    form = checkout_form(client)
    assert form["priced_for"] == country, "price the cart for the country first (?country=)"
    return client.post("/checkout/", {**form, **ADDRESS, "shipping_country": country, **address})


def buy(client: Client, country: str = "GB", isbn: str = SEED_HARDBACK):
    """Add one book, priced for `country`, and place the order; returns the order number."""
    client.get(f"/cart/?country={country}")
    assert add_to_cart(client, isbn).status_code == 302
    response = place_order(client, country)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].split("/")[2]


def pay_page_total(client: Client, number: str) -> str:
    return hidden(client.get(f"/orders/{number}/pay/").content.decode(), "total")


def start_payment(client: Client, number: str):
    return client.post(f"/orders/{number}/pay/", {"total": pay_page_total(client, number)})


def dummy_pay(client: Client, number: str, status: str = "confirmed", gateway: str = "3ds-disabled", **extra):
    assert start_payment(client, number)["Location"] == f"/orders/{number}/payment/"
    data = {"status": status, "fraud_status": "accept", "gateway_response": gateway, **extra}
    return client.post(f"/orders/{number}/payment/", data)


@pytest.fixture
def reader(demo_catalog) -> Client:
    return Client()
