"""The product page's Jinja2 templates (storefront.jinja) print what the template language would.

The rest of the site is rendered by the template language, so a value must come out of both
engines as the same bytes: escaped by Django's rules (`'` as `&#x27;`, `"` as `&quot;`), never
twice, and what is already safe left alone.
"""

from __future__ import annotations

import html
from datetime import date

import jinja2
import pytest
from django.template import Context, Template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from catalog.models import Author, Book, Publisher, ReviewQuote, Series
from demo.data import SEED_BOOK_SLUG
from storefront.jinja import environment, escape_as_django

HOSTILE = "<script>alert('x')</script> & \"quoted\""


def both(source_django: str, source_jinja: str, **values) -> tuple[str, str]:
    return Template(source_django).render(Context(values)), environment().from_string(source_jinja).render(values)


@given(st.text())
def test_any_text_is_escaped_as_the_template_language_escapes_it(text):
    django_output, jinja_output = both("{{ value }}", "{{ value }}", value=text)
    assert jinja_output == django_output
    assert html.unescape(jinja_output) == text
    assert escape_as_django(text) == conditional_escape(text)


@pytest.mark.parametrize(
    "value", [mark_safe("<em>kept</em>"), 3, None, "", "O'Brien & Sons", gettext_lazy("<b>Lazy</b> & 'quoted'")]
)
def test_safe_markup_numbers_none_and_lazy_text_print_alike(value):
    django_output, jinja_output = both("{{ value }}", "{{ value }}", value=value)
    assert jinja_output == django_output


def test_filters_give_the_template_languages_output():
    day = date(2009, 5, 12)
    assert both('{{ day|date:"F j, Y" }}', '{{ day|date("F j, Y") }}', day=day) == ("May 12, 2009", "May 12, 2009")
    assert both("{{ kind|slugify }}", "{{ kind|slugify }}", kind="Review Quote") == ("review-quote", "review-quote")


@given(
    day=st.one_of(st.dates(), st.datetimes(), st.none(), st.just("")),
    fmt=st.one_of(st.text(alphabet="FjYmdDNlx ,./-\\"), st.sampled_from(["DATE_FORMAT", "F j, Y", "Y-m-d"]), st.none()),
)
def test_dates_are_written_as_the_template_language_writes_them(day, fmt):
    """Day, month and year formats are written without Django's formatter, with the same result."""
    template = "{{ day|date }}" if fmt is None else "{{ day|date:fmt }}"
    expected = Template(template).render(Context({"day": day, "fmt": fmt}))
    assert environment().from_string("{{ day|date(fmt) }}").render(day=day, fmt=fmt) == expected


def test_a_name_the_template_does_not_know_is_an_error_not_an_empty_string():
    with pytest.raises(jinja2.UndefinedError):
        environment().from_string("{{ book.titel }}").render(book=object())


@pytest.mark.django_db
def test_hostile_text_in_every_field_of_a_product_page_is_escaped(demo_catalog, client):
    book = Book.objects.get(slug=SEED_BOOK_SLUG)
    Book.objects.filter(pk=book.pk).update(
        title=HOSTILE, subtitle=HOSTILE, edition_statement=HOSTILE, illustrations_note=HOSTILE
    )
    Author.objects.filter(contributions__book=book).update(name=HOSTILE, sort_name=HOSTILE)
    Publisher.objects.filter(pk=book.publisher_id).update(name=HOSTILE)
    series = Series.objects.create(title=HOSTILE, slug="hostile-series")
    Book.objects.filter(pk=book.pk).update(series=series, series_number=1)
    ReviewQuote.objects.create(book=book, text="<p>Fine.</p>", author=HOSTILE, source=HOSTILE)

    content = client.get(book.get_absolute_url(), {"uncached": "1"}).content.decode()

    assert "<script>alert" not in content
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;"
    for where in (
        f"<title>{escaped}: {escaped} |",  # title and subtitle, in the page's title
        f'<meta property="og:title" content="{escaped}: {escaped}">',
        f'<span class="edition-statement">({escaped})</span>',
        f"{escaped}</a></p>",  # the publisher, linked
        f">{escaped}</a>, volume 1</p>",  # the series
        f"— {escaped}, <cite>{escaped}</cite>",  # the quote's author and source
        f'<meta name="citation_author" content="{escaped}">',
        f'alt="Cover of {escaped}"',
    ):
        assert where in content, where
