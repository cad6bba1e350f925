"""Plain records passed between the corpus stages (sources -> ingest -> store -> identity/provenance)."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class NameRecord:
    """One entity of one stored article, as speaker identity sees it.

    ``name`` is the entity's name as resolved inside its article (the full name where the article
    gives it); ``quotes`` counts the article's quotations attributed to it.
    """

    article_id: str
    entity_id: str
    name: str
    kind: str
    descriptions: tuple[str, ...] = ()
    published: str | None = None
    outlet: str | None = None
    quotes: int = 0


@dataclass(frozen=True, slots=True)
class Correction:
    """A human correction to speaker identity, kept in the store and applied after clustering.

    ``merge``: speaker ``a`` becomes part of speaker ``b``. ``split``: the mentions of speaker
    ``a`` named exactly ``alias`` become a speaker of their own. ``gender``: speaker ``a`` is of
    gender ``b`` (``female``, ``male`` or ``unknown``) whatever its articles show; the latest
    such correction wins. ``author`` and ``created`` say who made it and when.
    """

    action: Literal["merge", "split", "gender"]
    a: str
    b: str | None = None
    alias: str | None = None
    author: str | None = None
    created: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """One stored quotation, as provenance sees it."""

    quote_id: str
    article_id: str
    text: str
    speaker_id: str | None = None
    published: str | None = None
    outlet: str | None = None
    type: str = "direct"  # direct, mixed or indirect: only quoted words can be misquoted


@dataclass(slots=True)
class Provenance:
    """Groups of the same quotation across articles.

    ``group_of`` maps every grouped quote id to its group id; ``first`` maps a group id to the
    quote id of its first appearance; ``variants`` maps a quote id to the words in which its
    wording differs from the first appearance (a possible misquote), for quotes of the same
    speaker whose wording is not identical.
    """

    group_of: dict[str, str] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)
    variants: dict[str, list[str]] = field(default_factory=dict)
