"""What the catalog's migrations run on PostgreSQL only (its search indexes); other databases skip it."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def run_on_postgres(statements: Sequence[str]) -> Callable:
    """A RunPython function that executes `statements` on PostgreSQL and does nothing elsewhere."""

    def operation(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation
