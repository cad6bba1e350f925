"""One colour per speaker, the same across the articles of one run or page."""

from __future__ import annotations

from onrecord.model import Article, Quote

# Light backgrounds on which black text stays readable (displaCy's entity colours, mostly).
PALETTE = (
    "#7aecec",
    "#feca74",
    "#bfeeb7",
    "#ff9561",
    "#aa9cfc",
    "#ffeb80",
    "#ff8197",
    "#9cc9cc",
    "#c887fb",
    "#e4e7d2",
    "#bfe1d9",
    "#f0d0ff",
)
UNATTRIBUTED = "#dddddd"
DEFAULT_TITLE = "onrecord: quotations"

# Kinds whose names identify them across articles; other speakers ("a spokesperson",
# "officials") are told apart per article only.
NAMED_KINDS = ("person", "organization")


class SpeakerColours:
    """Hands out palette colours to speakers in order of first appearance; the same speaker gets the
    same colour for as long as the object lives (one page, one CLI run)."""

    def __init__(self, palette: tuple[str, ...] = PALETTE) -> None:
        self.palette = palette
        self._assigned: dict[tuple[str, ...], str] = {}

    def colour(self, article: Article, quote: Quote, *, article_number: int = 0) -> str:
        """The colour of the speaker of ``quote`` (``UNATTRIBUTED`` when there is none)."""
        key = speaker_key(article, quote, article_number=article_number)
        if key is None:
            return UNATTRIBUTED
        if key not in self._assigned:
            self._assigned[key] = self.palette[len(self._assigned) % len(self.palette)]
        return self._assigned[key]


def speaker_key(article: Article, quote: Quote, *, article_number: int = 0) -> tuple[str, ...] | None:
    """What identifies the speaker of ``quote`` within one page: the name for people and
    organisations, the entity id within the article for everyone else; None when unattributed."""
    speaker = quote.speaker
    if speaker is None:
        return None
    entity = article.entity(speaker.entity)
    if entity is not None and entity.kind in NAMED_KINDS:
        return ("name", entity.name.casefold())
    return ("local", str(article_number), speaker.entity)
