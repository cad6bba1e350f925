"""Plain records passed between the corpus stages before the store: ``sources`` reads inputs into
``Item`` records (or a ``Failure``), which ``ingest`` extracts. The records the store keeps
(``NameRecord``, ``QuoteRecord``, ``Correction``, ``Provenance``...) are in
``onrecord.store.records``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ItemKind = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class Item:
    """One article-to-be, read from an input but not yet extracted.

    ``key`` names the record stably across runs: the file path for a text or HTML file,
    ``PATH#LINE`` for a JSONL line (1-based), ``PATH#OFFSET`` for a WARC record (the byte offset
    of the record in the file, compressed offset for .warc.gz). ``raw`` is the decoded text or
    HTML; ``kind`` says which. Metadata given by the input (JSONL fields, WARC headers) rides along.
    """

    key: str
    raw: str
    kind: ItemKind
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An input record that could not become an Item; ``reason`` is a coded message (E0xx)."""

    key: str
    reason: str
