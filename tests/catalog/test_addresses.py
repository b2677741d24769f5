"""Addresses named by a slug are what reverse() makes, without a whole reverse() each time."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from catalog.addresses import fixed_url, slug_url


@pytest.mark.parametrize(
    ("viewname", "kwargs"),
    [
        ("storefront:book_detail", {}),
        ("storefront:author_detail", {}),
        ("storefront:series_detail", {}),
        ("storefront:cover_image", {"width": 320}),
        ("storefront:cover_image", {"width": 640}),
    ],
)
@pytest.mark.parametrize("slug", ["the-russian-revolution-in-retreat-1920-24", "syn-00000001_x", "a"])
def test_the_same_address_as_reverse(viewname, kwargs, slug):
    assert slug_url(viewname, slug, **kwargs) == reverse(viewname, kwargs={"slug": slug, **kwargs})


@pytest.mark.parametrize("slug", ["café", "", "a/b"])
def test_a_slug_no_address_takes_is_refused_as_reverse_refuses_it(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("storefront:book_detail", slug)


def test_a_script_prefix_is_kept():
    set_script_prefix("/shop/")
    try:
        assert slug_url("storefront:book_detail", "a-book") == "/shop/books/a-book/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("viewname", ["orders:cart", "orders:cart_add", "storefront:book_list"])
def test_an_address_without_arguments_is_what_reverse_makes(viewname):
    assert fixed_url(viewname) == reverse(viewname)
    set_script_prefix("/shop/")
    try:
        assert fixed_url(viewname) == reverse(viewname)
        assert fixed_url(viewname).startswith("/shop/")
    finally:
        set_script_prefix("/")


def test_an_unknown_name_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        fixed_url("orders:no-such-page")
