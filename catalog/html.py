"""The rich text editors write (descriptions, biographies): sanitizing it with nh3, and reading it as plain text."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import strip_tags

ALLOWED_TAGS = {"p", "br", "em", "strong", "i", "b", "ul", "ol", "li", "a", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def _without_empty_titles(element: str, attribute: str, value: str) -> str | None:
    # The rich-text editor writes title="" on every link it makes.
    return None if attribute == "title" and not value.strip() else value


def sanitize_html(value: str) -> str:
    """Keep paragraphs, emphasis, lists and links; drop scripts, styles, handlers and bad URLs."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_without_empty_titles,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


# Tags that end a run of text (paragraphs, list items, line breaks): "movements.</p><p>This" reads
# "movements. This", never "movements.This". Inline tags (<em>, <a>) join their text as written.
TEXT_BREAK_TAG = re.compile(r"<\s*/?\s*(?:p|br|li|ul|ol|blockquote)\b[^>]*>", re.IGNORECASE)


def plain_text(rich_text: str) -> str:
    """Editor HTML as plain text: tags gone, paragraphs, list items and line breaks separated by a space,
    entities decoded once (“&amp;” becomes “&”), spaces folded."""
    return " ".join(html.unescape(strip_tags(TEXT_BREAK_TAG.sub(" ", rich_text or ""))).split())
