"""Signals for writers that bypass `Model.save()`, or that save too many rows to announce each.

Saving or deleting a model sends Django's own signals. A bulk writer (an import, the synthetic
catalogue) that uses `bulk_create()` or `QuerySet.update()` sends `catalogue_changed` once it
has written, so whatever depends on the catalogue (the storefront's page cache, pricing's copy of
markets and rates) hears of it.

A writer that saves rows one by one but many of them (an ONIX import) runs inside
`catalogue_batch()`: receivers may then skip the per-row signals, and the writer sends
`catalogue_changed` itself as it goes (after each chunk it commits, and at the end).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

catalogue_changed = Signal()

_batch = threading.local()


@contextmanager
def catalogue_batch() -> Iterator[None]:
    """Mark this thread's saves as part of one bulk write, which announces itself with `catalogue_changed`."""
    depth = getattr(_batch, "depth", 0)
    _batch.depth = depth + 1
    try:
        yield
    finally:
        _batch.depth = depth


def in_catalogue_batch() -> bool:
    return getattr(_batch, "depth", 0) > 0
