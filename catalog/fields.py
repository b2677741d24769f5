"""Model fields for what the catalog stores in its own forms."""

from __future__ import annotations

from django import forms
from django.db import models

from catalog.html import sanitize_html
from catalog.isbn import ISBN_INPUT_MAX_LENGTH, isbn13_normalize
from catalog.rich_text import RichTextFormField


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


class ISBNField(models.CharField):
    """An ISBN stored as its compact ISBN-13; ISBN-10 and hyphenated input are converted."""

    description = "ISBN-13"

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 13
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]
        return name, path, args, kwargs

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


class RichTextField(models.TextField):
    """HTML from editors, sanitized to a small set of tags whenever it is saved."""

    description = "Sanitized HTML"

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": RichTextFormField, **kwargs})

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value
