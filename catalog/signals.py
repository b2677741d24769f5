"""Signals for writers that bypass `Model.save()`.

Saving or deleting a model sends Django's own signals. A bulk writer (an import, the synthetic
catalogue) that uses `bulk_create()` or `QuerySet.update()` sends `catalogue_changed` once it
has written, so whatever depends on the catalogue (the storefront's page cache, pricing's copy of
markets and rates) hears of it.
"""

from django.dispatch import Signal

catalogue_changed = Signal()
