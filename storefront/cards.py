"""Book cards, the entries of search results and book lists, rendered once per catalogue generation.

A card shows what the catalogue says of a book (cover, title, contributors, publisher, formats)
and nothing that depends on the reader or the country, and holds only relative addresses, so
one rendering serves every page that lists the book until the catalogue changes. Cards are kept
in the cache under the page cache's generation (storefront.page_cache), which every change to
the catalogue moves on: a card is never shown after a change to anything it shows. A page of
cards costs one cache round trip when they are all kept, and one load of the missing books
(three queries whatever their number, `catalog.book_page.books_for_cards`) when some are not.
If the cache is unreachable, the cards are rendered each time.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from catalog.book_page import books_for_cards

logger = logging.getLogger(__name__)

CARD_TEMPLATE = "storefront/includes/_book_card.html"
CARD_TIMEOUT = 24 * 60 * 60


def _card_key(generation_ns: int, heading: int, book_id: int) -> str:
    return f"storefront:card:v1:{generation_ns}:h{heading}:{book_id}"


def render_cards(book_ids: list[int], *, heading: int = 2) -> dict[int, str]:
    """The cards of the books among `book_ids` that exist, keyed by id."""
    books = books_for_cards(book_ids)
    template = get_template(CARD_TEMPLATE)
    return {pk: template.render({"book": book, "card_heading": heading}) for pk, book in books.items()}


def book_cards(book_ids: list[int], *, generation_ns: int | None, heading: int = 2) -> SafeString:
    """The cards of `book_ids`, in that order, as one piece of HTML; ids of no book are left out.

    `generation_ns` is the page cache's generation (None when the cache is unreachable: the cards
    are then rendered and not kept). `heading` is the level of each card's title heading.
    """
    cards: dict[int, str] = {}
    if generation_ns is not None:
        keys = {_card_key(generation_ns, heading, pk): pk for pk in book_ids}
        try:
            cards = {keys[key]: card for key, card in cache.get_many(keys).items()}
        except Exception:  # noqa: BLE001 - a cache outage must not take the page down
            logger.warning("The cache is unreachable; rendering book cards.", exc_info=True)
            generation_ns = None
    missing = [pk for pk in book_ids if pk not in cards]
    if missing:
        rendered = render_cards(missing, heading=heading)
        cards.update(rendered)
        if generation_ns is not None and rendered:
            try:
                cache.set_many(
                    {_card_key(generation_ns, heading, pk): card for pk, card in rendered.items()}, CARD_TIMEOUT
                )
            except Exception:  # noqa: BLE001
                logger.warning("The cache is unreachable; book cards were not kept.", exc_info=True)
    # Each card is a template's output, autoescaped.
    return mark_safe("".join(cards[pk] for pk in book_ids if pk in cards))  # noqa: S308
