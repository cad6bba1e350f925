"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_fixtures import postgres_target, sqlite_target


@pytest.fixture(params=["sqlite", "postgres"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store target of each backend: a SQLite path, then a PostgreSQL URL (a schema of its own)."""
    if request.param == "sqlite":
        yield sqlite_target(tmp_path)
    else:
        yield from postgres_target()
