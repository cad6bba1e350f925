"""The PostgreSQL store, for several users at once: tsvector columns with GIN indexes for search.

``open_store("postgresql://user:password@host/db")``; psycopg 3. Search reads the query the SQLite
store reads (``parse_query``: words, "phrases", OR, -excluded, prefix*, NEAR), written as
``to_tsquery`` input by ``tsquery`` from word characters only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from onrecord.errors import Errors, QueryError
from onrecord.store import migrations
from onrecord.store.base import SqlStore
from onrecord.store.columns import DATE_ORDER, QUOTE_COLUMNS, QUOTE_SELECT, RANK_ORDER
from onrecord.store.records import Row, Sort
from onrecord.store.search import MARK_END, MARK_START, tsquery
from onrecord.store.sql import P


class PostgresStore(SqlStore):
    paramstyle = "format"  # psycopg's own: %s, and %% for a literal %
    stance_target_match = "s.tsv @@ to_tsquery('english', {p})"
    article_text_match = "a.tsv @@ to_tsquery('english', {p})"

    def __init__(self, url: str) -> None:
        import psycopg  # optional: the postgres extra

        self.url = url
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as err:
            raise QueryError(Errors.E052.format(target=_redact(url), reason=str(err).strip())) from err
        self._tx_depth = 0
        self._migrate()

    def _migrate(self) -> None:
        with self.transaction():
            self._run("SELECT pg_advisory_xact_lock(8136021)")
            self._run("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            rows = self._run("SELECT value FROM meta WHERE key = 'schema_version'")
            version = int(rows[0][0]) if rows else 0
            for number, migration in enumerate(migrations.POSTGRES[version:], start=version + 1):
                migration(self)
                self._run(
                    "INSERT INTO meta (key, value) VALUES ('schema_version', {p}) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(number),),
                )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            yield

    def _execute(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        cursor = self.conn.execute(sql, params)
        return cursor.fetchall() if cursor.description is not None else []

    def _execute_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cursor:
            cursor.executemany(sql, rows)

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
        _, condition, match = self._match(query, speaker_ids)
        query = match[0]  # the tsquery, for the rank and the headline
        conditions = [condition, *where]
        values: list[Any] = [*match, *params]
        order = {
            "rank": f"{RANK_ORDER}, ts_rank(q.tsv, to_tsquery('english', {P})) DESC",
            **DATE_ORDER,
        }[sort]
        if sort == "rank":
            values.append(query)
        sql = (
            f"SELECT {QUOTE_SELECT}, ts_headline('english', q.content_text, to_tsquery('english', {P}), "
            f"'StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true') AS snippet "
            "FROM quotes q JOIN articles a ON a.article_id = q.article_id "
            "LEFT JOIN speakers s ON s.speaker_id = q.speaker_id "
            "WHERE q.qrow IN (SELECT q.qrow FROM quotes q LEFT JOIN speakers s ON s.speaker_id = q.speaker_id "
            "WHERE " + " AND ".join(conditions) + f" ORDER BY {order}, q.quote_id LIMIT {P} OFFSET {P}) "
            f"ORDER BY {order}, q.quote_id"
        )
        final = [query, *values, limit, offset]
        if sort == "rank":
            final.append(query)
        return self._rows(sql, final, [*QUOTE_COLUMNS, "snippet"])

    def _match(self, query: str, speaker_ids: list[str] | None) -> tuple[str, str, list[Any]]:
        if speaker_ids is None:
            return "", "q.tsv @@ to_tsquery('english', {p})", [tsquery(query)]
        return (
            "",
            "q.tsv @@ to_tsquery('english', {p}) AND q.speaker_id = ANY({p})",
            [tsquery(query), speaker_ids],
        )

    def _search_articles(self, query: str, columns: Sequence[str], limit: int, offset: int) -> list[Row]:
        query = tsquery(query)
        sql = (
            "SELECT " + ", ".join(f"a.{c}" for c in columns) + " FROM articles a "
            "WHERE a.tsv @@ to_tsquery('english', {p}) "
            "ORDER BY ts_rank(a.tsv, to_tsquery('english', {p})) DESC, a.article_id LIMIT {p} OFFSET {p}"
        )
        return self._rows(sql, (query, query, limit, offset), columns)

    def _text_query(self, query: str) -> str:
        return tsquery(query)

    def close(self) -> None:
        self.conn.close()


def _redact(url: str) -> str:
    """``url`` without its password."""
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", url)
