"""What each editor group may and may not do, proved both ways."""

import pytest
from django.test import Client

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def status(client, url, method="get", data=None) -> int:
    return getattr(client, method)(url, data or {}).status_code


def assert_page_shows(client, url: str, *texts: str) -> None:
    """The admin page opens and shows these, e.g. its heading, which says whether it may be changed."""
    response = client.get(url)
    assert response.status_code == 200, url
    content = response.content.decode()
    for text in texts:
        assert text in content, (url, text)


def test_catalog_editors_edit_the_catalog_and_only_view_prices(catalog_editor, demo_catalog):
    client = client_for(catalog_editor)
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    assert_page_shows(client, "/admin/catalog/book/", "<h1>Select book to change</h1>", "Harbour Lights")
    assert_page_shows(client, f"/admin/catalog/book/{book.pk}/change/", "<h1>Change book</h1>",
                      'name="_save"', f'value="{book.title}"')
    for model in ("book", "author", "publisher", "format"):
        assert_page_shows(client, f"/admin/catalog/{model}/add/", f"<h1>Add {model}</h1>", 'name="_save"')
    assert_page_shows(client, "/admin/pricing/price/", "<h1>Select price to view</h1>", "USD $62.95")
    assert_page_shows(client, "/admin/pricing/market/", "<h1>Select market to view</h1>", "Eurozone")
    assert catalog_editor.has_perms(["catalog.add_book", "catalog.change_book", "catalog.change_tocentry"])
    # Prices and markets' countries: view only.
    assert status(client, "/admin/pricing/price/add/") == 403
    assert not catalog_editor.has_perm("pricing.change_price")
    assert_page_shows(client, "/admin/pricing/marketcountry/", "<h1>Select country to view</h1>", "Germany")
    assert status(client, "/admin/pricing/marketcountry/add/") == 403
    assert not any(perm.endswith("_countryrule") for perm in catalog_editor.get_all_permissions())
    # No deleting books, no users.
    assert status(client, f"/admin/catalog/book/{book.pk}/delete/") == 403
    assert status(client, "/admin/auth/user/") == 403
    assert status(client, "/admin/auth/group/") == 403
    assert not catalog_editor.has_perm("catalog.delete_book")


def test_pricing_managers_edit_prices_and_only_view_the_catalog(pricing_manager, demo_catalog):
    client = client_for(pricing_manager)
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    for model, name in [("price", "price"), ("market", "market"), ("exchangerate", "exchange rate"),
                        ("marketcountry", "country")]:
        assert_page_shows(client, f"/admin/pricing/{model}/add/", f"<h1>Add {name}</h1>", 'name="_save"')
    assert_page_shows(client, "/admin/catalog/book/", "<h1>Select book to view</h1>", "Harbour Lights")
    assert_page_shows(client, f"/admin/catalog/book/{book.pk}/change/", "<h1>View book</h1>", book.title)
    assert pricing_manager.has_perms(["pricing.change_market", "pricing.add_price", "pricing.delete_price"])
    # A market's countries: added, changed and removed on the market's page.
    assert pricing_manager.has_perms(
        [f"pricing.{action}_marketcountry" for action in ("add", "change", "delete", "view")]
    )
    assert not any(perm.endswith("_countryrule") for perm in pricing_manager.get_all_permissions())
    # The catalog: view only.
    assert status(client, "/admin/catalog/book/add/") == 403
    view_page = client.get(f"/admin/catalog/book/{book.pk}/change/").content.decode()
    assert 'name="_save"' not in view_page
    assert status(client, f"/admin/catalog/book/{book.pk}/change/", "post", {"title": "Changed"}) == 403
    assert Book.objects.get(pk=book.pk).title != "Changed"
    assert status(client, f"/admin/catalog/book/{book.pk}/delete/") == 403
    assert status(client, "/admin/auth/user/") == 403
    assert not pricing_manager.has_perm("pricing.delete_market")


def test_neither_group_can_manage_users(catalog_editor, pricing_manager):
    for user in (catalog_editor, pricing_manager):
        assert not any(user.has_perm(f"auth.{action}_user") for action in ("add", "change", "delete", "view"))
        assert not user.has_perm("auth.change_group")


def test_series_sales_rights_quotes_and_related_titles_are_catalog_editors_work(
    catalog_editor, pricing_manager, demo_catalog
):
    models = ["series", "salesrights", "reviewquote", "relatedtitle"]
    assert catalog_editor.has_perms([f"catalog.{action}_{model}" for model in models for action in ("add", "change")])
    assert catalog_editor.has_perms([f"catalog.delete_{model}" for model in models if model != "series"])
    assert not catalog_editor.has_perm("catalog.delete_series")
    assert_page_shows(client_for(catalog_editor), "/admin/catalog/series/add/", "<h1>Add series</h1>")
    assert pricing_manager.has_perms([f"catalog.view_{model}" for model in models])
    assert not any(pricing_manager.has_perm(f"catalog.change_{model}") for model in models)
