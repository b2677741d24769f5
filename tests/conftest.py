"""Shared fixtures: the demo catalog, the seed page, and the services CI must provide."""

from __future__ import annotations

import os
import re

import pytest

from demo.data import SEED_BOOK_SLUG


def require_service(available: bool, reason: str) -> None:
    """Skip locally when a service is missing; in CI (CI=true) a missing service is a failure."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)


def normalize_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def demo_catalog(db):
    from demo.services import demo_catalog_load

    demo_catalog_load()


@pytest.fixture
def seed_book(demo_catalog):
    from catalog.models import Book

    return Book.objects.get(slug=SEED_BOOK_SLUG)
