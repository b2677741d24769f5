"""The database router for an optional read replica (settings install it with DATABASE_REPLICA_URL).

Reads of the catalogue and its prices go to the replica while a reader page is served, unless
the storefront says the replica may not have caught up with the last change
(`storefront.replica_reads`), or the read is inside a transaction. Everything else uses the
primary: every write, the admin, POSTs, management commands, sessions, users, history. Only the
primary is migrated; a streaming replica gets its tables from it.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

from storefront.replica_reads import replica_reads_allowed

REPLICA_DB_ALIAS = "replica"
# What reader pages show. Sessions, users and the like stay on the primary even there: a visitor
# who has just logged in or changed something must find it, however far the replica lags.
REPLICA_APP_LABELS = frozenset({"catalog", "pricing"})


def in_transaction() -> bool:
    """Inside an atomic block the code opened (not one a test case wraps each test in)."""
    return any(not block._from_testcase for block in connections[DEFAULT_DB_ALIAS].atomic_blocks)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if model._meta.app_label in REPLICA_APP_LABELS and not in_transaction() and replica_reads_allowed():
            return REPLICA_DB_ALIAS
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary: an object read from one may refer to one from the other.
        databases = {DEFAULT_DB_ALIAS, REPLICA_DB_ALIAS}
        return True if {obj1._state.db, obj2._state.db} <= databases else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == DEFAULT_DB_ALIAS
