"""Repeated failed admin logins are refused for a cool-off period, logged, and then allowed again.

Failures count per account *and* address, with a higher limit per address, so nobody can lock an
editor out from somewhere else; the address is the one the request came from, or behind a trusted
proxy the client that proxy saw, never one the client wrote itself.
"""

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


ATTACKER = "198.51.100.66"
EDITOR = "203.0.113.7"
PER_ACCOUNT = settings.BOOKSTORE_LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS
PER_ADDRESS = settings.BOOKSTORE_LOGIN_FAILURES_PER_ADDRESS


def login(client: Client, username: str, password: str, address: str = EDITOR, **headers):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail_until_locked(client, username, address=EDITOR, **headers):
    for attempt in range(PER_ACCOUNT - 1):
        response = login(client, username, "wrong", address, **headers)
        assert response.status_code == 200, attempt  # the form again, with an error
        assert "Please enter the correct username and password" in response.content.decode()
    return login(client, username, "wrong", address, **headers)


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_the_limits_are_five_per_account_and_address_and_twenty_per_address():
    assert (PER_ACCOUNT, PER_ADDRESS) == (5, 20)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_an_account_is_locked_from_the_address_that_failed_and_it_is_logged(caplog):
    member_of("Catalog editors", "edith")
    client = Client()
    with caplog.at_level(logging.WARNING):
        locked = fail_until_locked(client, "edith", ATTACKER)
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    assert any("Locking out" in record.getMessage() and "edith" in record.getMessage() for record in caplog.records)
    # Even the right password is refused from that address during the cool-off.
    assert login(client, "edith", PASSWORD, ATTACKER).status_code == 429


def test_nobody_can_lock_an_editor_out_from_elsewhere():
    member_of("Catalog editors", "edith")
    attacker = Client()
    assert fail_until_locked(attacker, "edith", ATTACKER).status_code == 429
    for _ in range(10):
        assert login(attacker, "edith", "wrong", ATTACKER).status_code == 429
    # The editor, at their own address, logs in while the attacker is still locked out.
    assert logged_in(login(Client(), "edith", PASSWORD, EDITOR))
    assert login(attacker, "edith", PASSWORD, ATTACKER).status_code == 429


def test_an_address_is_locked_after_twenty_failures_whatever_the_accounts():
    member_of("Catalog editors", "edith")
    client = Client()
    for index in range(PER_ADDRESS - 1):
        assert login(client, f"guess{index}", "wrong", ATTACKER).status_code == 200, index
    assert login(client, "another-guess", "wrong", ATTACKER).status_code == 429
    # Now every account is refused from there, even with its right password...
    assert login(client, "edith", PASSWORD, ATTACKER).status_code == 429
    # ...and none from anywhere else.
    assert logged_in(login(Client(), "edith", PASSWORD, EDITOR))


def test_a_direct_client_forging_x_forwarded_for_is_throttled_by_its_own_address(settings):
    settings.BOOKSTORE_BEHIND_PROXY = True
    settings.BOOKSTORE_TRUSTED_PROXIES = ["127.0.0.0/8", "::1/128"]
    member_of("Catalog editors", "edith")
    client = Client()
    statuses = [
        login(client, f"guess{index}", "wrong", ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{index + 1}").status_code
        for index in range(PER_ADDRESS)
    ]
    assert statuses == [200] * (PER_ADDRESS - 1) + [429]
    assert login(client, "edith", PASSWORD, ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    # Guessing one editor's password with a new forged address each time: locked at the fifth.
    other = "198.51.100.67"
    statuses = [
        login(client, "edith", "wrong", other, HTTP_X_FORWARDED_FOR=f"192.0.2.{index + 1}").status_code
        for index in range(PER_ACCOUNT)
    ]
    assert statuses == [200] * (PER_ACCOUNT - 1) + [429]


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


def test_behind_a_trusted_proxy_the_client_it_saw_is_throttled_not_the_proxy(settings):
    settings.BOOKSTORE_BEHIND_PROXY = True
    settings.BOOKSTORE_TRUSTED_PROXIES = ["10.0.0.0/24"]
    member_of("Catalog editors", "edith")
    attacker, editor = Client(), Client()
    # The proxy (10.0.0.2) appended the attacker's address; the attacker wrote "spoofed" itself.
    through_proxy = {"address": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "spoofed, 192.0.2.1, 203.0.113.9"}
    assert fail_until_locked(attacker, "edith", **through_proxy).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert login(attacker, "edith", PASSWORD, **through_proxy).status_code == 429
    # The editor, another client of the same proxy, is not locked out.
    assert logged_in(login(editor, "edith", PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20"))


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
