"""Two editors save the same object: the second is refused, and the first editor's change stays."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from catalog.models import Author, Book, Format, Publisher, Subject
from demo.data import SEED_BOOK_SLUG
from pricing.models import ExchangeRate, Market, MarketCountry, Price
from tests.admin_forms import change_form
from tests.editorial.conftest import member_of

pytestmark = pytest.mark.django_db


def editors(group: str) -> tuple[Client, Client]:
    first, second = Client(), Client()
    first.force_login(member_of(group, "edith"))
    second.force_login(member_of(group, "otto"))
    return first, second


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_second_save_is_refused_showing_what_changed(demo_catalog):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    url = f"/admin/catalog/book/{book.pk}/change/"
    first, second = editors("Catalog editors")

    first_form = change_form(first, url, "book_form")
    second_form = change_form(second, url, "book_form")

    first_form["subtitle"] = "Edith’s subtitle"
    assert first.post(url, first_form).status_code == 302

    second_form["page_count"] = "300"
    response = second.post(url, second_form)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else saved this book" in content
    assert "after you opened it. Your changes were not saved" in content
    assert "Changed meanwhile by edith" in content
    assert "Subtitle: “Soviet Workers and the New Communist Elite” → “Edith’s subtitle”" in content
    # The editor's input is kept.
    assert 'name="page_count" value="300"' in content

    book.refresh_from_db()
    assert book.subtitle == "Edith’s subtitle"
    assert book.page_count == 296

    # After reloading, the second editor's change goes through.
    fresh = change_form(second, url, "book_form")
    fresh["page_count"] = "300"
    assert second.post(url, fresh).status_code == 302
    book.refresh_from_db()
    assert (book.subtitle, book.page_count) == ("Edith’s subtitle", 300)


def first_of(model, **lookup):
    return model.objects.filter(**lookup).order_by("pk").first()


# (group, object, admin path, form id, the first editor's change, the second's, the name used)
KINDS = [
    ("Catalog editors", lambda: first_of(Author, slug="simon-pirani"), "catalog/author", "author_form",
     {"sort_name": "Pirani, S."}, {"name": "S. Pirani"}, "author"),
    ("Catalog editors", lambda: first_of(Publisher, slug="routledge"), "catalog/publisher", "publisher_form",
     {"name": "Routledge Books"}, {"name": "Routledge Press"}, "publisher"),
    ("Catalog editors", lambda: first_of(Subject, slug="travel-writing"), "catalog/subject", "subject_form",
     {"name": "Travel"}, {"name": "Travels"}, "subject"),
    ("Catalog editors", lambda: first_of(Format, book__slug=SEED_BOOK_SLUG), "catalog/format", "format_form",
     {"publication_date": "2009-03-01"}, {"publication_date": "2009-04-01"}, "format"),
    ("Pricing managers", lambda: first_of(Market, name="Japan"), "pricing/market", "market_form",
     {"tax_name": "JCT"}, {"shipping_cost": "900"}, "market"),
    ("Pricing managers", lambda: first_of(Price, market__currency="USD"), "pricing/price", "price_form",
     {"amount": "64.95"}, {"amount": "59.95"}, "price"),
    ("Pricing managers", lambda: first_of(ExchangeRate), "pricing/exchangerate", "exchangerate_form",
     {"rate": "0.95"}, {"rate": "0.97"}, "exchange rate"),
    ("Pricing managers", lambda: first_of(MarketCountry, country="DE"), "pricing/marketcountry", "marketcountry_form",
     {"print_tax_rate": "6.00"}, {"ebook_tax_rate": "9.00"}, MarketCountry._meta.verbose_name),
]


@pytest.mark.parametrize(("group", "subject", "path", "form_id", "theirs", "mine", "name"), KINDS,
                         ids=[kind[-1] for kind in KINDS])
def test_every_kind_of_object_refuses_a_stale_save_by_its_own_name(
    demo_catalog, group, subject, path, form_id, theirs, mine, name
):
    obj = subject()
    url = f"/admin/{path}/{obj.pk}/change/"
    first, second = editors(group)
    first_form, second_form = change_form(first, url, form_id), change_form(second, url, form_id)

    assert first.post(url, {**first_form, **theirs}).status_code == 302
    response = second.post(url, {**second_form, **mine})

    assert response.status_code == 200
    content = text_of(response)
    assert f"Someone else saved this {name} at " in content
    assert "after you opened it. Your changes were not saved, so theirs are not lost." in content
    assert "Changed meanwhile by edith: changed" in content
    saved = type(obj).objects.get(pk=obj.pk)
    assert saved.version == obj.version + 1
    for field, value in theirs.items():
        assert str(getattr(saved, field)) == value or getattr(saved, field) == Decimal(value)


def test_two_editors_changing_only_inline_rows_also_conflict(demo_catalog):
    """The book's version guards its contributors and table of contents: saving inlines saves the book."""
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    url = f"/admin/catalog/book/{book.pk}/change/"
    first, second = editors("Catalog editors")
    first_form, second_form = change_form(first, url, "book_form"), change_form(second, url, "book_form")

    first_form["toc_entries-0-title"] = "Workers and the State"
    assert first.post(url, first_form).status_code == 302
    second_form["toc_entries-1-title"] = "Struggling On"
    response = second.post(url, second_form)

    assert response.status_code == 200
    content = text_of(response)
    assert "Someone else saved this book" in content
    assert "Changed meanwhile by edith: changed table of contents entry" in content
    assert "Title: “Workers and the Soviet State” → “Workers and the State”" in content
    titles = list(book.toc_entries.order_by("position").values_list("title", flat=True)[:2])
    assert titles[0] == "Workers and the State" and titles[1] != "Struggling On"


def test_a_format_changed_on_its_own_page_is_not_overwritten_from_the_book_page(demo_catalog):
    """A format inline carries the format's own version, since the format has its own admin page too."""
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    fmt = book.formats.get()
    book_url = f"/admin/catalog/book/{book.pk}/change/"
    format_url = f"/admin/catalog/format/{fmt.pk}/change/"
    first, second = editors("Catalog editors")
    book_form = change_form(second, book_url, "book_form")
    assert book_form["formats-0-loaded_version"] == str(fmt.version)

    format_form = change_form(first, format_url, "format_form")
    assert first.post(format_url, {**format_form, "publication_date": "2009-03-01"}).status_code == 302

    # The format row on the book page opened before still holds the old date: saving it would
    # silently put that back, so the save is refused, the book's own change included.
    response = second.post(book_url, {**book_form, "formats-0-binding": "BC", "subtitle": "Not saved"})
    assert response.status_code == 200
    content = text_of(response)
    assert "Someone else saved this format" in content
    assert "Publication date: “—” → “2009-03-01”" in content
    book.refresh_from_db()
    fmt.refresh_from_db()
    assert (fmt.binding, str(fmt.publication_date), book.subtitle) == (
        "BB", "2009-03-01", "Soviet Workers and the New Communist Elite"
    )

    # After reloading, both changes are kept.
    fresh = change_form(second, book_url, "book_form")
    assert second.post(book_url, {**fresh, "formats-0-binding": "BC", "subtitle": "Saved"}).status_code == 302
    fmt.refresh_from_db()
    assert (fmt.binding, str(fmt.publication_date)) == ("BC", "2009-03-01")


def test_a_bulk_action_is_a_change_an_open_form_notices(demo_catalog):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    url = f"/admin/catalog/book/{book.pk}/change/"
    first, second = editors("Catalog editors")
    form = change_form(second, url, "book_form")

    subject = Subject.objects.get(slug="travel-writing")
    response = first.post(
        "/admin/catalog/book/", {"action": "add_subject", "subject": subject.pk, "_selected_action": [book.pk]}
    )
    assert response.status_code == 302

    response = second.post(url, {**form, "page_count": "300"})
    assert response.status_code == 200
    content = text_of(response)
    assert "Someone else saved this book" in content
    assert "Changed meanwhile by edith: changed book" in content and "Travel Writing" in content
    assert subject in book.subjects.all()


@pytest.mark.parametrize("version", [None, "", "²", "9" * 5_000])
def test_a_form_without_its_version_is_refused(version):
    author = Author.objects.create(name="Ann Example", sort_name="Example, Ann", slug="ann-example")
    client = Client()
    client.force_login(member_of("Catalog editors", "edith"))
    url = f"/admin/catalog/author/{author.pk}/change/"
    form = change_form(client, url, "author_form")
    del form["loaded_version"]
    if version is not None:  # a tampered form: something that is no version
        form["loaded_version"] = version
    response = client.post(url, {**form, "name": "Changed"})
    assert response.status_code == 200
    assert "This form does not say which version of the author you opened." in text_of(response)
    assert Author.objects.get(pk=author.pk).name == "Ann Example"


def test_a_save_overtaken_twice_is_a_message_not_a_server_error(demo_catalog, monkeypatch):
    from reversion.admin import VersionAdmin

    from editorial.models import StaleEdit

    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    url = f"/admin/catalog/book/{book.pk}/change/"
    editor, _ = editors("Catalog editors")
    data = change_form(editor, url, "book_form")

    def always_overtaken(self, request, *args, **kwargs):
        if request.method == "POST":
            raise StaleEdit(book, 1)
        return original(self, request, *args, **kwargs)

    original = VersionAdmin.change_view
    monkeypatch.setattr(VersionAdmin, "change_view", always_overtaken)
    response = editor.post(url, {**data, "subtitle": "Never saved"}, follow=True)
    assert response.status_code == 200
    assert "is being changed by others right now, so your changes were not saved" in response.content.decode()
    assert Book.objects.get(pk=book.pk).subtitle != "Never saved"
