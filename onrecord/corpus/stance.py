"""Stance on a topic over a corpus: who is for, who against, who speaks of it without a side.

A topic ("national inquiry into grooming gangs", "Clinton email") is read as a **head** (the
noun before the first preposition: "inquiry", "email"), its close variants (``SYNONYMS``: an
inquiry is also a probe or an investigation; the stores' stemmers add plurals), and **context**
words (every other word), which the article must contain. A stored stance matches when its
target names the head or a variant in an article with the context; its side is the one the
extractor gave it ("called for" for, "don't need more" against). Speakers whose quotations name
the head in such an article, with no side found, are *unclear*.

``stance(store, topic)`` asks the store for the stored stances and the quotations that match,
and ``sides`` puts their speakers on a side.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from onrecord.errors import Errors, QueryError
from onrecord.store.protocol import Store

FUNCTION_WORDS = frozenset(
    "a an the of into on about for in to with over and or by from at as its their his her this that "
    "these those new".split()
)
PREPOSITIONS = frozenset("of into on about for in to with over by from at as against".split())

# the topic words' close variants, as a reader would accept them
SYNONYMS: dict[str, tuple[str, ...]] = {
    "inquiry": (
        "inquiry",
        "inquiries",
        "enquiry",
        "enquiries",
        "probe",
        "probes",
        "investigation",
        "investigations",
        "inquest",
        "review",
    ),
    "probe": ("inquiry", "inquiries", "enquiry", "probe", "probes", "investigation", "investigations"),
    "investigation": ("inquiry", "inquiries", "probe", "probes", "investigation", "investigations"),
    "email": ("email", "emails", "e-mail", "e-mails", "server"),
    "emails": ("email", "emails", "e-mail", "e-mails", "server"),
    "tax": ("tax", "taxes", "taxation"),
    "wall": ("wall", "barrier", "fence"),
}


@dataclass(frozen=True, slots=True)
class Topic:
    text: str
    head: str
    variants: tuple[str, ...]
    context: tuple[str, ...]

    def variants_query(self) -> str:
        """The full-text query for the head or a variant (the stores' OR syntax)."""
        return " OR ".join(f'"{v}"' for v in self.variants)

    def context_query(self) -> str:
        return " ".join(f'"{w}"' for w in self.context)


def parse_topic(text: str) -> Topic:
    """The head, variants and context words of a topic (see the module docstring)."""
    words = re.findall(r"[^\W_]+(?:[-'][^\W_]+)*", text.lower())
    content = [w for w in words if w not in FUNCTION_WORDS]
    if not content:
        raise QueryError(Errors.E056.format(topic=text))
    before: list[str] = []
    for word in words:
        if word in PREPOSITIONS and before:
            break
        if word not in FUNCTION_WORDS:
            before.append(word)
    head = (before or content)[-1]
    variants = tuple(dict.fromkeys((head, *SYNONYMS.get(head, ()))))
    context = tuple(dict.fromkeys(w for w in content if w != head and len(w) > 1))
    return Topic(text.strip(), head, variants, context)


@dataclass(slots=True)
class Holder:
    """One speaker's statements on one side."""

    speaker_id: str | None
    name: str
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker_id": self.speaker_id,
            "name": self.name,
            "count": len(self.evidence),
            "evidence": self.evidence,
        }


def stance(store: Store, topic: str, *, limit: int = 2000) -> dict[str, Any]:
    """Speakers for, against and unclear on ``topic`` in ``store``, with their statements
    (``sides``), and how many stored articles of the older schema were never read for stances
    (``articles_without_relations``)."""
    parsed = parse_topic(topic)
    stances = store.stance_matches(parsed.variants_query(), parsed.context_query(), limit=limit)
    quotes = store.search(parsed.variants_query(), limit=limit)
    if parsed.context:
        allowed = set(store.article_ids(parsed.context_query()))
        quotes = [q for q in quotes if q["article_id"] in allowed]
    answer = sides(parsed, stances, quotes)
    answer["articles_without_relations"] = store.articles_without_relations()
    return answer


def sides(
    topic: Topic, stances: Iterable[dict[str, Any]], quotes: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The answer to ``onrecord stance``: speakers for, against and unclear, each with the
    statements that show it (strongest first), and the count of each side by month."""
    found: dict[str, dict[str, Holder]] = {"for": {}, "against": {}, "unclear": {}}
    timeline: dict[str, dict[str, int]] = {"for": {}, "against": {}}
    placed: set[tuple[str, str]] = set()
    for row in stances:
        key = row["speaker_id"] or f"{row['article_id']}:{row['holder_entity']}"
        side = found[row["stance"]].setdefault(key, Holder(row["speaker_id"], row["name"]))
        side.evidence.append(
            {
                "article_id": row["article_id"],
                "quote_id": row["quote_id"],
                "evidence": row["evidence_text"],
                "target": row["target_text"],
                "cue": row["cue_text"],
                "confidence": row["confidence"],
                "published": row["published"],
                "outlet": row["outlet"],
                "title": row["title"],
            }
        )
        placed.add((row["article_id"], key))
        month = (row["published"] or "")[:7] or "undated"
        timeline[row["stance"]][month] = timeline[row["stance"]].get(month, 0) + 1
    for row in quotes:
        key = row["speaker_id"] or (
            f"{row['article_id']}:{row['speaker_name']}" if row["speaker_name"] else ""
        )
        if not key or (row["article_id"], key) in placed or key in found["for"] or key in found["against"]:
            continue
        side = found["unclear"].setdefault(key, Holder(row["speaker_id"], row["speaker_name"]))
        side.evidence.append(
            {
                "article_id": row["article_id"],
                "quote_id": row["quote_id"],
                "evidence": row["content_text"],
                "target": None,
                "cue": row["cue_text"],
                "confidence": row["confidence"],
                "published": row["published"],
                "outlet": row["outlet"],
                "title": row["title"],
            }
        )

    def ranked(group: dict[str, Holder]) -> list[dict[str, Any]]:
        for side in group.values():
            side.evidence.sort(key=lambda e: (-(e["confidence"] or 0), e["article_id"], e["evidence"]))
        return [s.to_dict() for s in sorted(group.values(), key=lambda s: (-len(s.evidence), s.name))]

    return {
        "topic": topic.text,
        "head": topic.head,
        "variants": list(topic.variants),
        "context": list(topic.context),
        "for": ranked(found["for"]),
        "against": ranked(found["against"]),
        "unclear": ranked(found["unclear"]),
        "timeline": {side: dict(sorted(months.items())) for side, months in timeline.items()},
    }
