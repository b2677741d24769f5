"""Reading configuration from the environment."""

from __future__ import annotations

import ipaddress
import os

from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}


class MissingSetting(ImproperlyConfigured):
    """A variable production needs is not set, or is not what it must be; `manage.py` and
    gunicorn print just this message."""


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in TRUE_WORDS


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_required(*names: str) -> None:
    missing = [name for name in names if not os.environ.get(name, "").strip()]
    if missing:
        raise MissingSetting(
            f"{' and '.join(missing)} must be set when DJANGO_DEBUG is off "
            "(set DJANGO_DEBUG=1 for development). See the README's configuration table."
        )


def env_seconds(name: str, default: int) -> int:
    """A whole number of seconds, zero or more; anything else stops start-up naming the variable."""
    return env_whole_number(name, default, unit="seconds")


def env_whole_number(name: str, default: int, *, unit: str) -> int:
    """A whole number of `unit`, zero or more; anything else stops start-up naming the variable."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise MissingSetting(f"{name} must be a whole number of {unit} (0 or more), not {value!r}.")
    return int(value)


def env_secret_key(name: str) -> str:
    """The secret key, refused at start-up if `check --deploy` would call it weak (security.W009)."""
    key = os.environ.get(name, "")
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        raise MissingSetting(
            f"{name} is too weak: it must be at least {SECRET_KEY_MIN_LENGTH} characters long, with at least "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, and must not start with "
            f"{SECRET_KEY_INSECURE_PREFIX!r}. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    return key


def env_networks(name: str) -> list[str]:
    """Comma-separated addresses or networks (CIDR), each checked; a bad one stops start-up naming it."""
    networks = []
    for item in env_list(name):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise MissingSetting(
                f"{name} must be IP addresses or networks (e.g. 10.0.0.5, 10.0.0.0/24), comma-separated; "
                f"{item!r} is neither."
            ) from None
    return networks
