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


def pay_form(client: Client, number: str) -> dict:
    """The pay page's form as shown: its total and, with the test provider, the outcome it is set to."""
    page = client.get(f"/orders/{number}/pay/").content.decode()
    form = page[page.index('<form class="pay-form"') : page.index("</form>", page.index('<form class="pay-form"'))]
    fields = {"total": hidden(form, "total")}
    for select in re.finditer(r'<select name="([a-z_]+)".*?</select>', form, re.DOTALL):
        chosen = re.search(r'<option value="([^"]*)" selected>', select.group(0))
        fields[select.group(1)] = chosen.group(1) if chosen else ""
    return fields


def dummy_pay(client: Client, number: str, status: str = "confirmed", gateway: str = "3ds-disabled", **extra):
    """Press "Pay" on the pay page with the test provider's outcome chosen: the one response."""
    form = {**pay_form(client, number), "status": status, "fraud_status": "accept", "gateway_response": gateway}
    return client.post(f"/orders/{number}/pay/", {**form, **extra})


@pytest.fixture
def reader(demo_catalog) -> Client:
    return Client()
