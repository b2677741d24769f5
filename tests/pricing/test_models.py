"""Pricing models: validation editors see, and invariants the database keeps (also on PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pricing.models import ExchangeRate, Market, MarketCountry, Price
from tests.factories import FormatFactory

pytestmark = pytest.mark.django_db


def market(**values) -> Market:
    defaults = {"name": "United States", "currency": "USD", "rounding": "up_95"}
    return Market(**{**defaults, **values})


def market_with(*codes: str, **values) -> Market:
    saved = market(**values)
    saved.save()
    for code in codes:
        MarketCountry.objects.create(market=saved, country=code)
    return saved


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def test_a_country_in_two_markets_is_refused_naming_it():
    market_with("DE", "FR", name="Eurozone", currency="EUR")
    german_speaking = market_with("AT", name="German-speaking", currency="EUR")
    errors = errors_of(MarketCountry(market=german_speaking, country="DE"))
    assert errors["country"] == ["Germany (DE) is already in Eurozone. A country belongs to one market only."]


def test_the_database_keeps_a_country_in_one_market():
    market_with("DE", name="Eurozone", currency="EUR")
    german_speaking = market_with(name="German-speaking", currency="EUR")
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketCountry.objects.create(market=german_speaking, country="DE")
    assert list(MarketCountry.objects.filter(country="DE").values_list("market__name", flat=True)) == ["Eurozone"]


def test_a_country_can_move_to_another_market():
    market_with("DE", name="Eurozone", currency="EUR")
    german_speaking = market_with(name="German-speaking", currency="EUR")
    germany = MarketCountry.objects.get(country="DE")
    germany.market = german_speaking
    germany.full_clean()
    germany.save()
    assert germany.market.name == "German-speaking"


def test_one_rest_of_world_market_which_may_give_countries_their_own_terms():
    world = market_with("NO", name="World", is_rest_of_world=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        market(name="World 2", is_rest_of_world=True).save()
    assert world.country_codes == {"NO"}


def test_unknown_currency_is_refused():
    assert "currency" in errors_of(market(currency="XYZ"))
    assert "currency" in errors_of(market(currency="usd"))


def test_yen_cannot_round_to_95():
    errors = errors_of(market(name="Japan", currency="JPY", rounding="up_95"))
    assert "JPY has no minor units" in errors["rounding"][0]


def test_the_base_market_excludes_tax():
    assert "is_base" in errors_of(market(is_base=True, prices_include_tax=True))


def price(amount: str, currency: str = "USD") -> Price:
    saved = market_with({"USD": "US", "JPY": "JP", "KWD": "KW"}[currency], name=f"M {currency}", currency=currency)
    return Price(format=FormatFactory(), market=saved, amount=Decimal(amount))


def test_a_negative_price_is_a_field_error_and_refused_by_the_database():
    assert "amount" in errors_of(price("-1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        price("-1.00").save()


@pytest.mark.parametrize(("amount", "currency"), [("62.951", "USD"), ("9800.5", "JPY"), ("19.9505", "KWD")])
def test_more_decimals_than_the_currency_has_is_a_field_error(amount, currency):
    errors = errors_of(price(amount, currency))
    assert "decimal places" in errors["amount"][0]


@pytest.mark.parametrize(("amount", "currency"), [("62.95", "USD"), ("9800", "JPY"), ("19.950", "KWD")])
def test_amounts_on_the_currency_minor_units_are_stored_exactly(amount, currency):
    saved = price(amount, currency)
    saved.full_clean()
    saved.save()
    saved.refresh_from_db()
    assert saved.amount == Decimal(amount)
    assert isinstance(saved.amount, Decimal)


def test_one_price_per_format_and_market():
    first = price("10.00")
    first.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Price.objects.create(format=first.format, market=first.market, amount=Decimal("11.00"))


def rate(quote_currency: str, value: str) -> ExchangeRate:
    return ExchangeRate.objects.create(
        base_currency="USD", quote_currency=quote_currency, rate=Decimal(value), valid_from=date(2026, 1, 1)
    )


def test_exchange_rates_are_positive_between_two_currencies_once_a_day():
    with pytest.raises(IntegrityError), transaction.atomic():
        rate("EUR", "0")
    with pytest.raises(IntegrityError), transaction.atomic():
        rate("USD", "1")
    rate("EUR", "0.9")
    with pytest.raises(IntegrityError), transaction.atomic():
        rate("EUR", "0.8")


def test_tax_rates_are_percentages_and_shipping_is_not_negative():
    eurozone = market_with(name="Eurozone", currency="EUR")
    assert "print_tax_rate" in errors_of(MarketCountry(market=eurozone, country="DE", print_tax_rate=Decimal("101")))
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketCountry.objects.create(market=eurozone, country="DE", print_tax_rate=Decimal("-1"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketCountry.objects.create(market=eurozone, country="DE", ebook_tax_rate=Decimal("100.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        MarketCountry.objects.create(market=eurozone, country="DE", shipping_cost=Decimal("-0.01"))


def test_shipping_overrides_are_in_the_market_currency_minor_units():
    japan = market_with(name="Japan", currency="JPY", rounding="up_100")
    errors = errors_of(MarketCountry(market=japan, country="JP", shipping_cost=Decimal("800.5")))
    assert errors["shipping_cost"] == ["JPY has 0 decimal places; 800.5 has more."]
