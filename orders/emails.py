"""The emails a buyer gets: the order confirmation, and how to reach their eBooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from orders.summary import summary_of_order

if TYPE_CHECKING:
    from orders.models import Order


def absolute(path: str) -> str:
    return f"{settings.BOOKSTORE_SITE_URL}{path}"


def send_order_confirmation(order: Order) -> None:
    context = {"order": order, "summary": summary_of_order(order), "order_url": absolute(order.buyer_url())}
    send_mail(
        subject=f"Your order {order.number} from {settings.BOOKSTORE_SITE_NAME}",
        message=render_to_string("orders/email/confirmation.txt", context),
        from_email=None,
        recipient_list=[order.email],
    )


def send_ebook_access(order: Order) -> None:
    context = {"order": order, "order_url": absolute(order.buyer_url())}
    send_mail(
        subject=f"Your eBooks from order {order.number}",
        message=render_to_string("orders/email/ebook_access.txt", context),
        from_email=None,
        recipient_list=[order.email],
    )
