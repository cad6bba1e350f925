"""The corpus store: articles, quotations, speakers and provenance in a database.

One small typed interface, ``Store``, with two backends behind it: SQLite (the default: one file,
WAL, FTS5 full-text search) and PostgreSQL (``postgresql://...``: tsvector + GIN, for several
users at once). Both run the same contract tests (``tests/test_store.py``).

``open_store(target)`` picks the backend from the target: a ``postgresql://`` or
``postgres://`` URL opens PostgreSQL, anything else is a SQLite file path (``:memory:`` too).
The schema is created or upgraded on open by plain migration functions
(``onrecord.store.migrations``).
"""

from __future__ import annotations

from onrecord.store.base import (
    ARTICLE_COLUMNS,
    QUOTE_COLUMNS,
    SPEAKER_COLUMNS,
    TABLES,
    QueryError,
    SearchFilters,
    SqlStore,
    Store,
)


def open_store(target: str, *, create: bool = True) -> SqlStore:
    """The store at ``target``: a PostgreSQL URL or a SQLite path, created when missing unless
    ``create`` is False (then a missing file is E052: a typo in a path is not an empty corpus)."""
    if target.startswith(("postgresql://", "postgres://")):
        from onrecord.store.postgres import PostgresStore

        return PostgresStore(target)
    from pathlib import Path

    from onrecord.errors import Errors
    from onrecord.store.sqlite import SQLiteStore

    if not create and target != ":memory:" and not Path(target).exists():
        reason = "no such file (onrecord ingest DB INPUT... creates one)"
        raise QueryError(Errors.E052.format(target=target, reason=reason))
    return SQLiteStore(target)


__all__ = [
    "ARTICLE_COLUMNS",
    "QUOTE_COLUMNS",
    "SPEAKER_COLUMNS",
    "TABLES",
    "QueryError",
    "SearchFilters",
    "SqlStore",
    "Store",
    "open_store",
]
