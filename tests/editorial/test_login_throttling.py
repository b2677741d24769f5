"""Repeated failed admin logins are refused for a cool-off period, logged, and then allowed again."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.editorial.conftest import member_of

pytestmark = pytest.mark.django_db
PASSWORD = "a long editor password"


def login(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_until_locked(client, username, address="203.0.113.7"):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, username, "wrong", address)
        assert response.status_code == 200, attempt  # the form again, with an error
        assert "Please enter the correct username and password" in response.content.decode()
    return login(client, username, "wrong", address)


def test_an_account_is_locked_after_repeated_failures_and_it_is_logged(caplog):
    member_of("Catalog editors", "edith")
    client = Client()
    with caplog.at_level(logging.WARNING):
        locked = fail_until_locked(client, "edith")
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert any("Locking out" in record.getMessage() and "edith" in record.getMessage() for record in caplog.records)
    # Even the right password is refused during the cool-off, from any address.
    assert login(client, "edith", PASSWORD).status_code == 429
    assert login(Client(), "edith", PASSWORD, address="198.51.100.20").status_code == 429


def test_an_address_is_locked_whatever_account_it_tries():
    member_of("Catalog editors", "edith")
    client = Client()
    for index in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"guess{index}", "wrong")
    assert login(client, "edith", PASSWORD).status_code == 429
    # Another address can still log in to that account.
    assert login(Client(), "edith", PASSWORD, address="198.51.100.20").status_code == 302


def test_the_right_password_works_again_after_the_cool_off():
    member_of("Catalog editors", "edith")
    client = Client()
    assert fail_until_locked(client, "edith").status_code == 429
    # Let the cool-off period pass.
    locked_at = AccessAttempt.objects.first().attempt_time
    AccessAttempt.objects.update(attempt_time=locked_at - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    response = login(client, "edith", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_the_fifth_failure_locks_for_fifteen_minutes():
    member_of("Catalog editors", "edith")
    client = Client()
    for attempt in range(4):
        assert login(client, "edith", "wrong").status_code == 200, attempt
    assert login(client, "edith", "wrong").status_code == 429

    def last_failure_was(ago: timedelta) -> None:
        AccessAttempt.objects.update(attempt_time=timezone.now() - ago)

    last_failure_was(timedelta(minutes=14, seconds=55))
    assert login(client, "edith", PASSWORD).status_code == 429
    last_failure_was(timedelta(minutes=15, seconds=5))
    response = login(client, "edith", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_behind_the_proxy_the_forwarded_address_is_throttled_not_the_proxy(settings):
    settings.BOOKSTORE_BEHIND_PROXY = True
    member_of("Catalog editors", "edith")
    attacker, editor = Client(), Client()
    for index in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": f"guess{index}", "password": "x"},
                      REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.9")
    locked = attacker.post("/admin/login/", {"username": "edith", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert locked.status_code == 429
    # Another reader behind the same proxy is not locked out.
    response = editor.post("/admin/login/?next=/admin/", {"username": "edith", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert response.status_code == 302


def test_behind_a_tls_proxy_the_admin_login_passes_the_csrf_origin_check(settings):
    import re

    settings.BOOKSTORE_BEHIND_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    member_of("Catalog editors", "edith")
    client = Client(enforce_csrf_checks=True)
    # As the proxy forwards them: the Host the browser asked for, and that it spoke HTTPS.
    page = client.get("/admin/login/", HTTP_HOST="testserver", HTTP_X_FORWARDED_PROTO="https").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "edith", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_HOST="testserver",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_ORIGIN="https://testserver",
        HTTP_REFERER="https://testserver/admin/login/",
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
