from __future__ import annotations

import html
import json
from collections.abc import Iterable

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from catalog.html import sanitize_html
from catalog.models import TocLine
from storefront.country import country_form
from storefront.covers import cover_url, cover_widths, thumbnail_height
from storefront.jinja import escape_as_django as escaped  # as format_html escapes its arguments

JSON_SCRIPT_ESCAPES = (("<", "\\u003C"), (">", "\\u003E"), ("&", "\\u0026"))

register = template.Library()


@register.filter
def rich_text(value: str) -> SafeString:
    """Editor HTML, sanitized again on the way out so nothing unsafe reaches a page."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitized by nh3 just above


@register.filter
def toc_items(lines: Iterable[TocLine]) -> SafeString:
    """Table of contents entries as <li> elements: built in one call, since a book may have forty."""
    return mark_safe(  # noqa: S308 - every value escaped, the level a number
        "".join(
            f'<li class="toc-entry toc-level-{int(line.level)}">'
            + (f'<span class="toc-label">{html.escape(line.label)}</span> ' if line.label else "")
            + f'<span class="toc-title">{html.escape(line.title)}</span></li>'
            for line in lines
        )
    )


# The three below are on every product page and book card. They build their markup with f-strings,
# each value escaped as `format_html` escapes its arguments, at a fraction of its cost per call.


@register.filter
def contributor_links(contributions: Iterable) -> SafeString:
    """“A, B and C (Editor)”: each contributor linked to their page, a role other than author named.

    Built in one call rather than a template loop: it is on every product page and book card.
    """
    contributions = list(contributions)
    parts = []
    for index, contribution in enumerate(contributions):
        if index:
            parts.append(" and " if index == len(contributions) - 1 else ", ")
        author = contribution.author
        parts.append(f'<a href="{escaped(author.get_absolute_url())}">{escaped(author.name)}</a>')
        if contribution.role != contribution.Role.AUTHOR:
            parts.append(f" ({escaped(contribution.get_role_display())})")
    return mark_safe("".join(parts))  # noqa: S308 - each value escaped


@register.filter
def subject_links(subjects: Iterable) -> SafeString:
    """“History (BISAC HIS000000, Thema NH), Art”: each subject linked to its page, with its codes."""
    parts = []
    for subject in subjects:
        link = f'<a href="{escaped(subject.get_absolute_url())}">{escaped(subject.name)}</a>'
        schemes = (("BISAC", subject.bisac_code), ("Thema", subject.thema_code))
        codes = ", ".join(f"{scheme} {code}" for scheme, code in schemes if code)
        parts.append(f'{link} <span class="subject-codes">({escaped(codes)})</span>' if codes else link)
    return mark_safe(", ".join(parts))  # noqa: S308 - each value escaped


def cover_img(book, width: int = 320, sizes: str = "", loading: str = "lazy") -> SafeString:
    """An <img> for the book's cover with width, height and srcset, or the typographic cover."""
    if book.cover:
        widths = cover_widths(book)
        src = cover_url(book, min(width, widths[-1]))
        candidates = ", ".join(f"{cover_url(book, w)} {w}w" for w in widths)
        srcset = f' srcset="{escaped(candidates)}" sizes="{escaped(sizes or f"{width}px")}"'
    else:
        src = cover_url(book)
        srcset = ""
    shown_width = min(width, book.cover_width) if book.cover and book.cover_width else width
    return mark_safe(  # noqa: S308 - each value escaped
        f'<img class="cover" src="{escaped(src)}"{srcset} width="{escaped(shown_width)}" '
        f'height="{escaped(thumbnail_height(book, shown_width))}" alt="Cover of {escaped(book.title)}" '
        f'loading="{escaped(loading)}" decoding="async">\n'
    )


@register.simple_tag
def book_cover(book, width: int = 320, sizes: str = "", loading: str = "lazy") -> SafeString:
    return cover_img(book, width, sizes, loading)


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    return context["request"].build_absolute_uri(path)


@register.filter
def json_ld(data: dict) -> SafeString:
    """A <script type="application/ld+json"> block; <, > and & are escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder)
    for character, replacement in JSON_SCRIPT_ESCAPES:  # str.replace: many times faster than str.translate
        text = text.replace(character, replacement)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@register.simple_tag(takes_context=True)
def shipping_country_form(context, return_to: str = "", compact: bool = False) -> SafeString:
    """The country selector (storefront.country.country_form)."""
    return country_form(context["request"], return_to=return_to, compact=compact)
