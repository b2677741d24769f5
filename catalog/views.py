"""Reader-facing catalog pages."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView

from catalog.isbn import isbn13_parse
from catalog.models import Author, Book, Format
from pricing.quotes import quotes_for

# The table of contents shows this many entries; the rest sit behind "View More".
TOC_VISIBLE_ENTRIES = 5


class BookListView(ListView):
    """The catalog: newest books first. A page number past the end or not a number is a 404."""

    template_name = "catalog/book_list.html"
    context_object_name = "books"
    paginate_by = settings.CATALOG_PAGE_SIZE

    def get_queryset(self):
        return Book.objects.for_listing().newest_first()


def book_detail(request: HttpRequest, slug: str) -> HttpResponse:
    book = get_object_or_404(Book.objects.for_product_page(), slug=slug)
    toc_entries = list(book.toc_entries.all())
    formats = list(book.formats.all())
    quotes = quotes_for(formats, request.shipping_country.code)
    return render(
        request,
        "catalog/book_detail.html",
        {
            "book": book,
            "offers": [(fmt, quotes[fmt.pk]) for fmt in formats],
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


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author, slug=slug)
    books = Book.objects.by_author(author).for_listing().newest_first()
    return render(request, "catalog/author_detail.html", {"author": author, "books": books})
