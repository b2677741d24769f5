"""Quotes: load the facts a price depends on, in a fixed number of queries, and apply the rules."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django_countries import countries

from catalog.models import Format
from pricing.models import ExchangeRate, Market, Price, market_serving
from pricing.rules import BasePrice, ConversionRate, CountryTerms, Quote, quote_from


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
    market_ids = {market.pk} | ({base.pk} if base else set())
    amounts = _amounts(formats, market_ids)
    needs_rate = (
        base is not None
        and base.currency != market.currency
        and any((fmt.pk, market.pk) not in amounts for fmt in formats)
    )
    rate = ExchangeRate.objects.latest_on(base.currency, market.currency, on) if needs_rate else None
    return _quotes(formats, country, on, market, base, market.country_terms(), amounts, rate.as_rule() if rate else None)


def _amounts(formats: list[Format], market_ids) -> dict[tuple[int, int], Decimal]:
    """The set prices of `formats` in the markets, keyed by (format id, market id), in one query."""
    # Unordered: Price's default ordering would join formats and books to sort rows kept in a dict.
    prices = Price.objects.filter(format__in=formats).order_by()
    if market_ids is not None:
        prices = prices.filter(market_id__in=market_ids)
    return {(format_id, market_id): amount for format_id, market_id, amount in prices.values_list("format_id", "market_id", "amount")}


def _quotes(formats, country, on, market, base, country_terms, amounts, rate: ConversionRate | None) -> dict[int, Quote]:
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
            exchange_rate=rate,
        )
    return quotes


@dataclass(frozen=True)
class MarketQuotes:
    """The quotes of some formats in one market, for one country standing for it."""

    market: Market
    country: str
    quotes: dict[int, Quote]


def representative_country(market: Market, markets: list[Market]) -> str | None:
    """A country whose quote stands for the market: its first country, or for the rest of the
    world the first country no market names. Markets need their countries loaded (`with_countries()`)."""
    if not market.is_rest_of_world:
        return min(market.country_codes, default=None)
    named = set().union(*(other.country_codes for other in markets))
    return next((code for code, _name in countries if code not in named), None)


def quotes_in_every_market(formats: Iterable[Format], *, on: date | None = None) -> list[MarketQuotes]:
    """Each format's quote in every market, as readers in a country standing for it see it.

    Four queries whatever the number of markets, countries or formats: the markets, their
    countries, the prices, the exchange rates in force.
    """
    formats = list(formats)
    on = on or timezone.localdate()
    markets = list(Market.objects.with_countries())
    base = next((candidate for candidate in markets if candidate.is_base), None)
    amounts = _amounts(formats, None)
    rates = (
        ExchangeRate.objects.latest_on_each(base.currency, {market.currency for market in markets}, on) if base else {}
    )
    result = []
    for market in markets:
        country = representative_country(market, markets)
        if country is None:
            continue
        row = next((row for row in market.market_countries.all() if row.country.code == country), None)
        rate = rates.get(market.currency)
        quotes = _quotes(formats, country, on, market, base, row.terms() if row else CountryTerms(), amounts,
                         rate.as_rule() if rate else None)
        result.append(MarketQuotes(market, country, quotes))
    return result


def quote(fmt: Format, country: str, *, on: date | None = None) -> Quote:
    """What `fmt` costs shipped to `country` on `on` (today by default)."""
    return quotes_for([fmt], country, on=on)[fmt.pk]
