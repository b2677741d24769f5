"""The ONIX-shaped fields: validated and normalized where editors type them, kept in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import Book, Format, RelatedTitle, SalesRights, Series, Subject
from tests.factories import BookFactory, FormatFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    ["10.4324/9780203878590", " https://doi.org/10.4324/9780203878590 ", "doi:10.4324/9780203878590",
     "http://dx.doi.org/10.4324/9780203878590"],
)
def test_a_doi_is_stored_bare_however_it_was_typed(typed):
    book = BookFactory.build(publisher=BookFactory().publisher, slug="doi-book", doi=typed)
    book.full_clean()
    assert book.doi == "10.4324/9780203878590"
    assert book.doi_url == "https://doi.org/10.4324/9780203878590"


@pytest.mark.parametrize("typed", ["9780203878590", "10.43/x", "https://example.com/10.4324/x", "10.4324/"])
def test_a_doi_that_is_not_one_is_refused_with_a_message(typed):
    book = BookFactory.build(publisher=BookFactory().publisher, slug="doi-book", doi=typed)
    with pytest.raises(ValidationError) as refused:
        book.full_clean()
    assert "A DOI starts with “10.”" in str(refused.value.message_dict["doi"])


def test_subject_codes_are_upper_cased_and_checked():
    subject = Subject(name="Russian History", slug="russian", bisac_code=" his032000 ", thema_code="nhd")
    subject.full_clean()
    assert (subject.bisac_code, subject.thema_code) == ("HIS032000", "NHD")
    subject.bisac_code = "HIS32"
    with pytest.raises(ValidationError) as refused:
        subject.full_clean()
    assert "three capital letters and six digits" in str(refused.value.message_dict["bisac_code"])


def test_sales_rights_name_a_territory_of_known_regions():
    fmt = FormatFactory()
    rights = SalesRights(format=fmt, regions_included="world", countries_excluded=["AU"])
    rights.full_clean()
    assert rights.regions_included == "WORLD"
    assert rights.territory_display == "World except Australia"
    assert str(rights) == "For sale with exclusive rights: World except Australia"
    with pytest.raises(ValidationError) as refused:
        SalesRights(format=fmt, regions_included="GB-ENG").full_clean()
    assert "Unknown region GB-ENG" in str(refused.value.message_dict["regions_included"])
    with pytest.raises(ValidationError) as refused:
        SalesRights(format=fmt).full_clean()
    assert "Name the countries or regions" in str(refused.value.message_dict["countries_included"])
    with pytest.raises(ValidationError) as refused:
        SalesRights(format=fmt, countries_included=["GB"], countries_excluded=["IE"]).full_clean()
    assert "Exceptions apply to regions" in str(refused.value.message_dict["countries_excluded"])


def test_a_format_reads_its_sales_rights():
    fmt = FormatFactory()
    assert fmt.for_sale_in("AU")
    SalesRights.objects.create(format=fmt, rights_type="03", countries_included=["AU", "NZ"])
    fmt = Format.objects.prefetch_related("sales_rights").get(pk=fmt.pk)
    assert not fmt.for_sale_in("AU") and fmt.for_sale_in("US")


def test_a_new_format_is_active_and_available_and_a_forthcoming_one_is_a_pre_order():
    fmt = FormatFactory()
    assert (fmt.publishing_status, fmt.availability) == ("04", "20")
    assert fmt.is_offered and not fmt.is_forthcoming
    fmt.publishing_status = "02"
    assert fmt.is_forthcoming and fmt.is_offered
    fmt.publishing_status = "07"
    assert not fmt.is_forthcoming and not fmt.is_offered


def test_a_series_number_needs_a_series_and_a_book_cannot_relate_to_itself():
    book = BookFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(series_number=3)
    series = Series.objects.create(title="Studies", slug="studies")
    Book.objects.filter(pk=book.pk).update(series=series, series_number=3)
    assert list(series.books.all()) == [book]
    with pytest.raises(IntegrityError), transaction.atomic():
        RelatedTitle.objects.create(book=book, related_book=book)
