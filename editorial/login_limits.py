"""How many failed log-ins django-axes allows before it refuses with 429.

Axes counts failures per account *and* address (`AXES_LOCKOUT_PARAMETERS`), so failures for an
editor's username from one address never lock that editor out anywhere else. It takes one limit,
though, and an address trying many usernames needs a limit of its own: this is that limit, as
the callable `AXES_FAILURE_LIMIT` axes asks for each attempt.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    """The account's limit from this address; none left once the address has reached its own."""
    if address_failures(request) >= settings.BOOKSTORE_LOGIN_FAILURES_PER_ADDRESS:
        return 0
    return settings.BOOKSTORE_LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS


def address_failures(request: HttpRequest) -> int:
    """Failures from the request's address within the cool-off period, for every username."""
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return recent.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
