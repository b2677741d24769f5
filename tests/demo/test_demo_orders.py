"""The demo's example orders: one of each kind the order desk meets, loaded once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from demo.services import demo_orders_load
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_example_orders_are_loaded_once_with_their_histories(
    demo_catalog, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # emails are sent once the work is committed
        report = demo_orders_load()
    assert report.created["Order"] == 4
    orders = {order.number: order for order in Order.objects.all()}
    assert {number: order.status for number, order in orders.items()} == {
        "DEMO-0001": "shipped", "DEMO-0002": "paid", "DEMO-0003": "awaiting_payment", "DEMO-0004": "paid",
    }
    uk = orders["DEMO-0001"]
    assert (uk.currency, uk.total, uk.tracking_reference) == ("GBP", Decimal("52.98"), "RM123456785GB")
    assert [change.status for change in uk.status_changes.all()] == ["awaiting_payment", "paid", "shipped"]
    assert orders["DEMO-0002"].currency == "JPY" and orders["DEMO-0003"].lines.count() == 2
    assert orders["DEMO-0004"].lines.get().binding == "EA" and orders["DEMO-0004"].shipping == 0
    assert mailoutbox == []
    assert demo_orders_load().untouched
    assert Order.objects.count() == 4
