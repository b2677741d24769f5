from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def payments_and_email_are_real(app_configs, **kwargs):
    warnings = []
    if settings.PAYMENT_VARIANTS["default"][0] == "payments.dummy.DummyProvider":
        warnings.append(
            Warning(
                "Payments use django-payments' dummy provider, which lets the buyer choose the outcome.",
                hint="Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (README, \"Buying\").",
                id="orders.W001",
            )
        )
    if settings.MAILERS["default"].get("BACKEND", "").endswith("console.EmailBackend"):
        warnings.append(
            Warning(
                "Order emails are printed on the console, not sent.",
                hint="Set EMAIL_HOST and its companions (README, \"Buying\").",
                id="orders.W002",
            )
        )
    return warnings
