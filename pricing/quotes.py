"""Quotes: load the facts a price depends on, in a fixed number of queries, and apply the rules."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from catalog.models import Format
from pricing.models import ExchangeRate, Market, Price, market_serving
from pricing.rules import BasePrice, CountryTerms, Quote, quote_from


def quotes_for(formats: Iterable[Format], country: str, *, on: date | None = None) -> dict[int, Quote]:
    """A quote for each format, keyed by format id.

    At most three queries, whatever the number of formats or markets: the markets the country
    depends on with its tax and shipping terms, the prices, the exchange rate.
    """
    formats = list(formats)
    on = on or timezone.localdate()
    markets = list(Market.objects.for_country(country))
    market = market_serving(markets)
    if market is None or not formats:
        return {
            fmt.pk: quote_from(
                country=country,
                on=on,
                is_ebook=fmt.binding == Format.Binding.EBOOK,
                market=None,
                country_terms=CountryTerms(),
                set_amount=None,
                base_price=None,
                exchange_rate=None,
            )
            for fmt in formats
        }
    base = next((candidate for candidate in markets if candidate.is_base), None)
    country_terms = market.country_terms()
    market_ids = {market.pk} | ({base.pk} if base else set())
    amounts = {
        (format_id, market_id): amount
        for format_id, market_id, amount in Price.objects.filter(
            format__in=formats, market_id__in=market_ids
        ).values_list("format_id", "market_id", "amount")
    }
    needs_rate = (
        base is not None
        and base.currency != market.currency
        and any((fmt.pk, market.pk) not in amounts for fmt in formats)
    )
    rate = ExchangeRate.objects.latest_on(base.currency, market.currency, on) if needs_rate else None
    terms = market.terms()
    quotes = {}
    for fmt in formats:
        base_amount = amounts.get((fmt.pk, base.pk)) if base else None
        quotes[fmt.pk] = quote_from(
            country=country,
            on=on,
            is_ebook=fmt.binding == Format.Binding.EBOOK,
            market=terms,
            country_terms=country_terms,
            set_amount=amounts.get((fmt.pk, market.pk)),
            base_price=BasePrice(base_amount, base.currency) if base_amount is not None else None,
            exchange_rate=rate.as_rule() if rate else None,
        )
    return quotes


def quote(fmt: Format, country: str, *, on: date | None = None) -> Quote:
    """What `fmt` costs shipped to `country` on `on` (today by default)."""
    return quotes_for([fmt], country, on=on)[fmt.pk]
