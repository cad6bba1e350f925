"""The SQLite store: one file, WAL journal, FTS5 over quotation content and article text.

WAL with ``synchronous=NORMAL`` keeps every committed transaction through a killed process (only
a power cut can lose the last ones), and lets readers (the web server) read while one writer
ingests.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from onrecord.errors import Errors, QueryError
from onrecord.store import migrations
from onrecord.store.base import SqlStore
from onrecord.store.columns import DATE_ORDER, QUOTE_COLUMNS, QUOTE_SELECT, RANK_ORDER
from onrecord.store.records import Row, Sort
from onrecord.store.search import MARK_END, MARK_START, fts5_query
from onrecord.store.sql import P


class SQLiteStore(SqlStore):
    paramstyle = "qmark"
    distinct = "IS NOT"
    stance_target_match = "s.srow IN (SELECT rowid FROM stances_fts WHERE stances_fts MATCH {p})"
    article_text_match = "a.arow IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH {p})"

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA busy_timeout = 30000")
            self.conn.execute("PRAGMA cache_size = -65536")
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise QueryError(Errors.E052.format(target=path, reason=err)) from err
        self._depth = 0

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        for number, migration in enumerate(migrations.SQLITE[version:], start=version + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                migration(self)
                self.conn.execute(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(number),),
                )
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    def _execute(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()

    def _execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

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
        _, condition, match = self._match(query, speaker_ids)  # this FROM joins the FTS table itself
        order = {
            "rank": f"{RANK_ORDER}, f.rank",
            **DATE_ORDER,
        }[sort]
        conditions = " AND ".join([condition, *where])
        sql = (
            f"SELECT {QUOTE_SELECT}, highlight(f.quotes_fts, 0, '{MARK_START}', '{MARK_END}') AS snippet "
            "FROM quotes_fts f JOIN quotes q ON q.qrow = f.rowid JOIN articles a ON a.article_id = q.article_id "
            "LEFT JOIN speakers s ON s.speaker_id = q.speaker_id "
            f"WHERE {conditions} ORDER BY {order}, q.quote_id LIMIT {P} OFFSET {P}"
        )
        try:
            return self._rows(sql, [*match, *params, limit, offset], [*QUOTE_COLUMNS, "snippet"])
        except sqlite3.OperationalError as err:
            raise QueryError(Errors.E050.format(query=query, reason=err)) from err

    def _match(self, query: str, speaker_ids: list[str] | None) -> tuple[str, str, list[Any]]:
        match = "content_text : (" + fts5_query(query) + ")"
        if speaker_ids is not None:
            keys = ('"' + s.replace("_", "").replace('"', '""') + '"' for s in speaker_ids)
            match += " AND speaker_key : (" + " OR ".join(keys) + ")"
        return "JOIN quotes_fts f ON f.rowid = q.qrow", "f.quotes_fts MATCH {p}", [match]

    def _search_articles(self, query: str, columns: Sequence[str], limit: int, offset: int) -> list[Row]:
        sql = (
            "SELECT " + ", ".join(f"a.{c}" for c in columns) + " FROM articles_fts f "
            "JOIN articles a ON a.arow = f.rowid WHERE f.articles_fts MATCH {p} "
            "ORDER BY f.rank, a.article_id LIMIT {p} OFFSET {p}"
        )
        try:
            return self._rows(sql, (fts5_query(query), limit, offset), columns)
        except sqlite3.OperationalError as err:
            raise QueryError(Errors.E050.format(query=query, reason=err)) from err

    def _text_query(self, query: str) -> str:
        return fts5_query(query)

    def close(self) -> None:
        self.conn.close()
