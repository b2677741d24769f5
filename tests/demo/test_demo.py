"""`manage.py demo`: migrate, load the demo catalog idempotently, serve."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import serializers

from catalog.models import Author, Book, Contribution, Format, Publisher, Subject, TocEntry
from demo.data import SEED_BOOK_SLUG
from demo.services import demo_catalog_load
from tests.bookstore.test_gunicorn import free_port

ROOT = Path(__file__).resolve().parents[2]
MODELS = [Publisher, Subject, Author, Book, Contribution, Format, TocEntry]


def snapshot() -> str:
    return "".join(serializers.serialize("json", model.objects.order_by("pk")) for model in MODELS)


@pytest.mark.django_db
def test_loading_twice_gives_the_same_data():
    first_report = demo_catalog_load()
    assert first_report.created["Book"] == 6
    before = snapshot()
    second_report = demo_catalog_load()
    assert second_report.untouched
    assert snapshot() == before


@pytest.mark.django_db
def test_loading_restores_what_an_editor_changed_in_demo_rows_and_keeps_their_own_books():
    demo_catalog_load()
    seed = Book.objects.get(slug=SEED_BOOK_SLUG)
    seed.toc_entries.filter(position=16).delete()
    Book.objects.filter(pk=seed.pk).update(page_count=1)
    own = Book.objects.create(
        title="Editor’s Own", slug="editors-own", publisher=seed.publisher, publication_date=seed.publication_date,
        page_count=10,
    )
    report = demo_catalog_load()
    assert report.changed["Book"] == 1 and report.created["TocEntry"] == 1
    assert Book.objects.filter(pk=own.pk).exists()
    seed.refresh_from_db()
    assert seed.page_count == 296
    assert seed.toc_entries.get(position=16).title == "Party Members’ Occupations"


@pytest.mark.django_db
def test_loading_puts_demo_countries_back_in_their_markets():
    from pricing.models import Market, MarketCountry

    demo_catalog_load()
    eurozone, japan = Market.objects.get(name="Eurozone"), Market.objects.get(name="Japan")
    MarketCountry.objects.filter(country="DE").update(market=japan, print_tax_rate=19)
    MarketCountry.objects.create(market=eurozone, country="NO")
    report = demo_catalog_load()
    assert report.changed["MarketCountry"] == 1 and report.removed["MarketCountry"] == 1
    germany = MarketCountry.objects.get(country="DE")
    assert germany.market == eurozone and germany.print_tax_rate == 7
    assert not MarketCountry.objects.filter(country="NO").exists()
    assert demo_catalog_load().untouched


@pytest.mark.django_db
def test_the_demo_catalog_is_more_than_one_book(demo_catalog):
    assert Book.objects.count() >= 5
    assert Author.objects.count() >= 4
    assert Publisher.objects.count() >= 2
    several_formats = [book for book in Book.objects.all() if book.formats.count() > 1]
    assert len(several_formats) >= 2
    assert Format.objects.filter(binding=Format.Binding.EBOOK).exists()
    authors_with_two_books = [a for a in Author.objects.all() if Book.objects.by_author(a).count() > 1]
    assert authors_with_two_books


@pytest.mark.django_db
def test_seed_book_data(seed_book):
    assert seed_book.toc_entries.count() == 16
    labels = list(seed_book.toc_entries.values_list("label", flat=True))
    assert labels == ["Introduction:", *[f"{n}." for n in range(1, 10)], "Conclusions:",
                      *[f"Appendix {n}." for n in range(1, 6)]]
    assert [f.isbn for f in seed_book.formats.all()] == ["9780415546416"]


@pytest.mark.django_db
def test_invented_books_say_they_are_demo_data(demo_catalog):
    invented = Book.objects.exclude(slug=SEED_BOOK_SLUG)
    assert invented.exists()
    for book in invented:
        assert "Demo data" in book.description, book.slug


def test_manage_py_demo_migrates_loads_and_serves(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "REDIS_URL"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "demo", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/books/{SEED_BOOK_SLUG}/", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "demo did not serve in 90 s"
                time.sleep(0.5)
        assert "The Russian Revolution in Retreat, 1920–24" in page
        assert "Party Members’ Occupations" in page
        # The demo shows the site as a reader sees it: the designed 404 page, not Django's debug
        # page, naming the icon, which is served (debug off, still no collectstatic needed).
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
        assert missing.value.code == 404
        not_found = missing.value.read().decode()
        assert "We could not find that page." in not_found
        assert "DEBUG = True" not in not_found and "Using the URLconf" not in not_found
        assert 'rel="icon" href="/static/favicon.svg"' in not_found
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/favicon.svg", timeout=5) as icon:
            assert icon.headers["Content-Type"].startswith("image/svg+xml")
        worker = subprocess.run(
            ["pgrep", "-f", "-P", str(server.pid), "manage.py db_worker"], capture_output=True, text=True
        )
        assert worker.stdout.strip(), "demo started no task worker"
    finally:
        server.terminate()
        server.wait(timeout=20)
    # A second run over the same database finds everything current.
    again = subprocess.run(
        [sys.executable, "manage.py", "demo", "--load-only"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert again.returncode == 0, again.stderr
    assert again.stdout == "Demo catalog ready: 6 books (0 rows created or updated, the rest already current).\n"


@pytest.mark.django_db
def test_demo_load_only_counts_grammatically_and_names_no_server_address():
    from io import StringIO

    from django.core.management import call_command

    demo_catalog_load()
    Book.objects.filter(slug=SEED_BOOK_SLUG).update(page_count=1)
    out = StringIO()
    call_command("demo", load_only=True, stdout=out)
    assert out.getvalue() == (
        "Demo catalog ready: 6 books (1 row created or updated, the rest already current); 4 example orders placed.\n"
    )


class FakeWorker:
    pid = 0

    def terminate(self) -> None: ...

    def wait(self, timeout: float) -> int:
        return 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("addrport", "site"), [("127.0.0.1:8621", "http://127.0.0.1:8621"), ("8080", "http://127.0.0.1:8080")]
)
def test_links_in_order_emails_lead_to_the_port_the_demo_serves_on(demo_catalog, monkeypatch, addrport, site):
    from io import StringIO

    from django.conf import settings

    from demo.management.commands import demo

    monkeypatch.delenv("BOOKSTORE_SITE_URL", raising=False)
    monkeypatch.setattr(settings, "BOOKSTORE_SITE_URL", settings.BOOKSTORE_SITE_URL)  # put back afterwards
    served = {}

    def call_command(name, *args, **options):
        if name == "runserver":
            served.update(addrport=args[0], site=settings.BOOKSTORE_SITE_URL)

    monkeypatch.setattr(demo, "call_command", call_command)
    monkeypatch.setattr(demo.subprocess, "Popen", lambda *args, **kwargs: FakeWorker())
    monkeypatch.setattr(demo.signal, "signal", lambda *args: None)
    demo.Command(stdout=StringIO()).handle(addrport=addrport, noreload=True, load_only=False)
    assert served == {"addrport": addrport, "site": site}
