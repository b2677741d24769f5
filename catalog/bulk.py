"""Writing many rows fast, for loads that add hundreds of thousands of them (a synthetic catalogue).

`bulk_create` builds a model instance per row and compiles one large INSERT; for millions of
rows that Python is most of the time. Here rows are plain tuples of values in the columns' order
(str, int, Decimal, None; dates as ISO strings), written with PostgreSQL's `COPY … FROM STDIN`
and with `executemany` elsewhere. Columns a load does not give take what `save()` would store:
the field's default, and for `auto_now`/`auto_now_add` fields the time the table was prepared.
No signals are sent and no `save()` runs: the caller says what changed.

Ids come from `ids_reserve`: on PostgreSQL from the table's own sequence (so rows written
normally later never collide), elsewhere counting on from the largest id, which assumes nothing
else inserts into the table meanwhile.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone


class BulkTable:
    """A model's table ready for rows giving values for `columns` (field names), in that order.

    Fields named in `omit` are left out of the INSERT (the caller or the database fills them).
    """

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], *, omit: Sequence[str] = (), using: str = "default"
    ):
        self.model = model
        self.using = using
        connection = connections[using]
        given = [model._meta.get_field(name) for name in columns]
        omitted = [model._meta.get_field(name) for name in omit]
        now = timezone.now()
        self.constants: list[tuple[str, object]] = []
        for field in model._meta.concrete_fields:
            if field in given or field in omitted or field.primary_key:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = field.get_default()
            self.constants.append((field.column, field.get_db_prep_save(value, connection)))
        self.given = [field.column for field in given]
        self.constant_values = tuple(value for _, value in self.constants)
        self.table = model._meta.db_table

    @property
    def connection(self) -> BaseDatabaseWrapper:
        """The database connection of the thread writing (each thread has its own)."""
        return connections[self.using]

    def columns_sql(self, extra: Sequence[str] = ()) -> str:
        quote = self.connection.ops.quote_name
        return ", ".join(quote(column) for column in [*self.given, *extra, *(c for c, _ in self.constants)])

    def write(self, rows: Iterable[tuple], *, into: str | None = None, extra: Sequence[str] = ()) -> None:
        """Insert the rows in the current transaction.

        `into` names another table shaped like the model's (a staging table), which has the
        `extra` columns too; each row then ends with values for those.
        """
        table_sql = self.connection.ops.quote_name(into or self.table)
        columns_sql = self.columns_sql(extra)
        constants = self.constant_values
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                buffer = io.StringIO()
                # Unquoted empty is NULL to COPY, quoted empty an empty string: QUOTE_NOTNULL says which.
                writer = csv.writer(buffer, quoting=csv.QUOTE_NOTNULL, lineterminator="\n")
                writer.writerows(row + constants for row in rows)
                buffer.seek(0)
                cursor.copy_expert(f"COPY {table_sql} ({columns_sql}) FROM STDIN WITH (FORMAT csv)", buffer)
            else:
                placeholders = ", ".join(["%s"] * (len(self.given) + len(extra) + len(constants)))
                cursor.executemany(
                    f"INSERT INTO {table_sql} ({columns_sql}) VALUES ({placeholders})",
                    [row + constants for row in rows],
                )


def ids_reserve(model: type[models.Model], count: int, *, using: str = "default") -> range | list[int]:
    """`count` new primary keys for rows of `model` written with explicit ids."""
    connection = connections[using]
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
        largest = cursor.fetchone()[0] or 0
    return range(largest + 1, largest + 1 + count)


def statistics_refresh() -> None:
    """Let the query planner see the new rows at once, and index-only scans skip the table.

    After a bulk load the planner's statistics still describe the tables as they were (empty, at
    first), and it chooses plans for that; and until a VACUUM marks the new pages all-visible,
    every index-only scan (counting a publisher's books, say) also reads each row from the table.
    Autovacuum would do both later, if it is on at all. On PostgreSQL, outside a transaction,
    VACUUM (ANALYZE) does both now (about 12 s after a million books); inside one, where VACUUM
    cannot run, ANALYZE refreshes the statistics.
    """
    tables = [
        model._meta.db_table
        for app_label in ("catalog", "pricing")
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True)
    ]
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{command} " + ", ".join(connection.ops.quote_name(table) for table in tables))
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
