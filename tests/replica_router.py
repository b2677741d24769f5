"""The test settings' only router: it keeps the replica's test database free of tables of its own.

tests/conftest.py replaces that database with a copy of the primary's, so creating and
migrating tables there first would be wasted time. Reads and writes are left to Django's
default (the primary); the replica tests install bookstore.db_router.ReplicaRouter themselves.
"""


class MigratePrimaryOnly:
    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == "default"
