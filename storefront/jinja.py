"""The product page's own part rendered with Jinja2, escaping exactly as the template language does.

A product page rendered whole (the first reader of a book after any change, which on a large
catalogue is most requests) spent most of its time in the Django template language: about 140
nodes resolved one lookup at a time. Jinja2 compiles a template to Python once, so the same
markup costs a fraction of that; the admin's form widgets are rendered with it for the same reason
(editorial.renderers). Pages are otherwise the template language's: the frame every page shares
(`templates/base.html`) is rendered by it once per process and the book's parts go into its
blocks (storefront.product_page).

Output is byte for byte what the template language gives for the same markup: every value
printed is escaped as Django's `conditional_escape` would (`'` becomes `&#x27;`, as on every
other page), values already safe (`mark_safe`, `format_html`, the filters below) are left alone,
and a name the template does not know is an error rather than an empty string.
"""

from __future__ import annotations

import datetime
import html
from functools import cache

import jinja2
from django.conf import settings
from django.core.signals import setting_changed
from django.template import defaultfilters
from django.template.utils import get_app_template_dirs
from django.urls import reverse
from django.utils.dateformat import re_formatchars
from django.utils.dates import MONTHS
from django.utils.formats import FORMAT_SETTINGS
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe

from catalog.addresses import fixed_url


def escape_as_django(value) -> SafeString:
    """Django's `conditional_escape`, without the lazy-argument wrapper its `escape` pays on every call."""
    if type(value) is str:  # most values printed: plain text, escaped at once
        return SafeString(html.escape(value))
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return SafeString(html.escape(str(value)))


# Django's date format characters the pages use, as Django's DateFormat writes them.
_DAY_PARTS = {
    "d": lambda day: f"{day.day:02d}",
    "F": lambda day: str(MONTHS[day.month]),
    "j": lambda day: str(day.day),
    "m": lambda day: f"{day.month:02d}",
    "Y": lambda day: f"{day.year:04d}",
}


@cache  # one entry per format written in a template
def _day_format(fmt: str) -> tuple | None:
    """`fmt` split as Django's date formatting splits it, or None when it needs more than `_DAY_PARTS`."""
    pieces = re_formatchars.split(fmt)
    if "\\" in fmt or fmt in FORMAT_SETTINGS or any(piece not in _DAY_PARTS for piece in pieces[1::2]):
        return None
    return tuple(_DAY_PARTS[piece] if i % 2 else piece for i, piece in enumerate(pieces) if piece)


def date(value, fmt: str | None = None) -> str:
    """Django's `date` filter; for a date in a format of day, month and year, without its set-up on every call."""
    if type(value) is datetime.date and fmt and isinstance(fmt, str) and (parts := _day_format(fmt)) is not None:
        return "".join(part if isinstance(part, str) else part(value) for part in parts)
    return defaultfilters.date(value, fmt)


@cache
def environment() -> jinja2.Environment:
    from storefront.country import country_form
    from storefront.templatetags import storefront_tags

    env = jinja2.Environment(
        # Each app's jinja2/ directory, as Django's own Jinja2 backend looks for them.
        loader=jinja2.FileSystemLoader(get_app_template_dirs("jinja2")),
        autoescape=True,
        # Applied to every printed value before Jinja2's own escaping, which keeps what is safe.
        finalize=escape_as_django,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=settings.DEBUG,
    )
    env.filters.update(
        date=date,
        slugify=defaultfilters.slugify,
        rich_text=storefront_tags.rich_text,
        toc_items=storefront_tags.toc_items,
        contributor_links=storefront_tags.contributor_links,
        subject_links=storefront_tags.subject_links,
    )
    env.globals.update(cover_img=storefront_tags.cover_img, url=url, country_form=country_form)
    return env


def url(viewname: str, *args, **kwargs) -> str:
    """Django's `reverse()`; an address without arguments is looked up once (catalog.addresses.fixed_url)."""
    return reverse(viewname, args=args, kwargs=kwargs) if args or kwargs else fixed_url(viewname)


def render(template_name: str, context: dict) -> SafeString:
    return mark_safe(environment().get_template(template_name).render(context))  # noqa: S308 - escaped as it rendered


def render_blocks(template_name: str, names: tuple[str, ...], context: dict) -> dict[str, str]:
    """Each named block of the template, rendered with `context`."""
    template = environment().get_template(template_name)
    bound = template.new_context(context)
    return {name: "".join(template.blocks[name](bound)) for name in names}


def _forget(**kwargs) -> None:  # tests override DEBUG; the environment follows
    environment.cache_clear()


setting_changed.connect(_forget)
