"""Pure scoring functions: counts, P/R/F1, token sets, one-to-one matching, name and text matching.

Nothing here reads files or runs a model, so every function is specified by small tables in
``tests/test_evaluate.py``.

Tokens are found by one regex, ``\\w+|[^\\w\\s]``: runs of word characters, and each other
non-space character on its own (so a colon cue is one token). Offset-based scores (PolNeAR)
use the token *positions* of the article text; string-based scores (seed, medium, addressee)
use the casefolded *word* tokens of the two strings.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from onrecord.lexicon import MATCH_HONORIFICS
from onrecord.resolve.names import repaired

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
WORD_RE = re.compile(r"\w+")
PAREN_RE = re.compile(r"\([^)]*\)")


Offsets = tuple[int, int]
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Score:
    """Counts behind a precision/recall pair.

    ``precision = correct_pred / pred`` and ``recall = correct_gold / gold``: the two numerators
    differ when one prediction can cover several gold items (token overlap, one-to-one matching
    keeps them equal). An empty denominator gives 0.0, never a division error.
    """

    correct_pred: int = 0
    pred: int = 0
    correct_gold: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.correct_pred / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.correct_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.correct_pred + other.correct_pred,
            self.pred + other.pred,
            self.correct_gold + other.correct_gold,
            self.gold + other.gold,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "correct_pred": self.correct_pred,
            "pred": self.pred,
            "correct_gold": self.correct_gold,
            "gold": self.gold,
        }


@dataclass(frozen=True, slots=True)
class Ratio:
    """``hits / total``; 0.0 when there is nothing to count."""

    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.hits + other.hits, self.total + other.total)

    def to_dict(self) -> dict[str, Any]:
        return {"value": round(self.value, 4), "hits": self.hits, "total": self.total}


# -- sets of spans and tokens ------------------------------------------------------------------


def strip_offsets(text: str, start: int, end: int) -> Offsets:
    """The offsets of ``text[start:end]`` without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def span_key(text: str, pieces: Iterable[Offsets]) -> frozenset[Offsets]:
    """An exact-match key for a (possibly discontinuous) span: its stripped, non-empty pieces."""
    stripped = (strip_offsets(text, start, end) for start, end in pieces)
    return frozenset(p for p in stripped if p[0] < p[1])


def exact_match(pred: Iterable[K], gold: Iterable[K]) -> Score:
    """Set-based exact match: a predicted key is right when the gold set holds it."""
    pred_set, gold_set = set(pred), set(gold)
    hits = len(pred_set & gold_set)
    return Score(hits, len(pred_set), hits, len(gold_set))


def token_offsets(text: str) -> list[Offsets]:
    """Offsets of every token of ``text`` (see the module docstring)."""
    return [m.span() for m in TOKEN_RE.finditer(text)]


class TokenIndex:
    """The tokens of one text, to map character spans to token positions."""

    def __init__(self, text: str) -> None:
        self.offsets = token_offsets(text)
        self._starts = [s for s, _ in self.offsets]
        self._ends = [e for _, e in self.offsets]

    def __len__(self) -> int:
        return len(self.offsets)

    def positions(self, pieces: Iterable[Offsets]) -> set[int]:
        """Positions of the tokens that overlap any of the character spans (by at least one char)."""
        found: set[int] = set()
        for start, end in pieces:
            if start >= end:
                continue
            first = bisect.bisect_right(self._ends, start)
            last = bisect.bisect_left(self._starts, end)
            found.update(range(first, last))
        return found


def token_overlap(pred: set[int], gold: set[int]) -> Score:
    """Token-level overlap: predicted tokens inside gold, and gold tokens inside predictions."""
    hits = len(pred & gold)
    return Score(hits, len(pred), hits, len(gold))


def jaccard(a: set[T], b: set[T]) -> float:
    """``|a & b| / |a | b|``; two empty sets score 0.0 (nothing to match)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def overlap_coefficient(a: set[T], b: set[T]) -> float:
    """``|a & b| / min(|a|, |b|)``: 1.0 when one set contains the other; 0.0 when either is empty."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def greedy_match(
    preds: Sequence[T],
    golds: Sequence[T],
    similarity: Callable[[T, T], float],
    threshold: float = 0.5,
) -> list[tuple[int, int, float]]:
    """One-to-one matching, best pair first: ``(pred index, gold index, similarity)`` triples.

    Pairs under ``threshold`` never match; ties go to the earlier prediction, then earlier gold.
    """
    pairs: list[tuple[float, int, int]] = []
    for i, pred in enumerate(preds):
        for j, gold in enumerate(golds):
            score = similarity(pred, gold)
            if score >= threshold:
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_pred: set[int] = set()
    used_gold: set[int] = set()
    matches: list[tuple[int, int, float]] = []
    for score, i, j in pairs:
        if i in used_pred or j in used_gold:
            continue
        used_pred.add(i)
        used_gold.add(j)
        matches.append((i, j, score))
    return sorted(matches)


# -- strings ------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Casefolded word tokens, accents removed (``"Élysée"`` -> ``["elysee"]``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return WORD_RE.findall(plain.replace("’", "'").replace("'", ""))


def word_jaccard(a: str, b: str) -> float:
    return jaccard(set(words(a)), set(words(b)))


def name_tokens(name: str) -> list[str]:
    """A name's words without titles, honorifics, brackets and a leading "the".

    ``"Sen. Ted Cruz (R-TX)"`` -> ted, cruz; ``"the Sierra Club"`` -> sierra, club.
    """
    # "PeÃ±a" is "Peña", in a gold file as in a prediction
    found = [w for w in words(PAREN_RE.sub(" ", repaired(name))) if w not in MATCH_HONORIFICS]
    return found[1:] if found[:1] == ["the"] else found


def names_match(pred: str | None, gold: str | None) -> bool:
    """True when two person/organisation names denote the same name.

    Equal after casefolding and dropping punctuation, honorifics and a leading "the" ("Mr. Pence"
    ~ "pence", "the Sierra Club" ~ "Sierra Club"); or
    one has two or more words and the other is the same name with middle names or initials
    added ("Donald J. Trump" ~ "Donald Trump"). A surname alone never equals a full name.
    """
    if not pred or not gold:
        return False
    a, b = name_tokens(pred), name_tokens(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(short) < 2 or len(short) == len(long):
        return False
    if short[0] != long[0] or short[-1] != long[-1]:
        return False
    return _is_subsequence(short, long)


def _is_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    rest = iter(long)
    return all(any(w == x for x in rest) for w in short)


def _contains(long: Sequence[str], short: Sequence[str]) -> bool:
    n = len(short)
    return n > 0 and any(list(long[i : i + n]) == list(short) for i in range(len(long) - n + 1))


def texts_match(pred: str | None, gold: str | None) -> bool:
    """Medium/addressee agreement: word Jaccard >= 0.5, or one's words run inside the other's."""
    if not pred or not gold:
        return False
    a, b = words(pred), words(gold)
    if not a or not b:
        return False
    return jaccard(set(a), set(b)) >= 0.5 or _contains(a, b) or _contains(b, a)


def optional_match(pred: str | None, gold: str | None, match: Callable[[str, str], bool]) -> Score:
    """Score one optional field (medium, addressee) of one matched relation.

    A prediction where gold is null counts against precision only; gold where nothing is
    predicted counts against recall only; a wrong prediction counts against both.
    """
    right = bool(pred and gold and match(pred, gold))
    return Score(int(right), int(bool(pred)), int(right), int(bool(gold)))
