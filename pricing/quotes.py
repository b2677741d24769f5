"""Quotes: load the facts a price depends on, in a fixed number of queries, and apply the rules.

What a price in a country depends on splits in two. The format's own prices change with every
book and are read on each call (one query). The rest — which market serves the country, its tax
and shipping terms, the base market, the exchange rate in force — changes only when an editor
changes a market, a country's terms or a rate: `country_facts()` keeps it in this process's
memory under the *facts version*, a number in the shared cache that every such change moves on
(see `PricingConfig.ready()`), so each web process loads it again once per change and country.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.db import router, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django_countries import countries

from catalog.models import Format
from catalog.prepared import PreparedQuery, model_fields
from pricing.models import PLACEMENT_FIELDS, ExchangeRate, Market, Price, market_serving
from pricing.rules import BasePrice, ConversionRate, CountryTerms, MarketTerms, Quote, Source, quote_from

logger = logging.getLogger(__name__)

FACTS_VERSION_KEY = "pricing:facts-version"


@dataclass(frozen=True)
class CountryFacts:
    """Everything a quote in one country on one day depends on except the format's own prices."""

    market_id: int | None = None
    terms: MarketTerms | None = None
    country_terms: CountryTerms = CountryTerms()
    base_id: int | None = None
    base_currency: str | None = None
    # From the base market's currency to the market's, in force on the day; None when the
    # currencies are the same or no rate is recorded.
    rate: ConversionRate | None = None


_MARKET_FIELDS = model_fields(Market)
_PLACEMENT_ANNOTATIONS = [f"placement_{name}" for name in PLACEMENT_FIELDS]
# Compiled once (catalog.prepared): with a cache that keeps nothing, every product page reads it.
_MARKETS_FOR_COUNTRY = PreparedQuery(
    Market,
    lambda country: Market.objects.for_country(country).values_list(*_MARKET_FIELDS, *_PLACEMENT_ANNOTATIONS),
    str,
)


def markets_for_country(country: str) -> list[Market]:
    """`Market.objects.for_country(country)`, with its `placement_*` annotations, from SQL compiled once."""
    alias = router.db_for_read(Market)
    markets = []
    for row in _MARKETS_FOR_COUNTRY.rows(country):
        market = Market.from_db(alias, _MARKET_FIELDS, row[: len(_MARKET_FIELDS)])
        for name, value in zip(_PLACEMENT_ANNOTATIONS, row[len(_MARKET_FIELDS) :], strict=True):
            setattr(market, name, value)
        markets.append(market)
    return markets


def load_country_facts(country: str, on: date) -> CountryFacts:
    """Read the facts from the database: the markets in one query, the rate in another if needed."""
    markets = markets_for_country(country)
    market = market_serving(markets)
    if market is None:
        return CountryFacts()
    base = next((candidate for candidate in markets if candidate.is_base), None)
    rate = None
    if base is not None and base.currency != market.currency:
        found = ExchangeRate.objects.latest_on(base.currency, market.currency, on)
        rate = found.as_rule() if found else None
    return CountryFacts(
        market_id=market.pk,
        terms=market.terms(),
        country_terms=market.country_terms(),
        base_id=base.pk if base else None,
        base_currency=base.currency if base else None,
        rate=rate,
    )


class _FactsMemo:
    """This process's copy of the facts, for the facts version it was loaded under."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = None
        self.facts: dict[tuple[str, date], CountryFacts] = {}

    def get(self, country: str, on: date) -> CountryFacts:
        try:
            version = facts_version()
        except Exception:  # noqa: BLE001 - without the shared cache no copy can be trusted
            logger.warning("The cache is unreachable; pricing facts are read from the database.", exc_info=True)
            return load_country_facts(country, on)
        with self.lock:
            if version != self.version:
                self.version, self.facts = version, {}
            found = self.facts.get((country, on))
        if found is None:
            found = load_country_facts(country, on)
            with self.lock:
                if version == self.version:
                    self.facts[(country, on)] = found
        return found


_memo = _FactsMemo()


def facts_version() -> int:
    value = cache.get(FACTS_VERSION_KEY)
    if value is None:
        started = time.time_ns()
        cache.add(FACTS_VERSION_KEY, started, timeout=None)
        # A cache that keeps nothing still gets a version: a new one each time, so no process
        # keeps facts it cannot hear a change to.
        value = cache.get(FACTS_VERSION_KEY) or started
    return value


def country_facts(country: str, on: date) -> CountryFacts:
    """The facts for `country` on `on`: from memory when nothing changed since they were loaded."""
    return _memo.get(country, on)


def _move_facts_version() -> None:
    try:
        cache.set(FACTS_VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:  # noqa: BLE001 - an unreachable cache: readers fall back to the database
        logger.warning("The cache is unreachable; the pricing facts version was not moved on.", exc_info=True)


def facts_changed(**kwargs) -> None:
    """A signal receiver for markets, their countries and rates: forget every copy of the facts.

    At once, so this process's own reads inside the same transaction see the change, and again
    on commit, so no process keeps a copy read before the change became visible to it.
    """
    _move_facts_version()
    transaction.on_commit(_move_facts_version)


def _unpriced(formats: list[Format], country: str, on: date) -> dict[int, Quote]:
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


def _with_sales_rights(formats: list[Format]) -> None:
    """Load the formats' sales rights in one query, unless they were prefetched with them."""
    missing = [fmt for fmt in formats if "sales_rights" not in getattr(fmt, "_prefetched_objects_cache", {})]
    if missing:
        prefetch_related_objects(missing, "sales_rights")


def not_offered(fmt: Format, country: str) -> str | None:
    """Why the publisher does not offer `fmt` to `country`, or None when it does.

    Its publishing status and availability (out of print, withdrawn, not available …) and its
    sales rights decide before any market or price does: such a format is "not sold" there, as in
    a country no market serves. Its sales rights must be loaded (see `_with_sales_rights`).
    """
    if not fmt.is_offered:
        return (
            f"Not offered: publishing status “{fmt.get_publishing_status_display()}”, "
            f"availability “{fmt.get_availability_display()}”."
        )
    if not fmt.for_sale_in(country):
        return f"Not for sale in {country} under this format's sales rights."
    return None


def _not_sold(country: str, explanation: str) -> Quote:
    return Quote(country=country, sold=False, source=Source.NOT_SOLD, explanation=explanation)


def quotes_for(formats: Iterable[Format], country: str, *, on: date | None = None) -> dict[int, Quote]:
    """A quote for each format, keyed by format id.

    One query for the formats' prices, whatever the number of formats or markets, one for their
    sales rights unless they were prefetched (`prefetch_related("sales_rights")`), plus, once per
    change to markets, countries or rates, the two that load `country_facts()`. A format its
    publisher does not offer to the country (`not_offered`) is not sold there.
    """
    formats = list(formats)
    on = on or timezone.localdate()
    facts = country_facts(country, on)
    if facts.market_id is None or not formats:
        return _unpriced(formats, country, on)
    _with_sales_rights(formats)
    refused = {fmt.pk: reason for fmt in formats if (reason := not_offered(fmt, country)) is not None}
    offered = [fmt for fmt in formats if fmt.pk not in refused]
    market_ids = {facts.market_id} | ({facts.base_id} if facts.base_id else set())
    quotes = _quotes(offered, country, on, facts, _amounts(offered, market_ids)) if offered else {}
    quotes.update({pk: _not_sold(country, reason) for pk, reason in refused.items()})
    return {fmt.pk: quotes[fmt.pk] for fmt in formats}


def _amounts(formats: list[Format], market_ids) -> dict[tuple[int, int], Decimal]:
    """The set prices of `formats` in the markets, keyed by (format id, market id), in one query."""
    if market_ids is not None:
        rows = _prices_query(len(formats), len(market_ids)).rows(*(fmt.pk for fmt in formats), *market_ids)
    else:
        # Unordered: Price's default ordering would join formats and books to sort rows kept in a dict.
        rows = Price.objects.filter(format__in=formats).order_by().values_list("format_id", "market_id", "amount")
    return {(format_id, market_id): amount for format_id, market_id, amount in rows}


# The prices query for each number of formats and markets (a book has a few formats, a country
# depends on one or two markets), compiled once each (catalog.prepared).
_PRICES_QUERIES: dict[tuple[int, int], PreparedQuery] = {}


def _prices_query(formats: int, markets: int) -> PreparedQuery:
    query = _PRICES_QUERIES.get((formats, markets))
    if query is None:
        query = _PRICES_QUERIES[formats, markets] = PreparedQuery(
            Price,
            lambda *ids: (
                Price.objects.filter(format_id__in=ids[:formats], market_id__in=ids[formats:])
                .order_by()
                .values_list("format_id", "market_id", "amount")
            ),
            *[int] * (formats + markets),
        )
    return query


def _quotes(formats, country, on, facts: CountryFacts, amounts) -> dict[int, Quote]:
    quotes = {}
    for fmt in formats:
        base_amount = amounts.get((fmt.pk, facts.base_id)) if facts.base_id else None
        quotes[fmt.pk] = quote_from(
            country=country,
            on=on,
            is_ebook=fmt.binding == Format.Binding.EBOOK,
            market=facts.terms,
            country_terms=facts.country_terms,
            set_amount=amounts.get((fmt.pk, facts.market_id)),
            base_price=BasePrice(base_amount, facts.base_currency) if base_amount is not None else None,
            exchange_rate=facts.rate,
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
    _with_sales_rights(formats)
    rates = (
        ExchangeRate.objects.latest_on_each(base.currency, {market.currency for market in markets}, on) if base else {}
    )
    result = []
    for market in markets:
        country = representative_country(market, markets)
        if country is None:
            continue
        row = next((row for row in market.market_countries.all() if row.country.code == country), None)
        rate = rates.get(market.currency) if base and base.currency != market.currency else None
        facts = CountryFacts(
            market_id=market.pk,
            terms=market.terms(),
            country_terms=row.terms() if row else CountryTerms(),
            base_id=base.pk if base else None,
            base_currency=base.currency if base else None,
            rate=rate.as_rule() if rate else None,
        )
        quotes = _quotes(formats, country, on, facts, amounts)
        for fmt in formats:
            if (reason := not_offered(fmt, country)) is not None:
                quotes[fmt.pk] = _not_sold(country, reason)
        result.append(MarketQuotes(market, country, quotes))
    return result


def quote(fmt: Format, country: str, *, on: date | None = None) -> Quote:
    """What `fmt` costs shipped to `country` on `on` (today by default)."""
    return quotes_for([fmt], country, on=on)[fmt.pk]
