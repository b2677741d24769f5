"""Sessions in the database, as Django keeps them, refusing cookies that name no possible session.

Django makes every session key from lowercase letters and digits (32 of them) and the table holds
at most 40 characters. A cookie holding anything else (garbage, a NUL byte, which PostgreSQL
refuses in a query, or a quoted cookie's octal escape that decodes to one) is treated as no
session at all, as an unknown key is, without asking the database.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key: str | None) -> bool:
        return bool(key) and 8 <= len(key) <= 40 and _KEY_CHARACTERS.issuperset(key)
