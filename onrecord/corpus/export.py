"""Export a store table as JSONL, CSV or Parquet, streamed in batches (a corpus may not fit in memory).

Parquet files have an explicit schema (strings, integers, doubles; lists of strings for a
speaker's aliases and roles), so pandas, DuckDB and Spark read the same types from every export.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import IO, Any

from onrecord.store.columns import (
    ARTICLE_COLUMNS,
    ENTITY_COLUMNS,
    FAILURE_COLUMNS,
    QUOTE_COLUMNS,
    RELATION_COLUMNS,
    SPEAKER_COLUMNS,
    STANCE_COLUMNS,
)
from onrecord.store.protocol import Store

BATCH = 50_000

_INTS = {
    "position",
    "content_start",
    "content_end",
    "quote_count",
    "article_count",
    "mention_count",
    "evidence_start",
    "evidence_end",
}
_FLOATS = {"confidence"}
_LISTS = {"aliases", "roles", "descriptions"}

COLUMNS = {
    "quotes": QUOTE_COLUMNS,
    "articles": ARTICLE_COLUMNS,
    "speakers": SPEAKER_COLUMNS,
    "entities": ENTITY_COLUMNS,
    "failures": FAILURE_COLUMNS,
    "relations": RELATION_COLUMNS,
    "stances": STANCE_COLUMNS,
}


def parquet_schema(table: str) -> Any:
    import pyarrow as pa  # pyarrow, only for parquet output

    def kind(column: str) -> Any:
        if column in _INTS:
            return pa.int64()
        if column in _FLOATS:
            return pa.float64()
        if column in _LISTS:
            return pa.list_(pa.string())
        return pa.string()

    return pa.schema([(column, kind(column)) for column in COLUMNS[table]])


@contextmanager
def _text_output(path: str) -> Iterator[IO[str]]:
    if path == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    with open(path, "w", encoding="utf-8", newline="") as stream:
        yield stream


def write_export(store: Store, table: str, output_format: str, path: str) -> int:
    """Write ``table`` of ``store`` to ``path`` (``-``: standard output, not for parquet); the
    number of rows written."""
    rows = store.export_rows(table)
    columns = COLUMNS[table]
    count = 0
    if output_format == "parquet":
        # pyarrow, only for parquet output
        import pyarrow as pa
        import pyarrow.parquet as pq  # pyarrow, only for parquet output

        schema = parquet_schema(table)
        with pq.ParquetWriter(path, schema) as writer:
            while batch := list(islice(rows, BATCH)):
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
            if count == 0:
                writer.write_table(schema.empty_table())
        return count
    with _text_output(path) as stream:
        if output_format == "jsonl":
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
                count += 1
        else:
            writer_csv = csv.writer(stream, lineterminator="\n")
            writer_csv.writerow(columns)
            for row in rows:
                writer_csv.writerow([_cell(row.get(c)) for c in columns])
                count += 1
    return count


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value
