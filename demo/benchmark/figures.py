"""The figures of the benchmark: sequential latency against targets, and throughput against a floor.

Latency: one request at a time over real HTTP, each on a new connection, as a reader's browser
(or an editor's) makes it; p50 and p95 over `requests` requests after one unmeasured warm-up.
Reader pages are measured uncached: a query parameter other than `page` and `country`
(`bench=…`) makes the page cache render the page and not keep it. What every country sees of a
product page (its skeleton, storefront.product_page) and the cards of a list (storefront.cards)
are still kept: the latency figures ask for a different book each request, so each product page
is rendered whole; the uncached throughput figure asks for one book again and again, so it
measures what a reader in another country costs once someone has read the book. A search's
outcome (its ranked ids) is remembered under the words as typed, so each search latency request
adds a different number of full stops, which the search ignores: every request runs the search.

Throughput, as perfcheck measures it: the floor is a view returning the same bytes as the page
through the same middleware (`demo.benchmark.urls`); rounds alternate floor and page, each run
after a warm-up run, with `connections` connections at once against one sync worker; the
figure is the median over rounds of page req/s ÷ floor req/s.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import cycle, islice
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings

from demo.benchmark.client import Browser, LoadRun, load_run, median_ratio, percentile
from demo.benchmark.picks import Picks


@dataclass
class Figure:
    name: str
    kind: str  # "latency" (target: at most `target` ms p95) or "throughput" (at least `target` × floor)
    target: float
    path: str = ""
    p50_ms: float | None = None
    p95_ms: float | None = None
    ratio: float | None = None
    detail: str = ""
    error: str = ""

    @property
    def met(self) -> bool | None:
        if self.error:
            return False
        if self.kind == "latency":
            return None if self.p95_ms is None else self.p95_ms <= self.target
        return None if self.ratio is None else self.ratio >= self.target

    @property
    def target_text(self) -> str:
        return f"≤ {self.target:g} ms p95" if self.kind == "latency" else f"≥ {self.target:g}× floor"


class MeasureError(Exception):
    pass


# Latency


@dataclass
class LatencyPlan:
    name: str
    target_ms: float
    paths: list[str]
    browser: Browser
    check: Callable[[bytes], bool] | None = None
    figure: Figure = field(init=False)

    def __post_init__(self):
        self.figure = Figure(self.name, "latency", self.target_ms, path=_shown(self.paths))


def _shown(paths: list[str]) -> str:
    distinct = list(dict.fromkeys(paths))
    shown = distinct[0]
    return shown if len(distinct) == 1 else f"{shown} (and {len(distinct) - 1} others)"


def _uncached(path: str, number: int) -> str:
    return f"{path}{'&' if '?' in path else '?'}bench={number}"


def _each(paths: list[str], requests: int) -> list[str]:
    return list(islice(cycle(paths), requests))


def measure_latency(plan: LatencyPlan, requests: int) -> Figure:
    figure = plan.figure
    timings = []
    try:
        # A plan of more than one path warms up on its first and measures the others, so no
        # measured request finds what the warm-up left kept (a product page's skeleton).
        for path in [plan.paths[0], *_each(plan.paths[1:] or plan.paths, requests)]:
            response = plan.browser.get(path)
            if response.status != 200:
                raise MeasureError(f"HTTP {response.status} for {path}")
            timings.append(response.seconds * 1000)
    except (MeasureError, OSError) as error:
        figure.error = str(error)
        return figure
    timings = timings[1:]  # the warm-up request is not counted
    figure.p50_ms, figure.p95_ms = percentile(timings, 50), percentile(timings, 95)
    return figure


def reader_plans(browser: Browser, picks: Picks, requests: int, log: Callable[[str], None]) -> list[LatencyPlan]:
    """The reader's pages, uncached (different books each request for the product page)."""
    search = "/search/?q="
    plans = [
        LatencyPlan(
            "Product page, uncached (random books)",
            25,
            [_uncached(f"/books/{book.slug}/", n) for n, book in enumerate(_each(picks.books, requests + 1))],
            browser,
        ),
        LatencyPlan(f"Search: common word “{picks.common_word}”", 100, [search + quote(picks.common_word)], browser),
        LatencyPlan(f"Search: rare word “{picks.rare_word}”", 100, [search + quote(picks.rare_word)], browser),
        LatencyPlan(f"Search: author’s surname “{picks.surname}”", 100, [search + quote(picks.surname)], browser),
        LatencyPlan(f"Search: ISBN {picks.isbn}", 100, [search + quote(picks.isbn)], browser),
        LatencyPlan(
            f"Search: misspelt title “{picks.misspelt_title}”", 100, [search + quote(picks.misspelt_title)], browser
        ),
        LatencyPlan("Home page, uncached", 50, ["/"], browser),
        LatencyPlan(
            f"Author page: most prolific ({picks.prolific_author[1]:,} books)",
            50,
            [f"/authors/{picks.prolific_author[0]}/"],
            browser,
        ),
        LatencyPlan("Author page: random author", 50, [f"/authors/{picks.random_author}/"], browser),
        LatencyPlan("Deep list page (the last), uncached", 50, [_deepest_page()], browser),
    ]
    for plan in plans[1:]:
        plan.paths = [
            _uncached(path + (quote(" " + "." * n) if path.startswith(search) else ""), n)
            for n, path in enumerate(_each(plan.paths, requests + 1), start=1)
        ]
        plan.figure.path = _shown(plan.paths)
    index, page = _sitemap_paths(browser)
    plans.append(LatencyPlan("Sitemap: /sitemap.xml" + (" (index)" if page else ""), 500, [index], browser))
    plans.append(
        LatencyPlan(
            "Sitemap: first page of the index" if page else "Sitemap: one page (a plain sitemap)",
            500,
            [page or index],
            browser,
        )
    )
    return plans


def _deepest_page() -> str:
    """The catalogue's last page: the one that starts a page's length before its oldest book."""
    from catalog.models import Book

    size = settings.CATALOG_PAGE_SIZE
    start = Book.objects.oldest_first().values_list("pk", flat=True)[size - 1 : size]
    return f"/?from={start[0]}" if start else "/"


def _sitemap_paths(browser: Browser) -> tuple[str, str | None]:
    """`/sitemap.xml` and, when it is a sitemap index, the path of its first sitemap."""
    response = browser.get("/sitemap.xml")
    if response.status != 200:
        return "/sitemap.xml", None
    root = ElementTree.fromstring(response.body)
    if not root.tag.endswith("sitemapindex"):
        return "/sitemap.xml", None
    location = next((element.text for element in root.iter() if element.tag.endswith("loc")), None)
    if not location:
        return "/sitemap.xml", None
    parts = urlsplit(location.strip())
    return "/sitemap.xml", parts.path + (f"?{parts.query}" if parts.query else "")


# The admin

BOOK_LIST = "/admin/catalog/book/"


class _FilterLinks(HTMLParser):
    """The change list's filters: for each, its title and the links it offers (the first is "All")."""

    def __init__(self):
        super().__init__()
        self.filters: list[tuple[str, list[str]]] = []
        self.autocomplete: dict[str, dict[str, str]] = {}
        # Filters chosen by typing (editorial's AutocompleteListFilter): title -> (query parameter, field).
        self.typed_filters: dict[str, tuple[str, str]] = {}
        self.in_filter = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "details" and "data-filter-title" in attributes:
            self.filters.append((attributes["data-filter-title"], []))
            self.in_filter = True
        elif tag == "a" and self.in_filter and attributes.get("href", "").startswith("?"):
            self.filters[-1][1].append(attributes["href"])
        elif tag == "select" and "data-field-name" in attributes:
            self.autocomplete[attributes["data-field-name"]] = attributes
            if self.in_filter and attributes.get("name"):
                self.typed_filters[self.filters[-1][0]] = (attributes["name"], attributes["data-field-name"])

    def handle_endtag(self, tag):
        if tag == "details" and self.in_filter:
            self.in_filter = False
            title, links = self.filters[-1]
            if not links and title not in self.typed_filters:
                self.filters.pop()


def _typed_filter_value(field_name: str, books) -> str:
    """For a filter chosen by typing, the id of the related object of the first picked book that has one."""
    from catalog.models import Book

    field = Book._meta.get_field(field_name)
    related = Book.objects.filter(pk__in=[book.pk for book in books], **{f"{field_name}__isnull": False})
    pk = related.values_list(f"{field_name}__pk" if field.many_to_many else field.attname, flat=True).first()
    if pk is not None:
        return str(pk)
    raise MeasureError(f"none of the picked books has a {field_name} to filter by")


def admin_login(browser: Browser, username: str, password: str) -> None:
    """Log in through the admin's form, as an editor does (CSRF token from the form and its cookie)."""
    login = "/admin/login/?next=/admin/"
    form = browser.get(login)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    if form.status != 200 or not token:
        raise MeasureError(f"the admin login form answered HTTP {form.status} without a CSRF token")
    answer = browser.post_form(
        login, {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password, "next": "/admin/"}
    )
    if answer.status == 429:
        raise MeasureError(f"the admin refused to log in {username!r}: locked out after failed log-ins (django-axes)")
    if answer.status != 302 or "sessionid" not in browser.cookies:
        raise MeasureError(f"logging in {username!r} to the admin failed (HTTP {answer.status})")


def admin_plans(browser: Browser, picks: Picks, requests: int, log: Callable[[str], None]) -> list[LatencyPlan]:
    titles = [book.title for book in picks.books]
    listing = browser.get(BOOK_LIST)
    if listing.status != 200:
        raise MeasureError(f"the admin book list answered HTTP {listing.status}")
    parser = _FilterLinks()
    parser.feed(listing.text)
    plans = [
        LatencyPlan("Admin book list", 500, [BOOK_LIST], browser),
        LatencyPlan(
            "Admin book list, search by ISBN (different books)",
            500,
            [f"{BOOK_LIST}?{urlencode({'q': isbn})}" for isbn in _each(picks.admin_isbns, requests)],
            browser,
        ),
        LatencyPlan(
            "Admin book list, search by title (different books)",
            500,
            [f"{BOOK_LIST}?{urlencode({'q': title})}" for title in _each(titles, requests)],
            browser,
        ),
    ]
    for title, links in parser.filters:
        if title in parser.typed_filters:
            parameter, field_name = parser.typed_filters[title]
            choice = "?" + urlencode({parameter: _typed_filter_value(field_name, picks.books)})
        else:
            choice = next((link for link in links if link != "?"), links[0])
        plans.append(LatencyPlan(f"Admin book list, filter by {title}", 500, [BOOK_LIST + choice], browser))
    change_pages = [f"{BOOK_LIST}{book.pk}/change/" for book in _each(picks.books, requests)]
    plans.append(LatencyPlan("Admin book change page (random books)", 300, change_pages, browser))

    change_page = browser.get(change_pages[0])
    parser.feed(change_page.text)
    widget = parser.autocomplete.get("author", {})
    if not widget:
        log("The book change page shows no author autocomplete; assuming contributions' author field.")
    query = {
        "app_label": widget.get("data-app-label", "catalog"),
        "model_name": widget.get("data-model-name", "contribution"),
        "field_name": "author",
    }
    url = widget.get("data-ajax--url", "/admin/autocomplete/")
    plans.append(
        LatencyPlan(
            "Admin author autocomplete (first 4 letters of surnames)",
            100,
            [f"{url}?{urlencode({'term': term, **query})}" for term in _each(picks.autocomplete_terms, requests)],
            browser,
        )
    )
    return plans


# Throughput


@dataclass
class ThroughputPlan:
    name: str
    target: float
    path: str
    # Pages that must come from the page cache: fetched once first, so the runs hit.
    cached: bool = False


def throughput_plans(picks: Picks) -> list[ThroughputPlan]:
    book = f"/books/{picks.books[0].slug}/"
    return [
        ThroughputPlan("Throughput: product page, cache hit", 0.7, book, cached=True),
        ThroughputPlan("Throughput: home page, cache hit", 0.7, "/", cached=True),
        ThroughputPlan("Throughput: product page, uncached (skeleton kept)", 0.15, _uncached(book, 0)),
        ThroughputPlan(f"Throughput: search “{picks.surname}”", 0.3, f"/search/?q={quote(picks.surname)}"),
    ]


def measure_throughput(
    plan: ThroughputPlan,
    server,
    *,
    generator: str,
    connections: int,
    duration: float,
    warmup: float,
    rounds: int,
    log: Callable[[str], None],
) -> Figure:
    figure = Figure(plan.name, "throughput", plan.target, path=plan.path)
    browser = Browser(server.port)
    page = browser.get(plan.path)
    if page.status != 200:
        figure.error = f"HTTP {page.status} for {plan.path}"
        return figure
    if plan.cached and not page.header("ETag"):
        log(f"{plan.path}: no ETag, so probably not from the page cache")
    floor = server.add_floor(page.body, page.header("Content-Type", "text/html; charset=utf-8"))
    floor_body = browser.get(floor).body
    if floor_body != page.body:
        figure.error = f"the floor {floor} does not return the page's bytes"
        return figure
    pairs: list[tuple[LoadRun, LoadRun]] = []
    errors = 0
    for _ in range(rounds):
        runs = []
        for path in (floor, plan.path):
            server.check_alive()
            if warmup:
                load_run(generator, server.port, path, connections=connections, seconds=warmup)
            run = load_run(generator, server.port, path, connections=connections, seconds=duration)
            errors += run.non_2xx + run.socket_errors
            runs.append(run)
        pairs.append((runs[0], runs[1]))
        log(f"  {plan.path}: floor {runs[0].per_second:,.0f} req/s, page {runs[1].per_second:,.0f} req/s")
    figure.ratio = median_ratio(pairs)
    floor_rates = sorted(floor.per_second for floor, _ in pairs)
    page_rates = sorted(page.per_second for _, page in pairs)
    figure.detail = (
        f"{page_rates[len(page_rates) // 2]:,.0f} vs {floor_rates[len(floor_rates) // 2]:,.0f} req/s, "
        f"{len(page.body):,} bytes"
    )
    if errors:
        figure.error = f"{errors} non-2xx responses or socket errors under load"
    return figure


# The table


def _number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def table(figures: list[Figure]) -> str:
    rows = [
        "| figure | path | target | p50 ms | p95 ms | page ÷ floor | met? |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    for figure in figures:
        met = {True: "met", False: "**not met**", None: "–"}[figure.met]
        if figure.error:
            met = f"**not met**: {figure.error}"
        ratio = "–" if figure.ratio is None else f"{figure.ratio:.2f}× ({figure.detail})"
        path = figure.path.replace("|", "\\|")
        rows.append(
            f"| {figure.name} | `{path}` | {figure.target_text} | {_number(figure.p50_ms)} | "
            f"{_number(figure.p95_ms)} | {ratio} | {met} |"
        )
    return "\n".join(rows)
