"""Paying with django-payments' dummy provider: success, failure, 3-D Secure, repeated callbacks,
and the order priced again at the moment of payment."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail

from orders.models import Order, Payment
from pricing.models import Price
from tests.conftest import normalize_space
from tests.orders.conftest import SEED_HARDBACK, buy, dummy_pay, start_payment

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return normalize_space(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_successful_payment_pays_the_order_shows_the_confirmation_and_emails_it(reader, commits):
    number = buy(reader, "GB")
    with commits():
        response = dummy_pay(reader, number)
    assert response.status_code == 302
    order = Order.objects.get(number=number)
    assert response["Location"] == order.buyer_url()
    assert order.status == "paid" and order.paid_at is not None
    assert [change.status for change in order.status_changes.all()] == ["awaiting_payment", "paid"]
    payment = order.payments.get()
    assert (payment.status, payment.total, payment.currency, payment.captured_amount) == (
        "confirmed", Decimal("52.98"), "GBP", Decimal("52.98")
    )
    page = text(reader.get(response["Location"]))
    assert f"Thank you: order {number}" in page
    assert "Status: Paid" in page and "Total GBP £52.98" in page and "Shipping GBP £3.99" in page
    [email] = mail.outbox
    assert email.to == ["reader@example.com"] and number in email.subject
    assert "1 × The Russian Revolution in Retreat, 1920–24" in email.body
    assert "GBP £48.99 each" in email.body
    assert "Shipping: GBP £3.99" in email.body and "Total: GBP £52.98" in email.body
    assert order.buyer_url() in email.body


def test_a_refused_payment_leaves_the_order_awaiting_payment_and_it_can_be_paid_again(reader, commits):
    number = buy(reader, "GB")
    response = dummy_pay(reader, number, status="rejected")
    assert response["Location"].startswith(f"/orders/{number}/pay/?key=") and response["Location"].endswith("&failed=1")
    assert "The payment did not go through and nothing was charged." in text(reader.get(response["Location"]))
    assert Order.objects.get(number=number).status == "awaiting_payment"
    assert not mail.outbox
    with commits():
        assert dummy_pay(reader, number)["Location"].startswith(f"/orders/{number}/?key=")
    order = Order.objects.get(number=number)
    assert order.status == "paid"
    assert sorted(order.payments.values_list("status", flat=True)) == ["confirmed", "rejected"]


def test_a_gateway_error_is_a_failed_attempt_not_a_server_error(reader):
    number = buy(reader, "GB")
    response = dummy_pay(reader, number, status="waiting", gateway="failure")
    assert response.status_code == 302 and response["Location"].endswith("&failed=1")
    assert Order.objects.get(number=number).payments.get().status == "error"


def test_a_gateway_error_after_the_provider_confirmed_leaves_the_order_paid_and_its_payment_confirmed(reader, commits):
    number = buy(reader, "GB")
    with commits():
        dummy_pay(reader, number, status="confirmed", gateway="failure")
    order = Order.objects.get(number=number)
    assert (order.status, order.payments.get().status) == ("paid", "confirmed")  # so a refund finds it


def test_the_test_provider_says_what_it_is_and_is_ready_to_pay(reader):
    number = buy(reader, "GB")
    start_payment(reader, number)
    page = reader.get(f"/orders/{number}/payment/").content.decode()
    assert "Test payments: no card is asked for and nothing is charged." in normalize_space(page)
    assert '<option value="confirmed" selected>' in page and '<option value="accept" selected>' in page
    assert ">Pay GBP £52.98</button>" in page


def test_the_3d_secure_redirect_comes_back_through_the_callback_and_pays_once(reader, client, commits):
    number = buy(reader, "GB")
    with commits():
        response = dummy_pay(
            reader, number, status="waiting", gateway="3ds-redirect", verification_result="confirmed"
        )
        payment = Payment.objects.get(order__number=number)
        assert response["Location"] == f"/payments/process/{payment.token}/?verification_result=confirmed"
        assert Order.objects.get(number=number).status == "awaiting_payment"
        back = reader.get(response["Location"])
        assert back["Location"] == Order.objects.get(number=number).buyer_url()
        # The provider's callback delivered again (from anywhere): one order, one charge, one email.
        assert client.get(response["Location"]).status_code == 302
    order = Order.objects.get(number=number)
    assert order.status == "paid" and order.payments.count() == 1
    assert [change.status for change in order.status_changes.all()] == ["awaiting_payment", "paid"]
    assert len(mail.outbox) == 1


def test_pressing_pay_twice_charges_once(reader):
    number = buy(reader, "GB")
    start_payment(reader, number)
    start_payment(reader, number)
    assert Payment.objects.filter(order__number=number).count() == 1


def test_a_price_changed_since_checkout_is_shown_and_must_be_confirmed(reader, commits):
    number = buy(reader, "GB")
    old_total = "52.980"
    Price.objects.filter(format__isbn=SEED_HARDBACK, market__name="United Kingdom").update(amount=Decimal("51.99"))
    response = reader.post(f"/orders/{number}/pay/", {"total": old_total})
    assert response.status_code == 200
    page = text(response)
    assert "Prices have changed since your order was summed up" in page
    assert "GBP £48.99 → GBP £51.99" in page
    assert "Shipping: GBP £3.99 → GBP £0.00" in page  # now above the free-shipping threshold
    assert "Total: GBP £52.98 → GBP £51.99" in page
    assert "Pay GBP £51.99" in page
    assert not Payment.objects.exists()
    order = Order.objects.get(number=number)
    assert (order.total, order.lines.get().unit_price) == (Decimal("51.99"), Decimal("51.99"))
    with commits():
        assert dummy_pay(reader, number)["Location"] == order.buyer_url()
    assert Payment.objects.get().total == Decimal("51.99")
    assert "Total: GBP £51.99" in mail.outbox[0].body


def test_the_japanese_order_is_in_whole_yen(reader, commits):
    number = buy(reader, "JP")
    with commits():
        dummy_pay(reader, number)
    order = Order.objects.get(number=number)
    assert order.currency == "JPY" and order.total == order.total.to_integral_value()
    assert Payment.objects.get().total == order.total
    assert "consumption tax 10 % (included)" in mail.outbox[0].body
    assert re.search(r"Total: JPY ¥[0-9,]+\n", mail.outbox[0].body)
