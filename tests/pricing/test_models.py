"""Pricing models: validation editors see, and invariants the database keeps (also on PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pricing.models import CountryRule, ExchangeRate, Market, Price
from tests.factories import FormatFactory

pytestmark = pytest.mark.django_db


def market(**values) -> Market:
    defaults = {"name": "United States", "currency": "USD", "countries": ["US"], "rounding": "up_95"}
    return Market(**{**defaults, **values})


def errors_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def test_a_country_in_two_markets_is_refused_naming_it():
    market(name="Eurozone", currency="EUR", countries=["DE", "FR"]).save()
    errors = errors_of(market(name="German-speaking", currency="EUR", countries=["AT", "DE"]))
    assert errors["countries"] == ["Germany (DE) is already in Eurozone. A country belongs to one market only."]


def test_one_rest_of_world_market():
    market(name="World", is_rest_of_world=True, countries=[]).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        market(name="World 2", is_rest_of_world=True, countries=[]).save()
    assert "countries" in errors_of(market(name="World 3", is_rest_of_world=True, countries=["FR"]))


def test_a_market_names_countries_or_is_the_rest_of_the_world():
    assert "countries" in errors_of(market(countries=[]))


def test_unknown_currency_is_refused():
    assert "currency" in errors_of(market(currency="XYZ"))
    assert "currency" in errors_of(market(currency="usd"))


def test_yen_cannot_round_to_95():
    errors = errors_of(market(name="Japan", currency="JPY", countries=["JP"], rounding="up_95"))
    assert "JPY has no minor units" in errors["rounding"][0]


def test_the_base_market_excludes_tax():
    assert "is_base" in errors_of(market(is_base=True, prices_include_tax=True))


def price(amount: str, currency: str = "USD") -> Price:
    saved = market(name=f"M {currency}", currency=currency, countries=[{"USD": "US", "JPY": "JP", "KWD": "KW"}[currency]])
    saved.save()
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


def test_exchange_rates_are_positive_between_two_currencies_once_a_day():
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(base_currency="USD", quote_currency="EUR", rate=Decimal("0"), valid_from=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(base_currency="USD", quote_currency="USD", rate=Decimal("1"), valid_from=date(2026, 1, 1))
    ExchangeRate.objects.create(base_currency="USD", quote_currency="EUR", rate=Decimal("0.9"), valid_from=date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(base_currency="USD", quote_currency="EUR", rate=Decimal("0.8"), valid_from=date(2026, 1, 1))


def test_tax_rates_are_percentages():
    assert "print_tax_rate" in errors_of(CountryRule(country="DE", print_tax_rate=Decimal("101")))
    with pytest.raises(IntegrityError), transaction.atomic():
        CountryRule.objects.create(country="DE", print_tax_rate=Decimal("-1"))
