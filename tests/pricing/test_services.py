"""pricing.services: putting a country in a market (also on PostgreSQL)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pricing.models import Market, MarketCountry
from pricing.services import market_add_country

pytestmark = pytest.mark.django_db


@pytest.fixture
def eurozone() -> Market:
    return Market.objects.create(name="Eurozone", currency="EUR", prices_include_tax=True)


def test_a_country_joins_a_market_with_its_terms(eurozone):
    cyprus = market_add_country(
        market=eurozone, country="CY", print_tax_rate=Decimal("5"), shipping_cost=Decimal("9.95")
    )
    cyprus.refresh_from_db()
    assert (cyprus.market, cyprus.print_tax_rate, cyprus.ebook_tax_rate, cyprus.shipping_cost) == (
        eurozone, Decimal("5"), Decimal("0"), Decimal("9.95")
    )


def test_a_country_in_another_market_is_refused_naming_it(eurozone):
    market_add_country(market=eurozone, country="DE")
    german_speaking = Market.objects.create(name="German-speaking", currency="EUR")
    with pytest.raises(ValidationError) as refused:
        market_add_country(market=german_speaking, country="DE")
    assert refused.value.messages == ["Germany (DE) is already in Eurozone. A country belongs to one market only."]


def test_a_country_taken_after_the_check_is_refused_the_same_way(eurozone, monkeypatch):
    market_add_country(market=eurozone, country="DE")
    german_speaking = Market.objects.create(name="German-speaking", currency="EUR")
    # As if the other save committed between this one's check and its insert.
    monkeypatch.setattr(MarketCountry, "full_clean", lambda self, *args, **kwargs: None)
    with pytest.raises(ValidationError) as refused:
        market_add_country(market=german_speaking, country="DE")
    assert refused.value.messages == ["Germany (DE) is already in Eurozone. A country belongs to one market only."]
    assert MarketCountry.objects.get(country="DE").market == eurozone


def test_terms_are_validated_before_saving(eurozone):
    with pytest.raises(ValidationError) as refused:
        market_add_country(market=eurozone, country="DE", print_tax_rate=Decimal("107"), shipping_cost=Decimal("4.955"))
    assert set(refused.value.message_dict) == {"print_tax_rate", "shipping_cost"}
    assert not MarketCountry.objects.exists()
