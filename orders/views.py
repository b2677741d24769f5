"""The purchase path: cart, checkout, payment, confirmation.

None of these pages is cached anywhere (`Cache-Control: private, no-store`, never_cache): each
holds one reader's cart or order and a CSRF token. How the product page's add-to-cart forms post
here without a token in the cached page is explained in orders/security.py.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps
from urllib.error import URLError

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_countries import countries
from payments import PaymentError, PaymentStatus, RedirectNeeded
from payments.core import provider_factory
from payments.dummy import DummyProvider
from payments.urls import process_data

from catalog.models import Format
from editorial.client_ip import client_ip
from orders.cart import MAX_QUANTITY, Cart, price_cart
from orders.forms import CartLineForm, CheckoutForm, TestPaymentChoices
from orders.models import Order, Payment, is_order_number
from orders.security import from_this_site, over_limit, wait_wording
from orders.services import PAYMENT_VARIANT, CannotOrder, order_place, order_requote, payment_start
from orders.summary import summary_of_cart, summary_of_order
from pricing.quotes import quote

ORDERS_KEY = "orders"  # the numbers of the orders placed in this session
CHECKOUT_KEY = "checkout_key"
SHOWN_KEY = "cart_shown"  # the country and total the cart was last shown with


def _refused(request: HttpRequest, status: int, heading: str, message: str) -> HttpResponse:
    return render(request, "orders/refused.html", {"heading": heading, "message": message}, status=status)


def _too_many(request: HttpRequest) -> HttpResponse:
    window = settings.BOOKSTORE_CHECKOUT_RATE_WINDOW
    response = _refused(
        request,
        429,
        "Too many attempts",
        f"Please wait {wait_wording(window)} and try again; nothing has been charged.",
    )
    response["Retry-After"] = str(window)
    return response


@csrf_exempt  # no token in the cached product page: see orders/security.py
@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    if not from_this_site(request):
        return _refused(request, 403, "Not added", "Books can be added to the cart from their pages on this site only.")
    fmt = _posted_format(request)
    if not fmt:
        return _refused(request, 404, "Not added", "That book is no longer in the catalogue.")
    country = request.shipping_country
    if not quote(fmt, country.code).sold:
        return _refused(
            request,
            409,
            "Not added",
            f"The {fmt.get_binding_display()} of {fmt.book.title} is not sold in {country.name}.",
        )
    if not Cart(request.session).add(fmt.isbn):
        return _refused(request, 409, "Not added", "Your cart is full: check out or remove a line first.")
    return redirect(f"{fmt.book.get_absolute_url()}?added={fmt.isbn}#price-box")


def _posted_format(request: HttpRequest) -> Format | None:
    """The format an add-to-cart form names by its ISBN, or by its row id from a page cached
    before the forms posted ISBNs."""
    formats = Format.objects.select_related("book")
    form = CartLineForm({"isbn": request.POST.get("isbn")})
    if form.is_valid():
        return formats.filter(isbn=form.cleaned_data["isbn"]).first()
    row_id = request.POST.get("format", "")
    return formats.filter(pk=int(row_id)).first() if row_id.isdigit() and len(row_id) < 13 else None


def _repricing_notice(request: HttpRequest, priced, total: str) -> str:
    """What changed since the cart was last shown in another country, and remember this showing."""
    country = request.shipping_country
    before = request.session.get(SHOWN_KEY)
    shown = {"country": country.code, "total": total}
    if priced.lines and before != shown:  # an empty cart, or one shown again unchanged, writes nothing
        request.session[SHOWN_KEY] = shown
    if not isinstance(before, dict) or before.get("country") in (None, country.code) or not priced.lines:
        return ""
    was = f"; the total was {before['total']}" if before.get("total") else ""
    now = f" and is now {total}" if total else ""
    before_name = countries.name(before["country"])
    return f"Your cart is now priced for shipping to {country.name}, no longer {before_name}{was}{now}."


@never_cache
@require_http_methods(["GET", "HEAD"])
def cart_detail(request: HttpRequest) -> HttpResponse:
    priced = price_cart(Cart(request.session), request.shipping_country.code)
    summary = summary_of_cart(priced)
    return render(
        request,
        "orders/cart.html",
        {
            "priced": priced,
            "summary": summary,
            "repriced": _repricing_notice(request, priced, summary.total),
            "country": request.shipping_country,
        },
    )


@never_cache
@require_POST
def cart_update(request: HttpRequest) -> HttpResponse:
    form = CartLineForm(request.POST)
    cart = Cart(request.session)
    if form.is_valid():
        quantity = 0 if "remove" in request.POST else form.cleaned_data["quantity"]
        if quantity is not None:
            cart.set(form.cleaned_data["isbn"], quantity)
            return redirect("orders:cart")
    priced = price_cart(cart, request.shipping_country.code)
    return render(
        request,
        "orders/cart.html",
        {
            "priced": priced,
            "summary": summary_of_cart(priced),
            "country": request.shipping_country,
            "error": f"A quantity is a whole number from 0 to {MAX_QUANTITY}; nothing was changed.",
        },
        status=400,
    )


def _decimal(value: str | None) -> Decimal | None:
    try:
        amount = Decimal(value[:30]) if value else None
    except InvalidOperation:
        return None
    return amount if amount is not None and amount.is_finite() else None


def _buyer_orders(request: HttpRequest) -> list[str]:
    numbers = request.session.get(ORDERS_KEY)
    return numbers if isinstance(numbers, list) else []


def buyer_order(request: HttpRequest, number: str) -> Order:
    """The order, if this visitor bought it (its number is in their session) or holds its signed
    link (`?key=`, from the confirmation email). Anyone else gets a 404, as for no order at all."""
    order = Order.objects.for_order_page().filter(number=number).first() if is_order_number(number) else None
    if order is None:
        raise Http404("No such order.")
    if number in _buyer_orders(request):
        return order
    key = request.GET.get("key", "")
    if key and constant_time_compare(key, order.buyer_key()):
        request.session[ORDERS_KEY] = [*_buyer_orders(request), number][-20:]
        return order
    raise Http404("No such order.")


def _checkout_page(request, form, priced, *, priced_for: str, notice: str = "", status: int = 200) -> HttpResponse:
    return render(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "priced": priced,
            "summary": summary_of_cart(priced),
            "priced_for": priced_for,
            "priced_for_name": countries.name(priced_for),
            "checkout_key": request.session[CHECKOUT_KEY],
            "notice": notice,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """Email and address; the address's country prices the order. A country other than the one
    the summary was priced for re-prices it and shows it again before the order is placed."""
    if request.method == "POST":
        if over_limit(request, "checkout"):
            return _too_many(request)
        posted_key = request.POST.get("checkout_key", "")
        done = Order.objects.filter(checkout_key=posted_key).first() if posted_key else None
        if done is not None and done.number in _buyer_orders(request):
            return redirect("orders:pay", done.number)  # the same form submitted again
    cart = Cart(request.session)
    if not cart.items:
        return redirect("orders:cart")
    session_key = request.session.setdefault(CHECKOUT_KEY, secrets.token_urlsafe(24))
    if request.method != "POST":
        country = request.shipping_country.code
        form = CheckoutForm(initial={"shipping_country": country})
        return _checkout_page(request, form, price_cart(cart, country), priced_for=country)

    form = CheckoutForm(request.POST)
    priced_for = request.POST.get("priced_for", "")
    if priced_for not in countries:
        priced_for = request.shipping_country.code
    if not form.is_valid():
        return _checkout_page(request, form, price_cart(cart, priced_for), priced_for=priced_for, status=400)
    country = form.cleaned_data["shipping_country"]
    if country != request.shipping_country.code:
        # The address says where the books go: from now on the store (its header, its prices)
        # ships there, as if the reader had chosen the country in the header.
        request.shipping_country = dataclasses.replace(request.shipping_country, code=country, source="query")
    priced = price_cart(cart, country)
    if country != priced_for:
        notice = (
            f"Your order is now priced for shipping to {countries.name(country)}, not {countries.name(priced_for)}. "
            "Check the summary below, then continue."
        )
        return _checkout_page(request, form, priced, priced_for=country, notice=notice)
    if not priced.can_check_out:
        notice = f"Some books in your cart are not sold in {countries.name(country)}: remove them from the cart first."
        return _checkout_page(request, form, priced, priced_for=country, notice=notice, status=409)
    if not constant_time_compare(posted_key, session_key):
        notice = "This form had expired. Check your details and the summary, then continue."
        return _checkout_page(request, form, priced, priced_for=country, notice=notice, status=409)
    try:
        order = order_place(priced=priced, checkout_key=session_key, address=form.address())
    except CannotOrder as error:
        return _checkout_page(request, form, priced, priced_for=country, notice=str(error), status=409)
    request.session[ORDERS_KEY] = [*_buyer_orders(request), order.number][-20:]
    request.session[CHECKOUT_KEY] = secrets.token_urlsafe(24)
    cart.clear()
    return redirect("orders:pay", order.number)


def awaiting_payment(view: Callable[[HttpRequest, Order], HttpResponse]) -> Callable[..., HttpResponse]:
    """A step of paying an order: for its buyer only, and only while it awaits payment (after, the
    order's page); never cached."""

    @wraps(view)
    @never_cache
    @require_http_methods(["GET", "HEAD", "POST"])
    def step(request: HttpRequest, number: str) -> HttpResponse:
        order = buyer_order(request, number)
        if order.status != Order.Status.AWAITING_PAYMENT:
            return redirect("orders:confirmation", order.number)
        return view(request, order)

    return step


def test_payment_choices(chosen=None) -> TestPaymentChoices | None:
    """With django-payments' dummy provider, its choice of outcome, shown in the pay form; None
    with a real provider (Stripe), whose own page takes the card once "Pay" is pressed."""
    if not isinstance(provider_factory(PAYMENT_VARIANT), DummyProvider):
        return None
    return TestPaymentChoices(chosen)


@awaiting_payment
def pay(request: HttpRequest, order: Order) -> HttpResponse:
    """The order to pay, in one step. "Pay" prices it again first: a changed price is shown for
    confirmation. Otherwise the payment starts and the provider takes it from there: Stripe's
    checkout page, or the dummy provider's outcome chosen in this same form."""
    changes, available, notice, status = [], True, "", 200
    if request.GET.get("failed"):
        notice = "The payment did not go through and nothing was charged. You can try again."
    choices = test_payment_choices(request.POST)
    if request.method == "POST":
        if over_limit(request, "pay"):
            return _too_many(request)
        changes, available = order_requote(order=order)
        order = Order.objects.for_order_page().get(pk=order.pk)
        if available and not changes and _decimal(request.POST.get("total")) == order.total:
            attempt = payment_start(order=order, ip_address=client_ip(request))
            outcome = _hand_to_provider(order, attempt, request.POST)
            if isinstance(outcome, HttpResponse):
                return outcome
            choices, status = outcome, 400  # the provider's form, with what it still needs
            notice = "The payment could not start: please check the choices below and pay again."
        elif available and not changes:
            notice = "The total has changed since this page was shown: please check it and pay again."
    return render(
        request,
        "orders/pay.html",
        {
            "order": order,
            "summary": summary_of_order(order),
            "changes": changes,
            "available": available,
            "notice": notice,
            "choices": choices,
        },
        status=status if available else 409,
    )


def _hand_to_provider(order: Order, attempt: Payment, data) -> HttpResponse | forms.Form:
    """Give the payment attempt to its provider with what the pay form posted: where it sends the
    reader (its checkout page, the 3-D Secure check, the order paid or the payment refused), or
    the form it gave back for what was missing."""
    try:
        return attempt.get_form(data=data)
    except RedirectNeeded as redirect_to:
        return redirect(str(redirect_to))
    except (PaymentError, URLError):
        attempt.refresh_from_db(fields=["status"])
        if attempt.status != PaymentStatus.CONFIRMED:  # a confirmed payment has paid the order: it stays so
            attempt.change_status(PaymentStatus.ERROR, "The payment provider could not complete the payment.")
        return redirect(order.buyer_url("orders:pay") + "&failed=1")


@awaiting_payment
def payment(request: HttpRequest, order: Order) -> HttpResponse:
    """The payment provider's form had a page of its own after the pay page; one still open in a
    browser leads back to the pay page, which now carries it."""
    return redirect("orders:pay", order.number)


@never_cache
@require_http_methods(["GET", "HEAD"])
def confirmation(request: HttpRequest, number: str) -> HttpResponse:
    order = buyer_order(request, number)
    return render(request, "orders/confirmation.html", {"order": order, "summary": summary_of_order(order)})


@csrf_exempt  # the payment provider calls it, and checks it by the payment's unguessable token
def payment_callback(request: HttpRequest, token) -> HttpResponse:
    """django-payments' return address: the provider says how the payment went.

    The dummy provider takes the outcome from `?verification_result=`; anything but a payment
    status is refused here rather than written to the payment.
    """
    result = request.GET.get("verification_result")
    if result is not None and result not in dict(PaymentStatus.CHOICES):
        return _refused(request, 400, "Payment not recorded", "The payment provider's answer was not understood.")
    return process_data(request, str(token))
