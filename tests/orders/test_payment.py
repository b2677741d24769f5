"""Paying with django-payments' dummy provider: one "Pay" step, success, failure, 3-D Secure,
repeated callbacks, and the order priced again at the moment of payment."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail
from payments import RedirectNeeded
from payments.core import PROVIDER_CACHE, BasicProvider

from orders.models import Order, Payment
from pricing.models import Price
from tests.conftest import normalize_space
from tests.orders.conftest import SEED_HARDBACK, buy, dummy_pay, pay_form

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


def pay_buttons(html: str) -> list[str]:
    return re.findall(r"<button[^>]*>\s*(Pay[^<]*)</button>", html)


def test_the_test_provider_says_what_it_is_and_is_ready_to_pay_in_the_pay_form(reader):
    number = buy(reader, "GB")
    page = reader.get(f"/orders/{number}/pay/").content.decode()
    assert "Test payments: no card is asked for and nothing is charged." in normalize_space(page)
    form = page[page.index('<form class="pay-form"') :]
    form = form[: form.index("</form>")]
    assert f'action="/orders/{number}/pay/"' in form
    assert '<option value="confirmed" selected>' in form and '<option value="accept" selected>' in form
    assert '<option value="3ds-disabled" selected>' in form
    assert pay_buttons(page) == ["Pay GBP £52.98"]
    assert not Payment.objects.exists()  # showing the page starts nothing


def test_paying_is_one_step_pay_leads_to_the_paid_order_not_to_another_pay_button(reader, commits):
    number = buy(reader, "GB")
    with commits():
        response = reader.post(f"/orders/{number}/pay/", pay_form(reader, number), follow=True)
    order = Order.objects.get(number=number)
    assert response.redirect_chain == [(order.buyer_url(), 302)]
    assert order.status == "paid" and order.payments.count() == 1
    assert f"Thank you: order {number}" in text(response)
    assert pay_buttons(response.content.decode()) == []


def test_a_payment_page_left_open_from_before_leads_to_the_pay_page_and_charges_nothing(reader):
    number = buy(reader, "GB")
    assert reader.get(f"/orders/{number}/payment/")["Location"] == f"/orders/{number}/pay/"
    response = reader.post(f"/orders/{number}/payment/", {"status": "confirmed", "fraud_status": "accept"})
    assert response["Location"] == f"/orders/{number}/pay/"
    assert not Payment.objects.exists() and Order.objects.get(number=number).status == "awaiting_payment"


def test_choices_the_test_provider_cannot_use_are_asked_again_and_nothing_is_paid(reader, commits):
    number = buy(reader, "GB")
    response = dummy_pay(reader, number, status="waiting", gateway="3ds-redirect", verification_result="")
    assert response.status_code == 400
    assert "When 3DS is enabled you must set post validation status" in text(response)
    assert pay_buttons(response.content.decode()) == ["Pay GBP £52.98"]
    assert Order.objects.get(number=number).status == "awaiting_payment"
    with commits():
        assert dummy_pay(reader, number)["Location"] == Order.objects.get(number=number).buyer_url()
    assert Payment.objects.get().status == "confirmed"  # the same attempt, completed


def test_pressing_pay_twice_before_the_provider_answers_charges_once(reader):
    number = buy(reader, "GB")
    first = dummy_pay(reader, number, status="waiting", gateway="3ds-redirect", verification_result="confirmed")
    second = dummy_pay(reader, number, status="waiting", gateway="3ds-redirect", verification_result="confirmed")
    assert first["Location"] == second["Location"]
    assert Payment.objects.filter(order__number=number).count() == 1


class HostedCheckoutProvider(BasicProvider):
    """A provider with a checkout page of its own, as Stripe's: it takes no form from the store."""

    def get_form(self, payment, data=None):
        if payment.status == "waiting":
            payment.change_status("input")
        raise RedirectNeeded(f"https://checkout.example/pay/{payment.token}")


def test_with_a_real_provider_pay_leads_straight_to_its_checkout_page(reader, monkeypatch):
    monkeypatch.setitem(PROVIDER_CACHE, "default", HostedCheckoutProvider())
    number = buy(reader, "GB")
    page = reader.get(f"/orders/{number}/pay/").content.decode()
    form = page[page.index('<form class="pay-form"') :]
    assert "Test payment" not in page and "<select" not in form[: form.index("</form>")]
    assert "You pay on the payment provider’s secure page" in normalize_space(page)
    assert pay_buttons(page) == ["Pay GBP £52.98"]
    response = reader.post(f"/orders/{number}/pay/", pay_form(reader, number))
    payment = Payment.objects.get()
    assert response["Location"] == f"https://checkout.example/pay/{payment.token}"
    # Back from the provider's page without paying, and "Pay" again: the same attempt.
    assert reader.post(f"/orders/{number}/pay/", pay_form(reader, number))["Location"] == response["Location"]
    assert Payment.objects.count() == 1 and Order.objects.get(number=number).status == "awaiting_payment"


def test_the_3d_secure_redirect_comes_back_through_the_callback_and_pays_once(reader, client, commits):
    number = buy(reader, "GB")
    with commits():
        response = dummy_pay(reader, number, status="waiting", gateway="3ds-redirect", verification_result="confirmed")
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
