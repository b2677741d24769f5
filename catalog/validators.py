"""Validators for what editors upload."""

from __future__ import annotations

from django.core.exceptions import ValidationError

COVER_MAX_BYTES = 10 * 1024 * 1024


def validate_cover_size(image) -> None:
    if image and getattr(image, "size", 0) > COVER_MAX_BYTES:
        raise ValidationError("The cover image is larger than 10 MB; export a smaller JPEG or WebP.")
