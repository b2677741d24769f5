"""Reading configuration from the environment."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}


class MissingSetting(ImproperlyConfigured):
    """A variable production needs is not set; `manage.py` and gunicorn print just this message."""


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
