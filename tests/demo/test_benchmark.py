"""`manage.py benchmark`: every figure measured over HTTP from its own gunicorn, which is gone afterwards.

A tiny catalogue and tiny durations: this checks the benchmark works, not how fast the site is.
The database test is transactional, since the benchmark's gunicorn reads the test database from
another process and must see what the test committed.
"""

from __future__ import annotations

import os
import re
import socket
from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command

from catalog.models import Book
from demo.benchmark.client import percentile

NUMBER = r"[\d,]+\.\d"
READER_FIGURES = [
    "Product page, uncached",
    "Search: common word",
    "Search: rare word",
    "Search: author’s surname",
    "Search: ISBN",
    "Search: misspelt title",
    "Home page, uncached",
    "Author page: most prolific",
    "Author page: random author",
    "Deep list page (the last), uncached",
    "Sitemap: /sitemap.xml",
    "Sitemap: ",
]
ADMIN_FIGURES = [
    "Admin book list",
    "Admin book list, search by ISBN",
    "Admin book list, search by title",
    *(["Admin book list, filter by "] * len(admin.site._registry[Book].list_filter)),
    "Admin book change page",
    "Admin author autocomplete",
]
THROUGHPUT_FIGURES = [
    "Throughput: product page, cache hit",
    "Throughput: home page, cache hit",
    "Throughput: product page, uncached",
    "Throughput: search",
]


def _rows(output: str) -> list[list[str]]:
    lines = [line for line in output.splitlines() if line.startswith("| ")][1:]  # without the header
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_measures_every_figure_and_stops_its_server():
    out, err = StringIO(), StringIO()
    call_command(
        "benchmark",
        books=30,
        requests=2,
        duration=0.2,
        warmup=0,
        rounds=1,
        connections=4,
        load_generator="python",
        stdout=out,
        stderr=err,
    )

    rows = _rows(out.getvalue())
    expected = READER_FIGURES + ADMIN_FIGURES + THROUGHPUT_FIGURES
    assert len(rows) == len(expected)
    for row, name in zip(rows, expected, strict=True):
        assert row[0].startswith(name), (row, name)
        assert row[-1] in {"met", "**not met**"}, row  # measured, with no error
    # Each filter is measured with a value chosen, including those an editor chooses by typing.
    filtered = {row[0]: row[1] for row in rows if row[0].startswith("Admin book list, filter by ")}
    assert "?publisher=" in filtered["Admin book list, filter by publisher"]
    assert "?subject=" in filtered["Admin book list, filter by subject"]
    for row in rows[: -len(THROUGHPUT_FIGURES)]:
        assert re.fullmatch(NUMBER, row[3]) and re.fullmatch(NUMBER, row[4]), row  # p50, p95
    for row in rows[-len(THROUGHPUT_FIGURES) :]:
        assert re.match(r"\d+\.\d\d× \(", row[5]), row  # page ÷ floor
    assert "Machine: " in out.getvalue() and "30 books (generated 30 synthetic books" in out.getvalue()
    assert "the standard-library load generator (4 connections" in out.getvalue()

    pid, port = map(int, re.search(r"gunicorn pid (\d+) serving on 127\.0\.0\.1:(\d+)", err.getvalue()).groups())
    assert f"gunicorn pid {pid} stopped" in err.getvalue()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)  # nothing left of its process group, workers included
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass
    # The editor account it logged in with can no longer log in.
    assert not get_user_model().objects.get(username="benchmark-editor").has_usable_password()

    # Run again asking for fewer books: the catalogue is reused, not added to.
    again = StringIO()
    call_command("benchmark", books=10, skip_latency=True, skip_throughput=True, stdout=again, stderr=StringIO())
    assert "reused the 30 books in the database (asked for 10)" in again.getvalue()
    assert Book.objects.count() == 30


def test_percentiles_are_nearest_rank():
    samples = [float(number) for number in range(1, 101)]
    assert percentile(samples, 50) == 50.0
    assert percentile(samples, 95) == 95.0
    assert percentile([3.0, 1.0], 95) == 3.0
    assert percentile([7.0], 50) == 7.0


@pytest.mark.django_db
def test_every_measured_search_runs_the_search_and_no_request_finds_what_the_warm_up_kept(monkeypatch):
    from urllib.parse import parse_qs, urlsplit

    from catalog.search import search_terms
    from demo.benchmark import figures
    from demo.benchmark.picks import Picks, SampleBook

    monkeypatch.setattr(figures, "_sitemap_paths", lambda browser: ("/sitemap.xml", None))
    monkeypatch.setattr(figures, "_deepest_page", lambda: "/?from=1")
    books = [SampleBook(pk=n, slug=f"book-{n}", title="T", subtitle="") for n in range(300)]
    picks = Picks(books, "history", "tides", "Whitaker", "978-0-306-40615-7", "Hsitory", ("a", 9), "b", [], [])
    plans = figures.reader_plans(browser=None, picks=picks, requests=5, log=lambda line: None)

    class Recorder:
        def __init__(self):
            self.paths = []

        def get(self, path):
            self.paths.append(path)
            return type("Response", (), {"status": 200, "seconds": 0.001})()

    for plan in plans[:6]:  # the product page and the five searches
        plan.browser = Recorder()
        figures.measure_latency(plan, 5)
        warm_up, *measured = plan.browser.paths
        assert len(measured) == 5 and len(set(measured)) == 5 and warm_up not in measured, plan.name
        if plan.name.startswith("Search"):
            # Each is typed differently (the search remembers its outcome under the words typed)
            # and searches the same words.
            queries = [parse_qs(urlsplit(path).query)["q"][0] for path in plan.browser.paths]
            assert len(set(queries)) == 6
            assert len({tuple(search_terms(query)) for query in queries}) == 1, queries
