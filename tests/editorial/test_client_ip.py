"""The client's address: X-Forwarded-For is believed only from a trusted proxy, read from the right."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from editorial.client_ip import client_ip


def address(remote_addr: str, forwarded: str | None = None) -> str | None:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/admin/login/", REMOTE_ADDR=remote_addr, **headers))


@pytest.fixture
def behind_proxies(settings):
    settings.BOOKSTORE_BEHIND_PROXY = True
    settings.BOOKSTORE_TRUSTED_PROXIES = ["10.0.0.2/32", "173.245.48.0/20", "::1/128"]


def test_without_the_proxy_the_header_is_never_read(settings):
    settings.BOOKSTORE_BEHIND_PROXY = False
    settings.BOOKSTORE_TRUSTED_PROXIES = []
    assert address("198.51.100.66", "192.0.2.1") == "198.51.100.66"


@pytest.mark.parametrize(
    ("remote_addr", "forwarded", "client"),
    [
        # A direct client, not a trusted proxy: its own header counts for nothing.
        ("198.51.100.66", "192.0.2.1", "198.51.100.66"),
        ("198.51.100.66", "10.0.0.2", "198.51.100.66"),
        # Through the proxy: the right-most entry is the client the proxy saw.
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),
        ("10.0.0.2", "spoofed, 192.0.2.1, 203.0.113.9", "203.0.113.9"),
        # Through a trusted CDN and the proxy: skip every trusted hop, stop at the first other.
        ("10.0.0.2", "192.0.2.1, 203.0.113.9, 173.245.50.7", "203.0.113.9"),
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("10.0.0.2", " 203.0.113.9 ,, ", "203.0.113.9"),
        # An IPv4 client seen through an IPv6 socket is that IPv4 client.
        ("10.0.0.2", "::ffff:203.0.113.9", "203.0.113.9"),
        # Nothing forwarded, or only trusted hops: the nearest address there is.
        ("10.0.0.2", None, "10.0.0.2"),
        ("10.0.0.2", "173.245.50.7", "173.245.50.7"),
        # Something no proxy would write ends the walk at the last address vouched for.
        ("10.0.0.2", "203.0.113.9, not-an-address", "10.0.0.2"),
        ("10.0.0.2", "garbage, 173.245.50.7", "173.245.50.7"),
        ("10.0.0.2", "203.0.113.9:4711", "10.0.0.2"),
    ],
)
def test_the_client_is_the_right_most_untrusted_hop(behind_proxies, remote_addr, forwarded, client):
    assert address(remote_addr, forwarded) == client
