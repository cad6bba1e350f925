"""Running SQL written once for both backends: the query builder and the backends' hooks.

Every statement is written once, with ``{p}`` where a parameter goes, and ``render`` writes it
in the backend's own parameter style: ``?`` for sqlite3 (``qmark``), ``%s`` for psycopg
(``format``, where a literal ``%`` must be written ``%%``). The token is no SQL, so a ``?`` or a
``%`` elsewhere in a statement is left as it is. Values only ever travel as parameters; what is
put into the text of a statement (a table name, a column list) comes from the code, never from
input.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar, Literal, Protocol

from onrecord.store.records import Row, Sort

#: Where a parameter goes in a statement.
P = "{p}"

ParamStyle = Literal["qmark", "format"]


def render(template: str, paramstyle: ParamStyle) -> str:
    """``template`` with every ``{p}`` as the placeholder of ``paramstyle``: ``?`` (qmark), or
    ``%s`` with each literal ``%`` doubled (format)."""
    parts = template.split(P)
    if paramstyle == "format":
        return "%s".join(part.replace("%", "%%") for part in parts)
    return "?".join(parts)


def placeholders(count: int) -> str:
    """``count`` placeholders, comma-separated (the values of an INSERT)."""
    return ", ".join([P] * count)


class Db(Protocol):
    """What a migration may use of the store: one statement, or one statement over many rows
    (``{p}`` placeholders)."""

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...
    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


class SqlRunner(ABC):
    """Runs the statements of the SQL store. A backend connects, and supplies its parameter
    style, its transactions and its full-text search."""

    paramstyle: ClassVar[ParamStyle]
    #: The comparison under which NULL equals NULL and differs from any value.
    distinct: ClassVar[str] = "IS DISTINCT FROM"
    #: Full-text conditions with one placeholder each, over stances ``s`` and articles ``a``; the
    #: query they take is written by ``_text_query``.
    stance_target_match: ClassVar[str]
    article_text_match: ClassVar[str]

    def sql(self, template: str) -> str:
        """A statement (``{p}`` placeholders) in this backend's parameter style."""
        return render(template, self.paramstyle)

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement (``{p}`` placeholders) and return its rows (empty for writes)."""
        return self._execute(self.sql(sql), tuple(params))

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement (``{p}`` placeholders) for each parameter row."""
        if rows:
            self._execute_many(self.sql(sql), rows)

    def _rows(self, sql: str, params: Sequence[Any], columns: Sequence[str]) -> list[Row]:
        return [dict(zip(columns, row, strict=True)) for row in self._run(sql, params)]

    # -- the backend's hooks -------------------------------------------------------------------

    @abstractmethod
    def transaction(self) -> AbstractContextManager[Any]:
        """A context in which statements commit together or not at all."""

    @abstractmethod
    def _execute(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run one rendered statement and return its rows (empty for writes)."""

    @abstractmethod
    def _execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one rendered statement for each parameter row (at least one)."""

    @abstractmethod
    def close(self) -> None: ...

    def _text_query(self, query: str) -> str:
        """A search query (``onrecord.store.search.parse_query``) as the full-text conditions take it."""
        return query

    @abstractmethod
    def _match(self, query: str, speaker_ids: list[str] | None) -> tuple[str, str, list[Any]]:
        """The full-text match of ``query`` on quotations ``q``, by these speakers when given:
        (a join, a condition, its parameters)."""

    @abstractmethod
    def _search_quotes(
        self,
        query: str,
        speaker_ids: list[str] | None,
        where: list[str],
        params: list[Any],
        limit: int,
        offset: int,
        sort: Sort,
    ) -> list[Row]:
        """Quotation rows matching the full-text ``query`` and the extra conditions."""

    @abstractmethod
    def _search_articles(self, query: str, columns: Sequence[str], limit: int, offset: int) -> list[Row]:
        """Articles matching the full-text ``query``, best first."""
