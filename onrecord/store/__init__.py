"""The corpus store: articles, quotations, speakers and provenance in a database.

One typed interface, ``Store`` (``onrecord.store.protocol``), with two backends behind it:
SQLite (the default: one file, WAL, FTS5 full-text search) and PostgreSQL
(``postgresql://...``: tsvector + GIN, for several users at once). Both run the same contract
tests (``tests/test_store.py``). The store stores and answers questions; what its rows mean
(speaker identity, quote provenance, stance on a topic) is decided in ``onrecord.corpus``.

``open_store(target)`` picks the backend from the target: a ``postgresql://`` or
``postgres://`` URL opens PostgreSQL, anything else is a SQLite file path (``:memory:`` too).
The schema is created or upgraded on open by plain migration functions
(``onrecord.store.migrations``).

The parts: ``records`` (what the store takes and gives), ``protocol``, ``columns`` (what the
questions give back), ``search`` (reading a query), ``sql`` (running a statement written once for
both backends), ``writes``, ``consolidation``, ``queries`` and ``reports`` (the SQL, joined in
``base.SqlStore``), ``migrations``, and the backends ``sqlite`` and ``postgres``.
"""

from __future__ import annotations

from pathlib import Path

from onrecord.errors import Errors, QueryError
from onrecord.store.base import SqlStore
from onrecord.store.columns import ARTICLE_COLUMNS, DIVERSITY_COLUMNS, QUOTE_COLUMNS, SPEAKER_COLUMNS, TABLES
from onrecord.store.postgres import PostgresStore
from onrecord.store.protocol import Store
from onrecord.store.records import SearchFilters
from onrecord.store.sqlite import SQLiteStore


def open_store(target: str, *, create: bool = True) -> Store:
    """The store at ``target``: a PostgreSQL URL or a SQLite path, created when missing unless
    ``create`` is False (then a missing file is E052: a typo in a path is not an empty corpus)."""
    if target.startswith(("postgresql://", "postgres://")):
        return PostgresStore(target)
    if not create and target != ":memory:" and not Path(target).exists():
        reason = "no such file (onrecord ingest DB INPUT... creates one)"
        raise QueryError(Errors.E052.format(target=target, reason=reason))
    return SQLiteStore(target)


__all__ = [
    "ARTICLE_COLUMNS",
    "DIVERSITY_COLUMNS",
    "QUOTE_COLUMNS",
    "SPEAKER_COLUMNS",
    "TABLES",
    "SearchFilters",
    "SqlStore",
    "Store",
    "open_store",
]
