"""Editors keep the ONIX-shaped metadata in the admin: series, codes, DOI, quotes, related titles, rights."""

import pytest

from catalog.models import Book, Format, Series, Subject
from demo.data import SEED_BOOK_SLUG
from tests.admin_forms import change_form

pytestmark = pytest.mark.django_db

FORM_ID = "book_form"


def seed_url() -> str:
    return f"/admin/catalog/book/{Book.objects.get(slug=SEED_BOOK_SLUG).pk}/change/"


def test_a_book_gets_a_series_a_doi_an_edition_statement_a_quote_and_a_related_title(editor_client):
    series = Series.objects.create(title="Studies in Soviet History", slug="studies-in-soviet-history")
    other = Book.objects.get(slug="letters-from-the-steppe")
    url = seed_url()
    data = change_form(editor_client, url, FORM_ID)
    data.update(
        {
            "series": str(series.pk),
            "series_number": "4",
            "doi": "https://doi.org/10.4324/9780203878590",
            "edition_statement": "Revised",
            "review_quotes-TOTAL_FORMS": "1",
            "review_quotes-0-kind": "09",
            "review_quotes-0-position": "1",
            "review_quotes-0-text": "A landmark.",
            "review_quotes-0-author": "A. Reader",
            "review_quotes-0-source": "",
            "related_titles-TOTAL_FORMS": "1",
            "related_titles-0-relation": "23",
            "related_titles-0-related_book": str(other.pk),
            "related_titles-0-position": "1",
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    assert (book.series, book.series_number, book.doi, book.edition_statement) == (
        series, 4, "10.4324/9780203878590", "Revised"
    )
    assert [(q.kind, q.text, q.author) for q in book.review_quotes.all()] == [("09", "A landmark.", "A. Reader")]
    assert [(r.relation, r.related_book) for r in book.related_titles.all()] == [("23", other)]


def test_a_bad_doi_is_a_field_error_and_saves_nothing(editor_client):
    url = seed_url()
    data = change_form(editor_client, url, FORM_ID)
    data.update({"doi": "9780203878590", "subtitle": "Not saved"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "A DOI starts with “10.”" in response.content.decode()
    assert Book.objects.get(slug=SEED_BOOK_SLUG).subtitle != "Not saved"


def test_a_format_page_keeps_status_availability_and_sales_rights(editor_client):
    fmt = Format.objects.get(isbn="9780415546416")
    url = f"/admin/catalog/format/{fmt.pk}/change/"
    data = change_form(editor_client, url, "format_form")
    data.update(
        {
            "publishing_status": "07",
            "availability": "51",
            "sales_rights-TOTAL_FORMS": "1",
            "sales_rights-0-rights_type": "01",
            "sales_rights-0-regions_included": "world",
            "sales_rights-0-countries_excluded": ["AU", "NZ"],
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fmt.refresh_from_db()
    assert (fmt.publishing_status, fmt.availability) == ("07", "51")
    assert [str(rights) for rights in fmt.sales_rights.all()] == [
        "For sale with exclusive rights: World except Australia, New Zealand"
    ]


def test_an_unknown_region_is_a_field_error(editor_client):
    fmt = Format.objects.get(isbn="9780415546416")
    url = f"/admin/catalog/format/{fmt.pk}/change/"
    data = change_form(editor_client, url, "format_form")
    data.update({"sales_rights-TOTAL_FORMS": "1", "sales_rights-0-rights_type": "03",
                 "sales_rights-0-regions_included": "GB-ENG"})
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Unknown region GB-ENG" in response.content.decode()
    assert not fmt.sales_rights.exists()


def test_the_book_page_links_each_format_to_its_sales_rights(editor_client):
    fmt = Format.objects.get(isbn="9780415546416")
    content = editor_client.get(seed_url()).content.decode()
    assert f'<a href="/admin/catalog/format/{fmt.pk}/change/">Wherever a market sells</a>' in content
    fmt.sales_rights.create(rights_type="03", countries_included=["AU"])
    content = editor_client.get(seed_url()).content.decode()
    assert f'<a href="/admin/catalog/format/{fmt.pk}/change/">Not for sale: Australia</a>' in content


def test_subjects_carry_bisac_and_thema_codes_and_are_found_by_them(editor_client):
    Subject.objects.filter(slug="russian-history").update(bisac_code="HIS032000", thema_code="NHD")
    content = editor_client.get("/admin/catalog/subject/", {"q": "HIS032000"}).content.decode()
    assert "Russian History" in content and "Labour History" not in content
