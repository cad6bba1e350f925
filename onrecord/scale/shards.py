"""Parquet shards of a batch run: ``articles``, ``quotes``, ``entities`` and ``failures``.

The schemas are those of ``onrecord export --format parquet`` (``onrecord.corpus.export``), so
one set of readers serves both. Corpus-wide columns (``speaker_id``, ``group_id``) are empty in a
batch: speaker identity and provenance run when the shards are loaded with ``onrecord ingest DB
--from-parquet DIR``.

The writer keeps one row per key (a retried task cannot write a row twice), sorts each table by
its key and writes ``DIR/TABLE/part-NNNNN.parquet`` shards of at most ``rows_per_shard`` rows:
the same input gives byte-identical shards whatever engine, worker count or timing made them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from onrecord.corpus.export import parquet_schema
from onrecord.model import Article

SHARD_TABLES = ("articles", "quotes", "entities", "failures")
ROWS_PER_SHARD = 50_000

# table -> the columns that make a row unique
KEYS = {
    "articles": ("article_id",),
    "quotes": ("quote_id",),
    "entities": ("article_id", "entity_id"),
    "failures": ("item_key",),
}

Row = dict[str, Any]


def article_rows(
    key: str, article_id: str, data: dict[str, Any], extractor: str
) -> Iterator[tuple[str, Row]]:
    """(table, row) for one extracted article: its article row, its quotations and entities."""
    article = Article.from_dict(data)
    stored = dict(data)
    text = stored.pop("text")
    yield (
        "articles",
        {
            "article_id": article_id,
            "item_key": key,
            "source_path": article.source_path,
            "url": article.url,
            "title": article.title,
            "published": article.published,
            "outlet": article.outlet,
            "author": article.author,
            "quote_count": len(article.quotes),
            "extractor": extractor,
            "text": text,
            "data": json.dumps(stored, ensure_ascii=False, sort_keys=True),
        },
    )
    for position, quote in enumerate(article.quotes):
        yield (
            "quotes",
            {
                "quote_id": f"{article_id}:{quote.id}",
                "article_id": article_id,
                "position": position,
                "source_path": article.source_path,
                "url": article.url,
                "title": article.title,
                "published": article.published,
                "outlet": article.outlet,
                "speaker_id": None,
                "speaker_name": quote.speaker.name if quote.speaker else None,
                "source_text": quote.source.text if quote.source else None,
                "type": quote.type,
                "content_text": quote.content_text,
                "content_start": quote.start,
                "content_end": quote.end,
                "cue_text": quote.cue.text if quote.cue else None,
                "medium_text": quote.medium.text if quote.medium else None,
                "addressee_text": quote.addressee.text if quote.addressee else None,
                "confidence": round(quote.confidence, 4),
                "group_id": None,
                "extractor": quote.extractor,
            },
        )
    for entity in article.entities:
        yield (
            "entities",
            {
                "article_id": article_id,
                "entity_id": entity.id,
                "name": entity.name,
                "kind": entity.kind,
                "descriptions": list(entity.descriptions),
                "mention_count": len(entity.mentions),
                "speaker_id": None,
            },
        )


def failure_row(key: str, reason: str) -> tuple[str, Row]:
    return "failures", {"item_key": key, "status": "failed", "reason": reason}


def skipped_row(key: str, holder: str) -> Row:
    """The failures-table row of an item whose article another item holds (the reason as ingest
    words it)."""
    return {"item_key": key, "status": "skipped", "reason": f"the same article as {holder}"}


def outcome_rows(
    key: str, article_id: str, data: dict[str, Any] | None, reason: str | None, extractor: str
) -> list[tuple[str, Row]]:
    """The rows of one item's outcome from ``extract_items``: its article, quotations and entities,
    or its failure. Built where the item was extracted, so that the process that collects the rows
    of a whole cluster only stores them."""
    if data is not None:
        return list(article_rows(key, article_id, data, extractor))
    return [failure_row(key, reason or "unknown failure")]


class ShardWriter:
    """Collects rows, one per key, and writes sorted shards on ``close``."""

    def __init__(self, out: str | Path, *, rows_per_shard: int = ROWS_PER_SHARD) -> None:
        self.out = Path(out)
        self.rows_per_shard = rows_per_shard
        self.rows: dict[str, dict[tuple[Any, ...], Row]] = {table: {} for table in SHARD_TABLES}
        self.done: set[str] = set()  # item keys with an article
        self.names: dict[str, set[str]] = {}  # article id -> the item keys that made it

    def add(self, rows: Iterable[tuple[str, Row]]) -> None:
        for table, row in rows:
            self.rows[table][tuple(row[k] for k in KEYS[table])] = row

    def add_outcome(self, key: str, rows: list[tuple[str, Row]]) -> None:
        """One item's rows from ``outcome_rows``. A success replaces an earlier failure of the same
        item (a retried task that got through); a failure never replaces a success. The same
        article from two items (the same text under two file names) is held by the key that
        sorts first, whatever order the workers finish in; the other is a ``skipped`` row."""
        article = next((row for table, row in rows if table == "articles"), None)
        if article is None:
            if key not in self.done:
                self.add(rows)
            return
        self.rows["failures"].pop((key,), None)
        self.done.add(key)
        names = self.names.setdefault(article["article_id"], set())
        names.add(key)
        holder = min(names)
        for other in names - {holder}:
            self.rows["failures"][(other,)] = skipped_row(other, holder)
        if holder == key:
            self.add(rows)

    def counts(self) -> dict[str, int]:
        """Rows per table; ``failures`` counts the failed records, ``skipped`` the others there."""
        counts = {table: len(rows) for table, rows in self.rows.items()}
        skipped = sum(row["status"] == "skipped" for row in self.rows["failures"].values())
        return {**counts, "failures": counts["failures"] - skipped, "skipped": skipped}

    def close(self) -> dict[str, int]:
        """Write every table's shards (an empty table gets one empty shard, so readers find its schema)."""
        # pyarrow, only when the shards are written
        import pyarrow as pa
        import pyarrow.parquet as pq  # pyarrow, only when the shards are written

        for table in SHARD_TABLES:
            folder = self.out / table
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("part-*.parquet"):
                old.unlink()
            schema = parquet_schema(table)
            ordered = [self.rows[table][k] for k in sorted(self.rows[table], key=_sort_key)]
            chunks = [
                ordered[i : i + self.rows_per_shard] for i in range(0, len(ordered), self.rows_per_shard)
            ]
            for number, chunk in enumerate(chunks or [[]]):
                pq.write_table(
                    pa.Table.from_pylist(chunk, schema=schema),
                    folder / f"part-{number:05d}.parquet",
                    compression="zstd",
                )
        return self.counts()


def _sort_key(key: tuple[Any, ...]) -> tuple[str, ...]:
    return tuple(str(part) for part in key)


def read_shards(folder: str | Path, table: str) -> Iterator[Row]:
    """The rows of one table of a shard folder, shard by shard."""
    import pyarrow.parquet as pq  # pyarrow, only when the shards are read

    for path in sorted((Path(folder) / table).glob("part-*.parquet")):
        yield from pq.read_table(path).to_pylist()
