"""The apps' layers (DESIGN.md): imports point one way, and no app replaces another's admin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin

ROOT = Path(__file__).resolve().parents[2]


def test_imports_point_down_the_layers():
    """import-linter's contract in pyproject.toml: editorial < catalog < pricing < storefront, demo < bookstore."""
    # In a process of its own: lint-imports configures logging with disable_existing_loggers,
    # which in this one would silence every logger (django-axes' included) for later tests.
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_model_admin_is_registered_by_the_app_that_owns_the_model():
    for model, model_admin in admin.site._registry.items():
        owner = model._meta.app_config.name
        if owner.startswith("django.") or "." in owner:
            continue  # Django's and third-party apps' own admins
        assert type(model_admin).__module__ == f"{owner}.admin", (model, type(model_admin))


REVERSED_APPS_CHECK = """
import django
from django.conf import settings
django.setup()
from django.contrib import admin
from catalog.admin import BookAdmin
from catalog.models import Book
from editorial.admin import change_page_panels
assert list(settings.INSTALLED_APPS).index("pricing") < list(settings.INSTALLED_APPS).index("catalog")
assert type(admin.site._registry[Book]) is BookAdmin
print(",".join(panel.template_name for panel in change_page_panels(Book)))
"""


def test_the_price_preview_panel_does_not_depend_on_the_order_of_installed_apps():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_reversed_apps"}
    result = subprocess.run(
        [sys.executable, "-c", REVERSED_APPS_CHECK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pricing/book_price_preview.html"


@pytest.mark.django_db
def test_the_book_page_shows_the_price_preview_from_pricing(admin_client, seed_book):
    content = admin_client.get(f"/admin/catalog/book/{seed_book.pk}/change/").content.decode()
    panel = content.split('class="module change-page-panel"')[1].split("</fieldset>")[0]
    assert "<h2>Prices (preview)</h2>" in panel
    assert "USD $62.95" in panel
