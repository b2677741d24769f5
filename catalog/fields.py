"""Model fields for what the catalog stores in its own forms."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from catalog.html import sanitize_html
from catalog.isbn import ISBN_INPUT_MAX_LENGTH, isbn13_normalize


class ISBNFormField(forms.CharField):
    """Accepts any ISBN form and cleans it to the compact ISBN-13."""

    def __init__(self, **kwargs):
        kwargs["max_length"] = ISBN_INPUT_MAX_LENGTH
        kwargs.setdefault("min_length", None)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return isbn13_normalize(value)


class FixedLengthCharField(models.CharField):
    """A CharField whose length the identifier it holds decides, not each model."""

    fixed_max_length: int

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = self.fixed_max_length
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs


class ISBNField(FixedLengthCharField):
    """An ISBN stored as its compact ISBN-13; ISBN-10 and hyphenated input are converted."""

    description = "ISBN-13"
    fixed_max_length = 13

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return isbn13_normalize(value)

    def get_prep_value(self, value):
        # CharField would run to_python here, turning lookups such as a partial ISBN in an
        # admin search into validation errors. Normalizing belongs to cleaning, not querying.
        return models.Field.get_prep_value(self, value)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ISBNFormField, **kwargs})


class CodeField(models.CharField):
    """A code from a published scheme (BISAC, Thema), kept in capitals without surrounding spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if isinstance(value, str) else value


class RichTextField(models.TextField):
    """HTML from editors, sanitized to a small set of tags whenever it is saved."""

    description = "Sanitized HTML"

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


DOI_PATTERN = re.compile(r"^10\.[0-9]{4,9}/\S+$")
DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")


def doi_normalize(value: str) -> str:
    """The bare DOI of any way editors paste one: “doi:10.1/x”, “https://doi.org/10.1/x”."""
    value = value.strip()
    for prefix in DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip()
            break
    return value


def validate_doi(value: str) -> None:
    if not DOI_PATTERN.match(value):
        raise ValidationError(
            "A DOI starts with “10.”, a registrant number and a slash, e.g. 10.4324/9780203878590.", code="doi"
        )


class DOIField(FixedLengthCharField):
    """A DOI stored bare (10.4324/…), whatever prefix or doi.org address it was typed with."""

    default_validators = [validate_doi]
    fixed_max_length = 200

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return doi_normalize(value)
