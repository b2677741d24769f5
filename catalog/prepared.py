"""Queries turned into SQL once per process, then run again with other values.

Turning a QuerySet into SQL costs far more than running it when the answer is a few rows: on
SQLite about 0.5 ms to compile a book's contributors with their authors, against 0.07 ms to run
the SQL. A page rendered whole, as the first request for a book after any change to the
catalogue is, pays that for every query it makes. A `PreparedQuery` compiles its QuerySet the
first time it runs on a database, with stand-ins where the values go, and afterwards only runs
that SQL with the values in their places. Rows come back converted as Django converts them
(dates, decimals, booleans on SQLite), and the queries go where the database router sends the
model's reads, so they are counted, logged and routed like any other.
"""

from __future__ import annotations

import datetime
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.db import connections, models, router
from django.db.models import F, Subquery, TextField, Window
from django.db.models.functions import RowNumber
from django.db.models.sql.compiler import SQLCompiler

# Stand-ins for the values while compiling: no id or text of the catalogue is either.
_INT_STAND_IN = -918_273_645
_STR_STAND_IN = "\x1fprepared-{}\x1f"


class PreparedQuery:
    """The rows of the values_list() QuerySet `build(*values)`, compiled once per database.

    `kinds` names the type of each value (`int` or `str`). `build` receives a stand-in for each,
    and each must reach the SQL's parameters as it is (a plain filter on a key or a text field
    does; a lookup that transforms its value does not), which compiling checks.
    """

    def __init__(self, model: type[models.Model], build: Callable[..., models.QuerySet], *kinds: type) -> None:
        self.model = model
        self.build = build
        self.kinds = kinds
        self._lock = threading.Lock()
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, alias: str) -> _Compiled:
        stand_ins = [_INT_STAND_IN - i if kind is int else _STR_STAND_IN.format(i) for i, kind in enumerate(self.kinds)]
        compiler = self.build(*stand_ins).query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots = [(position, stand_ins.index(param)) for position, param in enumerate(params) if param in stand_ins]
        if sorted({index for _position, index in slots}) != list(range(len(stand_ins))):
            raise ValueError(f"Some values of this query do not reach its SQL unchanged: {sql}")
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        return _Compiled(compiler, sql, tuple(params), slots, compiler.get_converters(columns))

    def rows(self, *values: int | str) -> list[tuple]:
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(alias) or self._compile(alias)
                self._compiled[alias] = compiled
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = values[index]
        with connections[alias].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if not compiled.converters:
            return rows
        # The compiler only converts values here (its converters take a connection for their
        # settings, such as the time zone); the SQL ran on this thread's own connection above.
        return [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]


class PreparedQueries:
    """A `PreparedQuery` for each number of ids, for queries on a list of them (`pk__in`).

    `build(ids)` receives a tuple of stand-ins. Callers pass lists of a bounded length (a page
    of search results, a book's formats), so few are ever compiled.
    """

    def __init__(self, model: type[models.Model], build: Callable[[tuple], models.QuerySet]) -> None:
        self.model = model
        self.build = build
        self._by_count: dict[int, PreparedQuery] = {}

    def rows(self, ids: Sequence[int]) -> list[tuple]:
        if not ids:
            return []
        query = self._by_count.get(len(ids))
        if query is None:
            query = PreparedQuery(self.model, lambda *stand_ins: self.build(stand_ins), *[int] * len(ids))
            query = self._by_count.setdefault(len(ids), query)
        return query.rows(*ids)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple
    slots: list[tuple[int, int]]  # (position in params, index of the value)
    converters: dict


def model_fields(model: type[models.Model], *, leave_out: tuple[str, ...] = ()) -> list[str]:
    """The attribute names of `model`'s concrete fields, in their order: the columns `from_db()` takes."""
    return [field.attname for field in model._meta.concrete_fields if field.name not in leave_out]


def related_fields(prefix: str, model: type[models.Model]) -> list[str]:
    """`model_fields(model)` as values_list() names reached through the relation `prefix`."""
    return [f"{prefix}__{name}" for name in model_fields(model)]


class FoldedRows(Subquery):
    """The rows of a related QuerySet as one column of the outer query: a relation read with its owner.

    Each query costs a page more than the database's work for it (on SQLite about 50 µs in a
    request; on PostgreSQL a round trip as well), so the product page reads the book's
    contributors, formats, subjects and table of contents in the book's own row.

    `FoldedRows(queryset, names)`: `queryset` is filtered on an `OuterRef` and ordered with
    `order_by()`; `names` are the `values_list()` names of the columns wanted. In the outer row the
    column is a JSON array of the rows, each with its place in the queryset's order as the
    database sorts it (ROW_NUMBER(); SQLite before 3.44 cannot order an aggregate, so the rows are
    put in order here). `rows(text)` gives the rows back as `values_list()` gives them, each value
    converted as Django converts it: the same types, the same values.
    """

    output_field = TextField()

    def __init__(self, queryset: models.QuerySet, names: Sequence[str]) -> None:
        ordering = queryset.query.order_by
        if not ordering:
            raise ValueError("FoldedRows needs a queryset ordered with order_by(), for the rows' order.")
        self.names = list(names)
        self.fields = [_field(queryset.model, name) for name in self.names]
        for field in self.fields:
            if field.get_internal_type() in _UNSUPPORTED:
                raise ValueError(f"FoldedRows cannot read a {field.get_internal_type()} back from JSON: {field}.")
        columns = {f"c{index}": F(name) for index, name in enumerate(self.names)}
        ranked = (
            queryset.order_by()
            .annotate(**columns, folded_rank=Window(RowNumber(), order_by=list(ordering)))
            .values_list(*columns, "folded_rank")
        )
        super().__init__(ranked)
        self._conversions: dict[str, list[tuple]] = {}

    def as_sql(self, compiler, connection, template=None, **extra_context):
        columns = ", ".join(connection.ops.quote_name(f"c{index}") for index in range(len(self.names)))
        rank = connection.ops.quote_name("folded_rank")
        if connection.vendor == "postgresql":
            template = f'(SELECT json_agg(json_build_array({columns}, {rank}))::text FROM (%(subquery)s) AS "rows")'
        else:
            template = f'(SELECT json_group_array(json_array({columns}, {rank})) FROM (%(subquery)s) AS "rows")'
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def rows(self, text: str | None, alias: str) -> list[tuple]:
        """The rows in `text` (this column's value in a row from the database `alias`), in order."""
        if not text:  # PostgreSQL's json_agg() of no rows is NULL
            return []
        connection = connections[alias]
        postgresql = connection.vendor == "postgresql"
        # SQLite's JSON holds each value as its cursor returns it; PostgreSQL's writes dates and
        # times as text and decimals as numbers.
        rows = json.loads(text, parse_float=Decimal) if postgresql else json.loads(text)
        rows.sort(key=_RANK)
        conversions = self._conversions.get(alias)
        if conversions is None:
            conversions = self._conversions[alias] = _conversions(self.fields, connection)
        for row in rows:
            del row[-1]
            for index, parse, converters, column in conversions:
                value = row[index]
                if parse is not None and value is not None:
                    value = parse(value)
                for converter in converters:  # on None too, as Django does
                    value = converter(value, column, connection)
                row[index] = value
        return [tuple(row) for row in rows]


_RANK = itemgetter(-1)


def _conversions(fields: list[models.Field], connection) -> list[tuple]:
    """(index, parse, converters, column) for each of `fields` whose JSON value needs any: the
    parsing of PostgreSQL's JSON form, then the converters Django applies to such a column read
    from `connection` (as SQLCompiler.get_converters() finds them)."""
    postgresql = connection.vendor == "postgresql"
    conversions = []
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        converters = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        parse = _from_json(field) if postgresql else None
        if parse is not None or converters:
            conversions.append((index, parse, converters, column))
    return conversions


# Types whose JSON form neither database's converters nor `_from_json` turns back into the value.
_UNSUPPORTED = {"BinaryField", "DurationField", "JSONField", "TimeField", "UUIDField"}


def _field(model: type[models.Model], name: str) -> models.Field:
    """The field `name` (a `values_list()` name: `author__name`, `book_id`) reaches from `model`."""
    *path, last = name.split("__")
    for part in path:
        model = model._meta.get_field(part).related_model
    return model._meta.get_field(last)


def _from_json(field: models.Field) -> Callable | None:
    """What turns PostgreSQL's JSON form of a value of `field` into what its cursor returns."""
    kind = field.get_internal_type()
    if kind == "DateField":
        return datetime.date.fromisoformat
    if kind == "DateTimeField":
        return datetime.datetime.fromisoformat
    if kind == "DecimalField":
        return Decimal
    return None
