"""Stores for the contract suite: a SQLite file, and PostgreSQL when a server is given.

PostgreSQL runs when ``ONRECORD_TEST_POSTGRES`` holds a URL (``.ci/run`` starts a server on
loopback and sets it); each test gets a schema of its own, dropped afterwards. Without the
variable the PostgreSQL cases skip, unless ``ONRECORD_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from onrecord.model import Article, Entity, Quote, Span, Speaker

POSTGRES_URL = os.environ.get("ONRECORD_TEST_POSTGRES", "")
REQUIRE_POSTGRES = os.environ.get("ONRECORD_REQUIRE_POSTGRES") == "1"


def postgres_target() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped after the test."""
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("ONRECORD_REQUIRE_POSTGRES=1 but ONRECORD_TEST_POSTGRES is not set")
        pytest.skip("no PostgreSQL server (set ONRECORD_TEST_POSTGRES to a URL)")
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def sqlite_target(tmp_path: Path) -> str:
    return str(tmp_path / "corpus.db")


def make_article(
    sentences: list[tuple[str, str, str]],
    *,
    title: str = "A story",
    published: str | None = "2024-05-01",
    outlet: str | None = "The Daily Test",
    path: str = "story.txt",
    roles: dict[str, list[str]] | None = None,
) -> Article:
    """An article of quotations: each (speaker name, cue, content) becomes the sentence
    'NAME CUE "CONTENT".' with its spans, entity and quote."""
    text = ""
    entities: dict[str, Entity] = {}
    quotes: list[Quote] = []
    for name, cue, content in sentences:
        if text:
            text += "\n"
        start = len(text)
        text += f"{name} {cue} \u201c{content}\u201d"
        source = Span.of(text, start, start + len(name))
        cue_span = Span.of(text, source.end + 1, source.end + 1 + len(cue))
        content_span = Span.of(text, cue_span.end + 1, len(text))
        text += "."
        entity = entities.get(name)
        if entity is None:
            entity = Entity(f"e{len(entities) + 1}", name, "person", [], list((roles or {}).get(name, [])))
            entities[name] = entity
        entity.mentions.append(source)
        quotes.append(
            Quote(
                id=f"q{len(quotes) + 1}",
                type="direct",
                content=[content_span],
                cue=cue_span,
                source=source,
                speaker=Speaker(entity.id, entity.name),
                confidence=0.9,
                extractor="test",
            )
        )
    return Article(
        text=text,
        source_path=path,
        title=title,
        published=published,
        outlet=outlet,
        entities=list(entities.values()),
        quotes=quotes,
    )
