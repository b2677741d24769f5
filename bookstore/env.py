"""Reading configuration from the environment."""

from __future__ import annotations

import os

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
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise MissingSetting(f"{name} must be a whole number of seconds (0 or more), not {value!r}.")
    return int(value)
