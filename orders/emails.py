"""The emails a buyer gets: the order confirmation, how to reach their eBooks, and what the order
desk did with the order (shipped with its tracking reference, cancelled, refunded)."""

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


def send_order_shipped(order: Order) -> None:
    _send_news(order, f"Your order {order.number} has been shipped", "orders/email/shipped.txt")


def send_order_cancelled(order: Order) -> None:
    _send_news(order, f"Your order {order.number} has been cancelled", "orders/email/cancelled.txt")


def send_order_refunded(order: Order) -> None:
    _send_news(order, f"Your order {order.number} has been refunded", "orders/email/refunded.txt")


def _send_news(order: Order, subject: str, template: str) -> None:
    context = {"order": order, "total": order.display(order.total), "order_url": absolute(order.buyer_url())}
    send_mail(
        subject=subject,
        message=render_to_string(template, context),
        from_email=None,
        recipient_list=[order.email],
    )
