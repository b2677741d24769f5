"""Add to cart from the product page, the cart priced through quote(), and the page cache kept whole."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from catalog.models import Book, Format
from demo.data import SEED_BOOK_SLUG
from pricing.models import Market, Price
from tests.conftest import normalize_space
from tests.orders.conftest import SAME_SITE, SEED_HARDBACK, add_to_cart, fmt

pytestmark = pytest.mark.django_db
SEED_URL = f"/books/{SEED_BOOK_SLUG}/"
PAPERBACK = "9781911001027"  # a book with hardback, paperback and eBook
EBOOK = "9781911001034"


def text(response) -> str:
    """The page's words, without tags."""
    return normalize_space(re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_product_page_has_an_add_to_cart_form_for_each_format_sold(reader):
    page = reader.get(SEED_URL).content.decode()
    assert page.count('action="/cart/add/"') == 1
    assert f'name="isbn" value="{SEED_HARDBACK}"' in page  # the ISBN, which a new import keeps
    assert "Add to cart" in page


def test_adding_returns_to_the_page_with_a_confirmation_and_the_cart_shows_the_line(reader):
    response = add_to_cart(reader)
    assert response.status_code == 302
    assert response["Location"] == f"{SEED_URL}?added={SEED_HARDBACK}#price-box"
    assert "The Hardback is in your cart" in text(reader.get(response["Location"]))
    cart = text(reader.get("/cart/?country=GB"))
    assert "The Russian Revolution in Retreat, 1920–24" in cart
    assert "Hardback · ISBN 978-0-415-54641-6" in cart
    assert "Subtotal GBP £48.99" in cart
    assert "Shipping GBP £3.99" in cart
    assert "Total GBP £52.98" in cart


def test_a_post_from_another_site_or_without_origin_adds_nothing(reader):
    for headers in (
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
        {},
    ):
        response = reader.post("/cart/add/", {"isbn": SEED_HARDBACK}, **headers)
        assert response.status_code == 403
        assert "from their pages on this site only" in text(response)
    assert "Your cart is empty" in text(reader.get("/cart/"))
    # An older browser without Sec-Fetch-Site, posting from this site, is let through.
    assert add_to_cart(reader, HTTP_ORIGIN="http://testserver").status_code == 302


def test_a_format_not_sold_in_the_country_has_no_button_and_is_refused(reader):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    only_uk = Format.objects.create(book=book, binding=Format.Binding.PAPERBACK, isbn="9780415546423")
    Price.objects.create(format=only_uk, market=Market.objects.get(name="United Kingdom"), amount=Decimal("19.99"))
    Price.objects.filter(format=only_uk).exclude(market__name="United Kingdom").delete()
    us_page = reader.get(SEED_URL + "?country=US").content.decode()
    assert f'value="{only_uk.isbn}"' not in us_page
    assert "Not available in United States" in us_page
    response = add_to_cart(reader, "9780415546423")
    assert response.status_code == 409
    assert "is not sold in United States" in text(response)
    assert "Your cart is empty" in text(reader.get("/cart/"))
    # Sold in the United Kingdom: then the country changes and the line is flagged, not checked out.
    reader.get("/cart/?country=GB")
    assert add_to_cart(reader, "9780415546423").status_code == 302
    cart = text(reader.get("/cart/?country=US"))
    assert "Not sold in United States" in cart
    assert 'href="/checkout/"' not in reader.get("/cart/").content.decode()


def test_bad_isbns_are_refused_with_a_message(reader):
    for value in ("", "abc", "-1", "9" * 30, "0", "9780415546417", "9780000000002", "978\x000415546416"):
        response = reader.post("/cart/add/", {"isbn": value}, **SAME_SITE)
        assert response.status_code == 404
        assert "no longer in the catalogue" in text(response)
    for value in ("", "abc", "-1", "9" * 30, "0", "9" * 13):  # a page cached before the forms posted ISBNs
        response = reader.post("/cart/add/", {"format": value}, **SAME_SITE)
        assert response.status_code == 404
    assert "Your cart is empty" in text(reader.get("/cart/"))


def test_a_page_cached_before_the_forms_posted_isbns_still_adds_by_format_id(reader):
    response = reader.post("/cart/add/", {"format": fmt().pk}, **SAME_SITE)
    assert response["Location"] == f"{SEED_URL}?added={SEED_HARDBACK}#price-box"
    assert reader.session["cart"] == {SEED_HARDBACK: 1}


def test_a_cart_kept_by_format_id_is_read_and_kept_by_isbn(reader):
    session = reader.session
    session["cart"] = {str(fmt().pk): 2, str(fmt(EBOOK).pk): 1, "99999999": 1, "9" * 40: 1, "x": 3, "7": "two"}
    session.save()
    cart = text(reader.get("/cart/?country=GB"))
    assert "Hardback · ISBN 978-0-415-54641-6" in cart
    assert 'name="quantity" value="2"' in reader.get("/cart/").content.decode()
    assert reader.session["cart"] == {SEED_HARDBACK: 2, EBOOK: 1}  # the unknown and malformed ones dropped


def test_quantities_change_and_lines_are_removed(reader):
    add_to_cart(reader)
    reader.get("/cart/?country=GB")
    hardback = "978-0-415-54641-6"  # any form of the ISBN
    assert reader.post("/cart/update/", {"isbn": hardback, "quantity": 3}).status_code == 302
    cart = text(reader.get("/cart/"))
    assert 'name="quantity" value="3"' in reader.get("/cart/").content.decode()
    assert "Subtotal GBP £146.97" in cart
    assert "Shipping Free" in cart  # above the United Kingdom's GBP 50 threshold
    response = reader.post("/cart/update/", {"isbn": hardback, "quantity": "many"})
    assert response.status_code == 400
    assert "A quantity is a whole number from 0 to 99; nothing was changed." in text(response)
    assert reader.post("/cart/update/", {"isbn": hardback, "quantity": 3, "remove": "1"}).status_code == 302
    assert "Your cart is empty" in text(reader.get("/cart/"))


def test_an_ebook_only_cart_has_no_shipping_and_tax_is_added_where_prices_exclude_it(reader):
    reader.get("/cart/?country=CA")
    add_to_cart(reader, EBOOK)
    cart = text(reader.get("/cart/"))
    assert "Shipping" not in cart.split("Subtotal")[1]
    assert "eBook: we email you how to read it once the order is paid." in cart
    # Canada: prices exclude the 5 % GST, which is added to the total.
    assert "GST 5 %" in cart
    assert "plus GST" in cart


def test_changing_the_country_reprices_the_cart_and_says_what_changed(reader):
    add_to_cart(reader)
    assert "Total GBP £52.98" in text(reader.get("/cart/?country=GB"))
    cart = text(reader.get("/cart/?country=JP"))
    assert "Your cart is now priced for shipping to Japan, no longer United Kingdom; the total was GBP £52.98" in cart
    assert "JPY ¥" in cart and "GBP" not in cart.split("Your cart is now priced")[1].split("the total was")[1][20:]
    assert "consumption tax 10 % (included)" in cart


def test_cart_pages_are_private_and_never_stored(reader):
    add_to_cart(reader)
    for url in ("/cart/", "/checkout/"):
        cache_control = reader.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control


def test_a_cached_page_is_still_served_without_sql_and_holds_no_token_or_cart(reader, django_assert_num_queries):
    add_to_cart(reader)
    first = reader.get(SEED_URL)
    with django_assert_num_queries(0):
        second = reader.get(SEED_URL)
    assert second.content == first.content
    page = second.content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert "in your cart" not in page
    # Another visitor, with an empty cart, is served the very same bytes.
    with django_assert_num_queries(0):
        assert Client().get(SEED_URL).content == first.content
    for url in ("/", "/authors/simon-pirani/"):
        Client().get(url)
        with django_assert_num_queries(0):
            listing = reader.get(url).content.decode()
        assert "csrfmiddlewaretoken" not in listing and 'href="/cart/"' in listing


@pytest.mark.parametrize("lines", [1, 8])
def test_the_cart_page_runs_the_same_queries_however_many_lines(reader, django_assert_num_queries, lines):
    isbns = list(Format.objects.order_by("isbn").values_list("isbn", flat=True)[:lines])
    assert len(isbns) == lines
    for isbn in isbns:
        add_to_cart(reader, isbn)
    reader.get("/cart/?country=GB")
    # The session, the formats with their books, their sales rights, their prices.
    with django_assert_num_queries(4):
        response = reader.get("/cart/")
    assert text(response).count("ISBN 978-") == lines
