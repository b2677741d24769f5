"""Two editors save the same book: the second is refused, and the first editor's change stays."""

import pytest
from django.test import Client

from catalog.models import Book
from demo.data import SEED_BOOK_SLUG
from tests.admin_forms import change_form
from tests.editorial.conftest import member_of

pytestmark = pytest.mark.django_db


def test_the_second_save_is_refused_showing_what_changed(demo_catalog):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    url = f"/admin/catalog/book/{book.pk}/change/"
    first, second = Client(), Client()
    first.force_login(member_of("Catalog editors", "edith"))
    second.force_login(member_of("Catalog editors", "otto"))

    first_form = change_form(first, url, "book_form")
    second_form = change_form(second, url, "book_form")

    first_form["subtitle"] = "Edith’s subtitle"
    assert first.post(url, first_form).status_code == 302

    second_form["page_count"] = "300"
    response = second.post(url, second_form)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this book" in content
    assert "Changed meanwhile by edith" in content
    assert "Subtitle: “Soviet Workers and the New Communist Elite” → “Edith’s subtitle”" in content

    book.refresh_from_db()
    assert book.subtitle == "Edith’s subtitle"
    assert book.page_count == 296

    # After reloading, the second editor's change goes through.
    fresh = change_form(second, url, "book_form")
    fresh["page_count"] = "300"
    assert second.post(url, fresh).status_code == 302
    book.refresh_from_db()
    assert (book.subtitle, book.page_count) == ("Edith’s subtitle", 300)
