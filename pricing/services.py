"""Writes to pricing that must hold up when editors save at the same moment."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction

from pricing.models import Market, MarketCountry


def market_add_country(
    *,
    market: Market,
    country: str,
    print_tax_rate: Decimal = Decimal(0),
    ebook_tax_rate: Decimal = Decimal(0),
    shipping_cost: Decimal | None = None,
    free_shipping_above: Decimal | None = None,
) -> MarketCountry:
    """Put `country` in `market` with its tax and shipping terms.

    Raises ValidationError naming the country and the market that has it when it is in another
    market already, including when another save put it there after this one checked: the
    database's unique constraint decides that race, and the loser gets the same message.
    """
    row = MarketCountry(
        market=market,
        country=country,
        print_tax_rate=print_tax_rate,
        ebook_tax_rate=ebook_tax_rate,
        shipping_cost=shipping_cost,
        free_shipping_above=free_shipping_above,
    )
    try:
        with transaction.atomic():
            row.full_clean()
            row.save()
    except IntegrityError:
        # Someone else's row committed between our check and our insert; it is visible now.
        row.validate_unique()
        raise
    return row
