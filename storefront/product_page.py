"""The product page, rendered in two steps: what every country sees, once; each country's part, per request.

Most of a product page is the same for every reader: the book's title, contributors, description,
contents and authors, its meta tags. A few parts depend on the reader's shipping country: the
price box, the offers in the JSON-LD, the header's country selector and the notice about an
unknown country code. The page cache (storefront.page_cache) keeps whole pages per country, so a
book read from many countries would be rendered, queries and templates, once per country.

Instead the page is rendered once with a *slot* where each country's part goes: a
`ProductSkeleton`, kept in the cache under the page cache's generation, the day (a book not yet
published says so until its day), the scheme and host (the page holds absolute URLs) and the
book's slug. Each request fills the slots: one query (the formats' prices; pricing
facts are kept in memory, see pricing.quotes) and two small templates.

The skeleton is `templates/base.html` (the frame every page shares, rendered by the template
language once per process with a slot for each block) around the book's blocks, rendered with
Jinja2 (`storefront/jinja2/storefront/book_detail.html`; storefront.jinja says why), as are the
price box and the country selector.

Every change to the catalogue or its prices moves the generation on, so a skeleton is never used
after a change, exactly as a cached page is not. A skeleton holds nothing of one visitor (the
page template has no access to the country, session or CSRF token: those are slots or absent),
which tests/storefront/test_product_skeleton.py checks by comparing the bytes of pages filled from
another country's skeleton with pages rendered from scratch. If the cache is unreachable, the
page is rendered from scratch each time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from catalog.addresses import slug_url
from catalog.book_page import book_for_page
from catalog.html import plain_text
from catalog.models import Book, Format
from pricing.quotes import quotes_for
from storefront.citations import apa_citation
from storefront.context_processors import site
from storefront.country import country_form
from storefront.covers import SOCIAL_HEIGHT, SOCIAL_WIDTH, cover_url, social_image_url
from storefront.jinja import render, render_blocks
from storefront.page_cache import kept
from storefront.structured_data import book_json_ld, with_offers
from storefront.templatetags.storefront_tags import json_ld

SKELETON_TIMEOUT = 24 * 60 * 60
# The meta description: the description's first words.
SUMMARY_WORDS = 40
# The table of contents shows this many entries; the rest sit behind "View More"...
TOC_VISIBLE_ENTRIES = 5
# ...unless so few would be hidden that a toggle costs more than showing them.
TOC_FEWEST_HIDDEN = 3

# The blocks of base.html the book fills (storefront/jinja2/storefront/book_detail.html)...
BLOCKS = ("title", "head", "content")
# ...and the parts each request fills, for its country.
SLOTS = ("structured_data", "country_header", "notice", "price_box")
# An HTML comment: no text of a book can produce one (text is escaped; rich text is sanitized by
# nh3, which drops comments), so only the template's slots match.
_SLOT = re.compile(r"<!--slot:(\w+)-->")


def first_words(text: str, count: int) -> str:
    """`Truncator(text).words(count)` in English: the first `count` words, and “…” when there were more."""
    words = text.split()
    return " ".join(words[:count]) + "…" if len(words) > count else " ".join(words)


def toc_split(entries: list) -> tuple[list, list]:
    """The entries shown at once and those behind "View More" (none when only one or two would be)."""
    if len(entries) - TOC_VISIBLE_ENTRIES < TOC_FEWEST_HIDDEN:
        return entries, []
    return entries[:TOC_VISIBLE_ENTRIES], entries[TOC_VISIBLE_ENTRIES:]


@dataclass(frozen=True)
class ProductSkeleton:
    """A product page with its country's parts left out: `segments` alternates text and slot names."""

    segments: tuple[str, ...]
    formats: tuple[Format, ...]
    book_date: date
    structured_data: dict

    def fill(self, parts: dict[str, str]) -> str:
        return "".join(parts[segment] if i % 2 else segment for i, segment in enumerate(self.segments))


def frame() -> tuple[str, ...]:
    """base.html around a product page, split as `ProductSkeleton.segments` is: the same for every book.

    Rendered once per process, or each time while developing, so an edited base.html shows at once.
    """
    return _render_frame() if settings.DEBUG else _kept_frame()


def _render_frame() -> tuple[str, ...]:
    return tuple(_SLOT.split(render_to_string("storefront/product_frame.html", site(None))))


_kept_frame = cache(_render_frame)


def _forget_frame(**kwargs) -> None:  # the site's name, the static files' addresses, in tests
    _kept_frame.cache_clear()


setting_changed.connect(_forget_frame)


def render_skeleton(request: HttpRequest, slug: str) -> ProductSkeleton:
    try:
        book = book_for_page(slug)
    except Book.DoesNotExist as error:
        raise Http404("No such book.") from error
    toc_visible, toc_more = toc_split(book.toc_lines())
    contributions, formats = list(book.contributions.all()), list(book.formats.all())
    cover = request.build_absolute_uri(cover_url(book))
    description = plain_text(book.description)  # for the meta tags and the JSON-LD alike
    blocks = render_blocks(
        "storefront/book_detail.html",
        BLOCKS,
        {
            "book": book,
            # Its relations, loaded with it (catalog.book_page).
            "contributions": contributions,
            "formats": formats,
            "primary_format": book.primary_format,
            "subjects": book.subjects.all(),
            "quotes": book.review_quotes.all(),
            "related": book.related_titles.all(),
            "absolute_url": request.build_absolute_uri,
            "site_name": settings.BOOKSTORE_SITE_NAME,
            "social_image_url": request.build_absolute_uri(social_image_url(book)),
            "social_image_width": SOCIAL_WIDTH,
            "social_image_height": SOCIAL_HEIGHT,
            "summary": first_words(description, SUMMARY_WORDS),
            "toc_visible": toc_visible,
            "toc_more": toc_more,
            "citation": apa_citation(book),
            "citation_ris_url": slug_url("storefront:book_citation", book.slug, kind="ris"),
            "citation_bib_url": slug_url("storefront:book_citation", book.slug, kind="bib"),
            # The skeleton's key holds the day, so this changes on the publication day by itself.
            "not_yet_published": book.publication_date > timezone.localdate(),
        },
    )
    # The frame's slots for these blocks filled; the country's slots stay, for each request.
    html = "".join(blocks.get(part, f"<!--slot:{part}-->") if i % 2 else part for i, part in enumerate(frame()))
    return ProductSkeleton(
        segments=tuple(_SLOT.split(html)),
        formats=tuple(formats),
        book_date=book.publication_date,
        structured_data=book_json_ld(book, request=request, cover_url=cover, description=description),
    )


def skeleton_for(request: HttpRequest, slug: str) -> ProductSkeleton:
    """The book's skeleton from the cache, or rendered and kept there (Http404 for an unknown slug)."""
    generation_ns = getattr(request, "page_cache_generation", None)
    if generation_ns is None:  # not behind the page cache, or the cache is unreachable
        return render_skeleton(request, slug)
    address = f"{request.scheme}://{request.get_host()}/{slug}"
    day = timezone.localdate().isoformat()  # "To be published" turns into "Published" on the day
    key = f"storefront:product:v1:{generation_ns}:{day}:{hashlib.sha256(address.encode()).hexdigest()[:32]}"
    return kept(key, lambda: render_skeleton(request, slug), SKELETON_TIMEOUT, what="the product page skeleton")


def book_detail(request: HttpRequest, slug: str) -> HttpResponse:
    skeleton = skeleton_for(request, slug)
    shipping_country = request.shipping_country
    quotes = quotes_for(skeleton.formats, shipping_country.code)
    offers = [(fmt, quotes[fmt.pk]) for fmt in skeleton.formats]
    # Back from "Add to cart" (orders.views.cart_add): `?added=<ISBN-13>` says which. An unknown
    # parameter, so this page is rendered for the visitor and never taken from or put in the cache.
    added = next((fmt for fmt in skeleton.formats if fmt.isbn == request.GET.get("added")), None)
    price_box = render(
        "storefront/includes/_price_box.html",
        {
            "request": request,
            "offers": offers,
            "added": added,
            "book_date": skeleton.book_date,
            "shipping_country": shipping_country,
        },
    )
    parts = {
        "structured_data": json_ld(with_offers(skeleton.structured_data, offers, country=shipping_country.code)),
        "country_header": country_form(request, compact=True),
        "notice": render_to_string("includes/_country_notice.html", {"shipping_country": shipping_country})
        if shipping_country.rejected
        else "",
        "price_box": price_box,
    }
    return HttpResponse(skeleton.fill(parts))
