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

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import connections, models, router
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
