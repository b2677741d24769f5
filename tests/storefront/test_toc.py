"""The product page's table of contents: which entries show at once and which wait behind "View More"."""

import pytest

from storefront.product_page import TOC_VISIBLE_ENTRIES, toc_split
from tests.factories import book_with


# A toggle that would hide one or two entries is not worth a click: everything shows.
@pytest.mark.parametrize("count", [0, 1, TOC_VISIBLE_ENTRIES, TOC_VISIBLE_ENTRIES + 1, TOC_VISIBLE_ENTRIES + 2])
def test_a_short_table_or_one_hiding_only_one_or_two_entries_shows_everything(count):
    entries = list(range(count))
    assert toc_split(entries) == (entries, [])


@pytest.mark.parametrize("count", [TOC_VISIBLE_ENTRIES + 3, 16, 200])
def test_a_long_table_shows_the_first_entries_and_hides_at_least_three(count):
    entries = list(range(count))
    visible, more = toc_split(entries)
    assert visible == entries[:TOC_VISIBLE_ENTRIES]
    assert more == entries[TOC_VISIBLE_ENTRIES:]
    assert len(more) >= 3


@pytest.mark.django_db
@pytest.mark.parametrize(("entries", "toggle"), [(TOC_VISIBLE_ENTRIES + 2, False), (TOC_VISIBLE_ENTRIES + 3, True)])
def test_the_product_page_has_a_toggle_only_when_it_hides_three_or_more(client, entries, toggle):
    book = book_with(toc_entries=entries)
    content = client.get(book.get_absolute_url()).content.decode()
    assert content.count('class="toc-entry') == entries
    assert ('class="toc-more"' in content) is toggle
    assert ("View More" in content) is toggle
