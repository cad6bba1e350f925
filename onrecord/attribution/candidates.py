"""The record the attribution stage hands to the resolution stage."""

from __future__ import annotations

from dataclasses import dataclass

from onrecord.model import QuoteType

CharSpan = tuple[int, int]


@dataclass(slots=True)
class Candidate:
    """One attribution found in a Doc, before speakers are resolved.

    Offsets are character offsets into ``doc.text``. ``cue_token`` and ``source_token`` are
    token indices (the cue verb; the head of the source phrase) for the resolver to start
    from. ``continues`` points to the candidate whose speaker this one keeps (a quotation
    paragraph with no cue of its own).
    """

    content: list[CharSpan]
    cue: CharSpan | None = None
    source: CharSpan | None = None
    cue_token: int | None = None
    source_token: int | None = None
    rule: str = ""
    confidence: float = 0.5
    continues: int | None = None
    quoted_chars: int = 0
    medium: CharSpan | None = None
    addressee: CharSpan | None = None
    medium_prep: int | None = None  # token of a medium phrase moved out of the content

    @property
    def start(self) -> int:
        return min(s for s, _ in self.content)

    @property
    def end(self) -> int:
        return max(e for _, e in self.content)


#: Share of the content (non-space characters) inside quotation marks that makes it direct.
DIRECT_SHARE = 0.8


def quote_type(candidate: Candidate, text: str) -> QuoteType:
    """``direct`` when most of the content is inside quotation marks, ``mixed`` when some is,
    ``indirect`` otherwise."""
    chars = sum(len("".join(text[s:e].split())) for s, e in candidate.content)  # non-space characters
    if not chars or not candidate.quoted_chars:
        return "indirect"
    return "direct" if candidate.quoted_chars / chars >= DIRECT_SHARE else "mixed"
