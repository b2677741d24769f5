"""The benchmark server's URLs: the site's own, plus the floor `/__floor__/<n>/`.

Only the benchmark's gunicorn loads this (its settings point ROOT_URLCONF here and name the
site's URLconf in BENCHMARK_SITE_URLCONF). The floor returns, from a file, exactly the bytes a
measured page returned once, through the full middleware: what serving that page would cost if
rendering it cost nothing.
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

_site = import_module(settings.BENCHMARK_SITE_URLCONF)
_bodies: dict[int, tuple[bytes, str]] = {}


def floor(request: HttpRequest, number: int) -> HttpResponse:
    if number not in _bodies:
        folder = Path(settings.BENCHMARK_FLOOR_DIR)
        content_type = json.loads((folder / f"{number}.json").read_text())["content_type"]
        _bodies[number] = ((folder / f"{number}.bin").read_bytes(), content_type)
    body, content_type = _bodies[number]
    return HttpResponse(body, content_type=content_type)


urlpatterns = [path("__floor__/<int:number>/", floor), *_site.urlpatterns]
for _handler in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(_site, _handler):
        globals()[_handler] = getattr(_site, _handler)
