"""ISBN input in every form, stored as ISBN-13, shown hyphenated."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from catalog.isbn import isbn13_normalize, isbn13_parse, isbn_hyphenate
from tests.factories import BookFactory, FormatFactory

SEED_ISBN13 = "9780415546416"


@pytest.mark.parametrize(
    "typed",
    [
        "9780415546416",
        "978-0-415-54641-6",
        "978 0 415 54641 6",
        " 978-0415546416 ",
        "0415546419",
        "0-415-54641-9",
    ],
)
def test_every_form_of_an_isbn_normalizes_to_the_compact_isbn13(typed):
    assert isbn13_normalize(typed) == SEED_ISBN13


def test_an_isbn10_with_x_check_digit_converts():
    assert isbn13_normalize("1-911003-02-X") == "9781911003021"


@pytest.mark.parametrize(
    ("typed", "code", "words"),
    [
        ("9780415546417", "isbn_checksum", "check digit"),
        ("0415546410", "isbn_checksum", "check digit"),
        ("978041554641", "isbn_length", "10 or 13 digits"),
        ("97804155464166", "isbn_length", "10 or 13 digits"),
        ("97804155464A6", "isbn_format", "digits"),
        ("", "isbn_empty", "Enter an ISBN"),
    ],
)
def test_a_wrong_isbn_is_a_validation_error_saying_why(typed, code, words):
    with pytest.raises(ValidationError) as raised:
        isbn13_normalize(typed)
    assert raised.value.code == code
    assert words in raised.value.messages[0]


def test_parse_returns_none_for_garbage():
    assert isbn13_parse("not-an-isbn") is None
    assert isbn13_parse("0-415-54641-9") == SEED_ISBN13


@pytest.mark.parametrize(
    ("isbn13", "hyphenated"),
    [
        ("9780415546416", "978-0-415-54641-6"),
        ("9780306406157", "978-0-306-40615-7"),
        ("9781911003021", "978-1-911003-02-1"),
        ("9783161484100", "978-3-16-148410-0"),
    ],
)
def test_isbns_are_hyphenated_by_their_registration_ranges(isbn13, hyphenated):
    assert isbn_hyphenate(isbn13) == hyphenated


@pytest.mark.django_db
def test_a_format_stores_an_isbn10_as_isbn13_after_validation():
    fmt = FormatFactory.build(book=BookFactory(), isbn="0-415-54641-9")
    fmt.full_clean()
    fmt.save()
    fmt.refresh_from_db()
    assert fmt.isbn == SEED_ISBN13
    assert fmt.isbn_display == "978-0-415-54641-6"


@pytest.mark.django_db
def test_a_wrong_checksum_is_an_error_on_the_isbn_field():
    fmt = FormatFactory.build(book=BookFactory(), isbn="978-0-415-54641-7")
    with pytest.raises(ValidationError) as raised:
        fmt.full_clean()
    assert list(raised.value.message_dict) == ["isbn"]
    assert "check digit" in raised.value.message_dict["isbn"][0]


@pytest.mark.django_db
def test_the_same_isbn_in_another_form_is_refused_as_a_duplicate():
    FormatFactory(isbn=SEED_ISBN13)
    duplicate = FormatFactory.build(book=BookFactory(), isbn="0-415-54641-9")
    with pytest.raises(ValidationError) as raised:
        duplicate.full_clean()
    assert "isbn" in raised.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_duplicate_isbns():
    FormatFactory(isbn=SEED_ISBN13)
    with pytest.raises(IntegrityError):
        FormatFactory(isbn=SEED_ISBN13)


@pytest.mark.django_db
def test_the_database_refuses_an_isbn_that_is_not_normalized():
    fmt = FormatFactory()
    from catalog.models import Format

    with pytest.raises(IntegrityError):
        Format.objects.filter(pk=fmt.pk).update(isbn="0415546419")
