"""The records the store takes and gives back, beside ``onrecord.model``'s ``Article``.

Identity (``onrecord.corpus.identity``) reads ``NameRecord`` and ``Correction`` from the store and
gives back a ``SpeakerRecord`` per speaker; provenance (``onrecord.corpus.provenance``) reads
``QuoteRecord`` and gives back a ``Provenance``. The store only keeps them: what they mean is
decided in ``onrecord.corpus``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

#: One row of a question's answer, by column name.
Row = dict[str, Any]
#: The orders of a quotation search: best match first, oldest first, newest first.
Sort = Literal["rank", "date", "-date"]
#: A speaker's role: (first date, last date, count).
Role = tuple[str | None, str | None, int]
#: The genders the store records of a person speaker.
GENDERS = ("female", "male", "unknown")


@dataclass(frozen=True, slots=True)
class ItemState:
    """What became of one input record: the article it made, ``ok``/``skipped``/``failed``, and
    the extractor that made it."""

    article_id: str | None
    status: str
    extractor: str | None


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Filters of a quotation search; ``None`` means no filter. Dates are ISO ``YYYY-MM-DD``
    prefixes compared with the article's ``published`` (``until`` includes that day)."""

    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    type: str | None = None
    min_confidence: float | None = None


#: No filter at all (the default of every search).
NO_FILTERS = SearchFilters()


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
class SpeakerRecord:
    """One corpus speaker as the store keeps it: its display ``name`` and ``kind``, the names its
    records give with their counts (``aliases``), and its ``roles`` (first date, last date,
    count). The store counts its quotations and articles itself."""

    speaker_id: str
    name: str
    kind: str
    aliases: Mapping[str, int] = field(default_factory=dict)
    roles: Mapping[str, Role] = field(default_factory=dict)


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
