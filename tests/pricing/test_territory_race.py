"""Two editors put one country into two markets at the same moment: the database lets one win.

Runs on PostgreSQL, where two connections really save at once (CI runs the suite there too).
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pricing.models import Market, MarketCountry
from pricing.services import market_add_country

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite lets one connection write at a time, so its file lock, not the unique constraint, "
            "would decide this race; it runs on PostgreSQL (DATABASE_URL=postgres://…, as in CI)"
        )


def test_two_saves_at_once_put_a_country_in_one_market_only(needs_postgresql, monkeypatch):
    eurozone = Market.objects.create(name="Eurozone", currency="EUR")
    german_speaking = Market.objects.create(name="German-speaking", currency="EUR")
    # Both saves pass validation before either inserts: the unique constraint alone must decide.
    both_validated = threading.Barrier(2, timeout=10)
    full_clean = MarketCountry.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        both_validated.wait()

    monkeypatch.setattr(MarketCountry, "full_clean", full_clean_then_wait)
    outcomes: dict[str, object] = {}

    def add_germany_to(market: Market) -> None:
        try:
            outcomes[market.name] = market_add_country(market=market, country="DE")
        except Exception as error:  # noqa: BLE001 - the test inspects whatever was raised
            outcomes[market.name] = error
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=add_germany_to, args=(market,)) for market in (eurozone, german_speaking)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    winners = [name for name, outcome in outcomes.items() if isinstance(outcome, MarketCountry)]
    losers = [outcome for outcome in outcomes.values() if not isinstance(outcome, MarketCountry)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    assert isinstance(losers[0], ValidationError), repr(losers[0])
    assert losers[0].message_dict["country"] == [
        f"Germany (DE) is already in {winners[0]}. A country belongs to one market only."
    ]
    assert list(MarketCountry.objects.filter(country="DE").values_list("market__name", flat=True)) == winners
