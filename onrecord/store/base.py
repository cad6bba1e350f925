"""``SqlStore``: the store both backends share, made of its parts. ``SqlWrites`` writes articles,
input records and corrections; ``SqlConsolidation`` reads and writes the rows of speaker identity
and quote provenance; ``SqlQueries`` and ``SqlReports`` answer the questions. Every statement is
parameterised, and written once for both backends (``onrecord.store.sql``).
"""

from __future__ import annotations

from typing import Self

from onrecord.store.consolidation import SqlConsolidation
from onrecord.store.reports import SqlReports
from onrecord.store.writes import SqlWrites


class SqlStore(SqlWrites, SqlConsolidation, SqlReports):
    """The SQL shared by the backends. Subclasses connect and supply the dialect hooks."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
