"""What a reader sees: the catalog, product, author, publisher, subject and search pages, covers."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.utils.text import Truncator
from django.views.generic import ListView
from PIL import Image

from storefront.covers import COVER_WIDTHS, book_cover_url, thumbnail, typographic_cover_svg
from catalog.isbn import isbn13_parse
from catalog.models import Author, Book, Format, Publisher, Subject
from catalog.search import clean_query
from storefront.structured_data import book_json_ld, plain_text
from pricing.quotes import quotes_for

logger = logging.getLogger(__name__)

# The table of contents shows this many entries; the rest sit behind "View More".
TOC_VISIBLE_ENTRIES = 5


class BookListView(ListView):
    """The catalog: newest books first. A page number past the end or not a number is a 404."""

    template_name = "storefront/book_list.html"
    context_object_name = "books"
    paginate_by = settings.CATALOG_PAGE_SIZE

    def get_queryset(self):
        return Book.objects.for_listing().newest_first()


def book_detail(request: HttpRequest, slug: str) -> HttpResponse:
    book = get_object_or_404(Book.objects.for_product_page(), slug=slug)
    toc_entries = list(book.toc_entries.all())
    formats = list(book.formats.all())
    country = request.shipping_country.code
    quotes = quotes_for(formats, country)
    offers = [(fmt, quotes[fmt.pk]) for fmt in formats]
    cover_url = request.build_absolute_uri(book_cover_url(book))
    return render(
        request,
        "storefront/book_detail.html",
        {
            "book": book,
            "offers": offers,
            "cover_url": cover_url,
            "summary": Truncator(plain_text(book.description)).words(40),
            "structured_data": book_json_ld(book, offers, request=request, country=country, cover_url=cover_url),
            "toc_visible": toc_entries[:TOC_VISIBLE_ENTRIES],
            "toc_more": toc_entries[TOC_VISIBLE_ENTRIES:],
        },
    )


def book_by_isbn(request: HttpRequest, isbn: str) -> HttpResponse:
    """Any ISBN form of any of a book's formats answers a permanent redirect to its page."""
    isbn13 = isbn13_parse(isbn)
    if isbn13 is None:
        raise Http404("Not a valid ISBN.")
    fmt = get_object_or_404(Format.objects.select_related("book"), isbn=isbn13)
    return HttpResponsePermanentRedirect(fmt.book.get_absolute_url())


class AuthorDetailView(BookListView):
    """An author's biography and books, newest first, paginated."""

    template_name = "storefront/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return Book.objects.by_author(self.author).for_listing().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class PublisherDetailView(BookListView):
    template_name = "storefront/publisher_detail.html"

    def get_queryset(self):
        self.publisher = get_object_or_404(Publisher, slug=self.kwargs["slug"])
        return Book.objects.filter(publisher=self.publisher).for_listing().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(publisher=self.publisher, **kwargs)


class SubjectDetailView(BookListView):
    template_name = "storefront/subject_detail.html"

    def get_queryset(self):
        self.subject = get_object_or_404(Subject, slug=self.kwargs["slug"])
        return self.subject.books.for_listing().newest_first()

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, subjects=Subject.objects.all(), **kwargs)


class SearchView(BookListView):
    """Search by title, subtitle, author, ISBN in any form and words of the description."""

    template_name = "storefront/search.html"
    paginate_by = 10

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q"))
        return Book.objects.search(self.query).for_listing() if self.query else Book.objects.none()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


@require_GET
@cache_control(public=True, max_age=365 * 24 * 60 * 60, immutable=True)
def cover_image(request: HttpRequest, slug: str, width: int) -> HttpResponse:
    """The uploaded cover resized to one of COVER_WIDTHS; the URL carries a version for caching."""
    book = get_object_or_404(Book, slug=slug)
    if width not in COVER_WIDTHS or not book.cover:
        raise Http404("No such cover size.")
    try:
        path = thumbnail(book, width)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        # A missing or unreadable upload: log it for the editors, show readers no broken page.
        logger.warning("Cover of %s cannot be resized: %s", book.slug, error)
        raise Http404("This cover cannot be shown.") from error
    return FileResponse(path.open("rb"), content_type="image/jpeg")


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def cover_generated(request: HttpRequest, slug: str) -> HttpResponse:
    """A typographic cover for books without an uploaded one."""
    book = get_object_or_404(Book.objects.with_contributors(), slug=slug)
    author = ", ".join(contribution.author.name for contribution in book.contributions.all())
    svg = typographic_cover_svg(title=book.title, subtitle=book.subtitle, author=author, seed=book.slug)
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
