"""Django's SQLite backend, with each query's placeholders rewritten once per text, not on every run.

Django writes a query's parameters as `%s`; Python's sqlite3 module takes `?`. Django's backend
rewrites the text with a regular expression every time a query runs, which costs about as much
as running a short query: about 20 µs for the product page's book query (2 KB of SQL), some 70 µs
over the page's queries. Those queries have the same text on every request (catalog.prepared
compiles them once), so here the rewritten text is kept for each text, in a bounded table. A text
longer than `KEPT_LONGEST` (a bulk insert's, say) is rewritten each time, as before, so the table
holds at most `KEPT_TEXTS` short texts.

`DATABASE_URL=sqlite:///…` selects this backend (bookstore/settings.py); everything else is Django's.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.backends.sqlite3 import base

KEPT_TEXTS = 512
KEPT_LONGEST = 8 * 1024  # characters


@lru_cache(maxsize=KEPT_TEXTS)
def _qmark_style(query: str) -> str:
    """`query` with Django's `%s` placeholders as `?`, as Django's backend writes it."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and len(query) <= KEPT_LONGEST:
            return _qmark_style(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=SQLiteCursorWrapper)
