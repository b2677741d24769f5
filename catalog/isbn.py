"""ISBN parsing and display, on top of python-stdnum.

Editors and readers type ISBNs in every form: ISBN-10 or ISBN-13, with hyphens, spaces or
neither. The catalog stores the compact ISBN-13 and shows it hyphenated by the registration
group and registrant ranges that python-stdnum ships.
"""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import ValidationError
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

# Room for an ISBN-13 with hyphens or spaces, and for stray separators an editor might paste.
ISBN_INPUT_MAX_LENGTH = 24


def isbn13_normalize(value: str) -> str:
    """Return the compact ISBN-13 for any ISBN-10 or ISBN-13 form, or raise ValidationError."""
    text = (value or "").strip()
    if not text:
        raise ValidationError("Enter an ISBN.", code="isbn_empty")
    try:
        return stdnum_isbn.validate(text, convert=True)
    except InvalidChecksum:
        raise ValidationError(
            "%(value)s is not a valid ISBN: its check digit is wrong. Check for a mistyped digit.",
            code="isbn_checksum",
            params={"value": text},
        ) from None
    except InvalidLength:
        raise ValidationError(
            "%(value)s is not a valid ISBN: an ISBN has 10 or 13 digits.",
            code="isbn_length",
            params={"value": text},
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise ValidationError(
            "%(value)s is not a valid ISBN: use digits (and X as the last character of an ISBN-10), "
            "optionally separated by hyphens or spaces.",
            code="isbn_format",
            params={"value": text},
        ) from None


def isbn13_parse(value: str) -> str | None:
    """The compact ISBN-13 for `value`, or None when it is not a valid ISBN."""
    try:
        return isbn13_normalize(value)
    except ValidationError:
        return None


# Remembered: finding the ranges for the hyphens walks python-stdnum's range tables (about 0.2 ms
# an ISBN), and pages show the same ISBNs again and again.
@lru_cache(maxsize=50_000)
def isbn_hyphenate(isbn13: str) -> str:
    """`9780415546416` -> `978-0-415-54641-6`."""
    return stdnum_isbn.format(isbn13)
