"""What a reader sees: the catalog, product, author, publisher, subject and search pages, covers."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.db.models import F, Model
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView
from PIL import Image

from catalog.isbn import isbn13_parse
from catalog.models import Author, Book, BookQuerySet, Format, Publisher, Series, Subject
from catalog.search import BookSearch, clean_query, search_books
from storefront.cards import book_cards
from storefront.citations import bibtex, ris
from storefront.covers import (
    COVER_WIDTHS,
    cover_version,
    social_image_png,
    thumbnail,
    typographic_cover_svg,
)
from storefront.page_cache import generation, kept

logger = logging.getLogger(__name__)

# Keyset paging's start: a book id, as Python and the database both take it (a bigint).
MAX_BOOK_ID = 2**63 - 1


def page_start(value: str | None) -> int | None:
    """The book a list page starts at, from `?from=`; None for the first page. Anything else is a 404."""
    if value is None:
        return None
    # No id has more digits than the largest (and int() refuses a string of over 4,300 digits).
    digits = value.isascii() and value.isdigit() and len(value) <= len(str(MAX_BOOK_ID))
    if not digits or not 0 < int(value) <= MAX_BOOK_ID:
        raise Http404("Not a page of this list.")
    return int(value)


class NewestBooksView(TemplateView):
    """The catalog: newest books first, a page at a time, with "Previous" and "Next" links.

    A page is named by its first book (`?from=<book id>`; the first page by nothing), so every page
    is one index range however deep in the list (BookQuerySet.newest_page). A start that is not a
    number or not a book of this list is a 404, so the page cache holds at most one page per book.
    Numbered links from before (`?page=`) are sent to the first page for good (301).
    """

    template_name = "storefront/book_list.html"

    def books(self) -> BookQuerySet:
        return Book.objects.all()

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "page" in request.GET:
            return HttpResponsePermanentRedirect(address_without(request, "page"))
        start = page_start(request.GET.get("from"))
        try:
            page = self.books().newest_page(start=start, size=settings.CATALOG_PAGE_SIZE)
        except Book.DoesNotExist as error:
            raise Http404("Not a page of this list.") from error
        if start is not None and not page.has_previous:
            # The list's first book: its page is the first page, which has one address. Not for
            # good, though: newer books may come.
            return HttpResponseRedirect(address_without(request, "from"))
        return self.render_to_response(self.get_context_data(books=page.books, book_page=page))


def address_without(request: HttpRequest, parameter: str) -> str:
    query = request.GET.copy()
    query.pop(parameter, None)
    return f"{request.path}?{query.urlencode()}" if query else request.path


class BooksOfView(NewestBooksView):
    """The books of one author, publisher or subject, found by its slug; newest first, a page at a time.

    The object is in the template's context under its model's name (`author`, `publisher`, `subject`).
    """

    owner_model: type[Model]

    def books_of(self, owner) -> BookQuerySet:
        raise NotImplementedError

    def books(self) -> BookQuerySet:
        self.owner = get_object_or_404(self.owner_model, slug=self.kwargs["slug"])
        return self.books_of(self.owner)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{self.owner_model._meta.model_name: self.owner}, **kwargs)


CITATION_FORMATS = {
    # format: (writer, content type, file extension)
    "ris": (ris, "application/x-research-info-systems; charset=utf-8", "ris"),
    "bib": (bibtex, "application/x-bibtex; charset=utf-8", "bib"),
}


@require_safe
def book_citation(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The book's reference as a file for reference managers: RIS or BibTeX."""
    if kind not in CITATION_FORMATS:
        raise Http404("No such citation format.")
    book = get_object_or_404(Book.objects.for_listing().select_related("series"), slug=slug)
    writer, content_type, extension = CITATION_FORMATS[kind]
    text = writer(book, url=request.build_absolute_uri(book.get_absolute_url()))
    response = HttpResponse(text, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{book.slug}.{extension}"'
    return response


class SeriesDetailView(TemplateView):
    """A series and its books in their order in it (unnumbered ones last, oldest first)."""

    template_name = "storefront/series_detail.html"

    def get_context_data(self, **kwargs):
        series = get_object_or_404(Series, slug=self.kwargs["slug"])
        books = series.books.for_listing().order_by(F("series_number").asc(nulls_last=True), "publication_date", "pk")
        return super().get_context_data(series=series, books=list(books), **kwargs)


def book_by_isbn(request: HttpRequest, isbn: str) -> HttpResponse:
    """Any ISBN form of any of a book's formats answers a permanent redirect to its page."""
    isbn13 = isbn13_parse(isbn)
    if isbn13 is None:
        raise Http404("Not a valid ISBN.")
    fmt = get_object_or_404(Format.objects.select_related("book"), isbn=isbn13)
    return HttpResponsePermanentRedirect(fmt.book.get_absolute_url())


class AuthorDetailView(BooksOfView):
    """An author's biography and books."""

    owner_model = Author
    template_name = "storefront/author_detail.html"

    def books_of(self, author: Author) -> BookQuerySet:
        return Book.objects.by_author(author)


class PublisherDetailView(BooksOfView):
    owner_model = Publisher
    template_name = "storefront/publisher_detail.html"

    def books_of(self, publisher: Publisher) -> BookQuerySet:
        return Book.objects.filter(publisher=publisher)


class SubjectDetailView(BooksOfView):
    owner_model = Subject
    template_name = "storefront/subject_detail.html"

    def books_of(self, subject: Subject) -> BookQuerySet:
        return subject.books.all()

    def get_context_data(self, **kwargs):
        return super().get_context_data(subjects=Subject.objects.all(), **kwargs)


# How long a search's outcome is remembered; any change to the catalogue forgets it at once.
SEARCH_TIMEOUT = 10 * 60


def remembered_search(query: str, *, generation_ns: int | None, correct: bool = True) -> BookSearch:
    """`search_books(query, correct=correct)`, remembered under the page cache's generation.

    A search's ranked ids (at most catalog.search.MAX_RESULTS), whether there are more, and the
    corrected query depend only on the catalogue, so a query asked again (a popular word, the next
    page) runs no search and no typo correction until the catalogue changes. Only those few values
    are kept, never a page: each page is composed afresh from its books' cards (storefront.cards).
    With no generation (the cache is unreachable), the search runs.
    """
    if generation_ns is None:
        return search_books(query, correct=correct)
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    key = f"storefront:search:{generation_ns}:{'' if correct else 'exact:'}{digest}"

    def search() -> tuple[list[int], bool, str | None]:
        found = search_books(query, correct=correct)
        return found.book_ids, found.more, found.corrected_query

    book_ids, more, corrected_query = kept(key, search, SEARCH_TIMEOUT, what="the search's outcome")
    return BookSearch(Book.objects.all(), book_ids, more, corrected_query)


def current_generation() -> int | None:
    """The page cache's generation, or None when the cache is unreachable."""
    try:
        return generation()
    except Exception:  # noqa: BLE001 - a cache outage must not take the page down
        logger.warning("The cache is unreachable; serving uncached.", exc_info=True)
        return None


class SearchView(ListView):
    """Search by title, subtitle, author, ISBN in any form and words of the description.

    The search ranks a bounded number of ids (catalog.search.MAX_RESULTS); the paginator pages
    that list, so nothing counts every match, and only the shown page's books are shown, from
    their cards (storefront.cards).
    A misspelt word that matches nothing is corrected, and the page says so, with a link that
    searches the words as typed (`exact=1`, which turns correction off).
    """

    template_name = "storefront/search.html"
    context_object_name = "books"
    paginate_by = 10

    def get_queryset(self) -> list[int]:
        self.query = clean_query(self.request.GET.get("q"))
        exact = self.request.GET.get("exact") == "1"
        self.generation_ns = current_generation()
        self.found = (
            remembered_search(self.query, generation_ns=self.generation_ns, correct=not exact) if self.query else None
        )
        return self.found.book_ids if self.found else []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.query,
            corrected_query=self.found and self.found.corrected_query,
            more_results=bool(self.found and self.found.more),
            **kwargs,
        )
        # The shown page's books, from their cards: loaded and rendered only when not kept.
        context["cards"] = book_cards(list(context["page_obj"].object_list), generation_ns=self.generation_ns)
        return context


ONE_YEAR = 365 * 24 * 60 * 60


@require_safe
def cover_image(request: HttpRequest, slug: str, width: int) -> HttpResponse:
    """The uploaded cover resized to one of COVER_WIDTHS, from the cover's storage."""
    book = get_object_or_404(Book, slug=slug)
    if width not in COVER_WIDTHS or not book.cover:
        raise Http404("No such cover size.")
    try:
        storage, name = thumbnail(book, width)
        response = FileResponse(storage.open(name, "rb"), content_type="image/jpeg")
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        # A missing or unreadable upload: log it for the editors, show readers no broken page.
        logger.warning("Cover of %s cannot be resized: %s", book.slug, error)
        raise Http404("This cover cannot be shown.") from error
    return versioned(response, request, cover_version(book))


@require_safe
def cover_generated(request: HttpRequest, slug: str) -> HttpResponse:
    """A typographic cover for books without an uploaded one."""
    book = get_object_or_404(Book.objects.with_contributors(), slug=slug)
    svg = typographic_cover_svg(title=book.title, subtitle=book.subtitle, author=book.contributor_names, seed=book.slug)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    return versioned(response, request, cover_version(book))


@require_safe
def cover_social(request: HttpRequest, slug: str) -> HttpResponse:
    """The cover as a 1200×630 PNG for link previews, which show no SVG."""
    book = get_object_or_404(Book.objects.with_contributors(), slug=slug)
    try:
        png = social_image_png(book)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        logger.warning("Cover of %s cannot be drawn for link previews: %s", book.slug, error)
        raise Http404("This cover cannot be shown.") from error
    return versioned(HttpResponse(png, content_type="image/png"), request, cover_version(book))


def versioned(response: HttpResponse, request: HttpRequest, version: str) -> HttpResponse:
    """Cache a cover for a year under its current version's URL; an outdated or bare URL only briefly."""
    if request.GET.get("v") == version:
        patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=5 * 60)
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
