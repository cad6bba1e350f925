"""What the relations stage finds (``FoundRelation``, ``FoundStance``, entity indices), the
words its finders look at, and small helpers on the parse."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from onrecord.lexicon import (
    FIRST_PERSON,
    FIRST_PERSON_POSSESSIVES,
)
from onrecord.model import Predicate, Side
from onrecord.relate.lexicon import (
    ADVICE_VERBS,
    LABELLING,
    MISCONDUCT,
    PHRASAL,
    STANCE_PREPOSITIONS,
    STANCE_VERBS,
    VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token


CharSpan = tuple[int, int]
FIRST_PERSON_FORMS = FIRST_PERSON | FIRST_PERSON_POSSESSIVES

RECEIVING = frozenset({"receive", "draw", "attract", "get", "earn", "win", "face"})
# "reduced their support for X", "withdrew its backing": the praise or support is taken back
WITHDRAWING = frozenset(
    {"reduce", "eliminate", "withdraw", "pull", "end", "cut", "drop", "lose", "rescind", "revoke", "suspend"}
)
NAMED_KINDS = frozenset({"person", "organization", "group"})


# every verb a finder below looks at (the noun-object phrases, "heaped praise on", are checked apart)
CUE_LEMMAS = frozenset(
    {
        *VERBS,
        *(verb for verb, _ in PHRASAL),
        *LABELLING,
        *ADVICE_VERBS,
        *(verb for verb, _ in MISCONDUCT),
        *STANCE_VERBS,
        *(verb for verb, _ in STANCE_PREPOSITIONS),
    }
)


@dataclass(slots=True)
class FoundRelation:
    subject: int
    predicate: Predicate
    object: int
    cue: CharSpan
    evidence: CharSpan
    confidence: float


@dataclass(slots=True)
class FoundStance:
    holder: int
    side: Side
    target: CharSpan
    cue: CharSpan
    evidence: CharSpan
    confidence: float
    quote: int | None


@lru_cache(maxsize=1)
def vader() -> Any:
    # VADER loads its lexicon on import: only when a polarity is asked
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def polarity(text: str) -> float:
    """VADER's compound score of a short phrase, -1 (hostile) .. 1 (warm)."""
    return float(vader().polarity_scores(text)["compound"])


def token_span(token: Token) -> CharSpan:
    return token.idx, token.idx + len(token.text)


def subtree_span(token: Token) -> CharSpan:
    right = token.right_edge
    return token.left_edge.idx, right.idx + len(right.text)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def conjuncts(token: Token) -> list[Token]:
    found = [token]
    for child in token.children:
        if child.dep_ == "conj":
            found.extend(conjuncts(child))
    return found
