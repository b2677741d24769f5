"""The address a login attempt came from, for throttling."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: HttpRequest) -> str | None:
    """The nearest address on the way in that no trusted proxy accounts for.

    A request from anywhere but a trusted proxy (BOOKSTORE_TRUSTED_PROXIES, only behind one) is
    known by REMOTE_ADDR, whatever X-Forwarded-For it carries. From a trusted proxy, the header is
    read right to left: each proxy appended the address it saw, so the right-most entry that is
    not itself a trusted proxy is the client; entries further left are whatever the client sent.
    An entry that is not an address was not written by a proxy we trust, so it ends the walk at
    the last address vouched for.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    networks = _trusted_networks(tuple(settings.BOOKSTORE_TRUSTED_PROXIES))
    nearest = _parse(remote_addr)
    if nearest is None:
        return remote_addr
    if not _is_trusted(nearest, networks):
        return str(nearest)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([part.strip() for part in forwarded if part.strip()]):
        address = _parse(hop)
        if address is None:
            break
        nearest = address
        if not _is_trusted(address, networks):
            break
    return str(nearest)


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _parse(text: str | None) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text or "")
    except ValueError:
        return None
    # An IPv4 client seen through an IPv6 socket (::ffff:203.0.113.7) is that IPv4 client.
    return getattr(address, "ipv4_mapped", None) or address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in networks)
