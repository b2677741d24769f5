"""The sitemap: every page a crawler should know, with its last change where the model records one.

`/sitemap.xml` is an index of paged sitemaps, one section per model (`/sitemap-books.xml?p=2`).
Pages are ranges of ids, not OFFSET slices of a count: page 3 of the books holds the books with
ids 20,001–30,000, so finding a page is one index range and the number of pages one MAX(id).
Ids are never reused, so a book stays on its page for good; a page whose books were all
deleted is served empty rather than renumbering the pages after it.

Each url says where and when it last changed, nothing more: search engines ignore a sitemap's
priority and change frequency, and leaving them out (with a template of our own, without the
whitespace handling and language alternates of Django's) makes a page of urls about twice as quick
to render.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.contrib.sitemaps import GenericSitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Max, QuerySet

from catalog.models import Author, Book, Publisher, Series, Subject

# Urls per sitemap page: rendering costs about a tenth of a millisecond of CPU per url, whatever
# the catalogue's size (README, "Lists and sitemap at scale"), so a page stays near the half
# second a crawler should wait; far below the protocol's 50,000 urls and 50 MB.
SITEMAP_PAGE_SIZE = 2_000


@dataclass(frozen=True)
class IdRangePage:
    object_list: QuerySet


class IdRangePaginator:
    """The part of Django's Paginator a Sitemap uses, paging by id ranges instead of OFFSET."""

    def __init__(self, queryset: QuerySet, per_page: int) -> None:
        self.queryset = queryset
        self.per_page = per_page

    @property
    def num_pages(self) -> int:
        highest = self.queryset.aggregate(highest=Max("pk"))["highest"] or 0
        return max(1, math.ceil(highest / self.per_page))

    def page(self, number) -> IdRangePage:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        first = (number - 1) * self.per_page
        return IdRangePage(self.queryset.filter(pk__gt=first, pk__lte=first + self.per_page).order_by("pk"))


class IdRangeSitemap(GenericSitemap):
    limit = SITEMAP_PAGE_SIZE

    @property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self.queryset, self.limit)


SITEMAPS = {
    # Only the columns the urls and their dates need: a book row also holds its description and
    # search document.
    "books": IdRangeSitemap(
        {"queryset": Book.objects.only("slug", "updated_at"), "date_field": "updated_at"},
    ),
    "authors": IdRangeSitemap(
        {"queryset": Author.objects.only("slug", "updated_at"), "date_field": "updated_at"},
    ),
    "publishers": IdRangeSitemap({"queryset": Publisher.objects.only("slug")}),
    "subjects": IdRangeSitemap({"queryset": Subject.objects.only("slug")}),
    "series": IdRangeSitemap(
        {"queryset": Series.objects.only("slug", "updated_at"), "date_field": "updated_at"},
    ),
}
