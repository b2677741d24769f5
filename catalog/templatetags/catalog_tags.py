from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from catalog.html import sanitize_html

register = template.Library()


@register.filter
def rich_text(value: str) -> SafeString:
    """Editor HTML, sanitized again on the way out so nothing unsafe reaches a page."""
    return mark_safe(sanitize_html(value))  # noqa: S308 - sanitized by nh3 just above
