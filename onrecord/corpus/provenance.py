"""Quote provenance: the same quotation carried by several articles, and possible misquotes.

``group_quotes`` takes every stored quotation (``QuoteRecord``) and returns a ``Provenance``:

1. **Normalise.** The content text is NFKC-folded and casefolded; apostrophes and quote marks
   (straight or curly) are deleted and every other non-word character (punctuation, dashes,
   ellipses) separates words. Quotes of fewer than ``min_words`` words are left out: "we'll see"
   is said by everyone. Quotes with the same normalised words are one *text* from here on.
2. **Find candidates.** Each text becomes the set of its word bigrams (shingles). A datasketch
   ``MinHash`` of that set (``MinHash.generator``, 128 permutations, seed 1, sha1 hashing, so
   the same text always gets the same signature) is cut into ``BANDS`` bands of ``ROWS`` values,
   as ``MinHashLSH(params=(BANDS, ROWS))`` does; two texts sharing a band are candidates. The
   banding is done with numpy (one sort per band) instead of ``MinHashLSH`` itself: the same
   candidates (a test checks it), but ``MinHashLSH``'s dict-of-sets buckets cost ~150 us and
   ~10 kB per inserted text, too much for a million quotes. A candidate is found with
   probability 1 - (1 - J**3)**42 for Jaccard similarity J: 0.68 at 0.3, 0.94 at 0.4, 0.996 at
   0.5, but 0.04 at 0.1, so the unrelated pairs that share a few common bigrams rarely come up.
   Candidates whose MinHash estimate is far below what a match needs are dropped before step 3.
3. **Verify.** Two texts match when the smaller bigram set is at least ``MIN_RATIO`` (1/3) of
   the larger and at least ``threshold`` (0.7) of it lies in the larger (containment
   |A & B| / min(|A|, |B|)). Containment, not Jaccard, so that a truncated copy (the first
   half of a quote, a dropped leading "and") still matches in full. The length floor keeps a
   short, generic phrase from joining every long quote that happens to contain it, while still
   letting one sentence of a three-sentence quote join. At 0.7 one changed word (which removes
   two bigrams) is tolerated in quotes of 8 words or more, two in quotes of about 15.
4. **Group.** Matches are joined with union-find (transitively), then split by speaker: a group
   holds the same words from the same speaker (``speaker_id``; quotations with none are not
   grouped), so a poll's share and a candidate repeating a slogan are two groups, or none. A
   group must span at least two articles: quotes repeated inside one article only are not
   grouped, but a repetition inside an article joins the group of its cross-article twin.
5. **First appearance.** The earliest ``published`` (ISO date or datetime; a date alone counts
   as midnight, a datetime without a zone as UTC; missing or unreadable dates sort last), ties
   broken by quote id. The group id is ``"g_"`` + the first 12 hex digits of the sha1 of the
   first appearance's quote id, so it does not depend on the order of the input.
6. **Variants.** A member is compared with the first appearance when both quote words (direct
   or mixed: an indirect quotation is the reporter's paraphrase, which may differ without
   misquoting anyone) and they match each other directly (step 3). Their normalised words
   are aligned with ``difflib.SequenceMatcher``; edits at either end that only drop words are
   truncation and ignored; what remains is the variant, as a list of strings in text order:
   ``"terrible→horrible"`` (words of the first appearance -> words of this quote),
   ``"+words"`` (added here), ``"-words"`` (missing here). Words are in normalised form.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from onrecord.store.records import Provenance, QuoteRecord

QUOTED_WORDS = {"direct", "mixed"}
NUM_PERM = 128
SEED = 1
BANDS, ROWS = 42, 3
MIN_RATIO = 1 / 3
# Standard deviations of the MinHash estimate allowed below the Jaccard a match needs.
_SLACK = 4.0
_PAIR_CHUNK = 200_000
_CACHED_SETS = 100_000

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘‛ʼ′`´"), None)
_WORD = re.compile(r"[^\W_]+")

Signatures = npt.NDArray[np.uint32]
Pairs = npt.NDArray[np.int64]


def quote_words(text: str) -> list[str]:
    """The normalised words of a quotation: 'We’re “NOT” done—yet…' -> ['were', 'not', 'done', 'yet']."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_APOSTROPHES)
    return _WORD.findall(folded)


def shingles(words: Sequence[str]) -> set[str]:
    """The word bigrams of a normalised quotation."""
    return {f"{a} {b}" for a, b in itertools.pairwise(words)}


def matches(a: set[str], b: set[str], threshold: float) -> bool:
    """Whether two shingle sets are one quotation: length ratio floor, then containment."""
    small, large = sorted((len(a), len(b)))
    if small == 0 or small < MIN_RATIO * large:
        return False
    return len(a & b) >= threshold * small


def word_diff(first: Sequence[str], other: Sequence[str]) -> list[str]:
    """How ``other`` differs from ``first`` in wording, ignoring truncation at either end.

    Empty when the words are the same, when one is a contiguous part of the other, or when they
    overlap end to start; otherwise one string per edit: ``"was→now"``, ``"+added"``, ``"-dropped"``.
    """
    opcodes = difflib.SequenceMatcher(None, first, other, autojunk=False).get_opcodes()
    while opcodes and opcodes[0][0] in ("insert", "delete"):
        opcodes.pop(0)
    while opcodes and opcodes[-1][0] in ("insert", "delete"):
        opcodes.pop()
    edits: list[str] = []
    for tag, i1, i2, j1, j2 in opcodes:
        was, now = " ".join(first[i1:i2]), " ".join(other[j1:j2])
        if tag == "replace":
            edits.append(f"{was}→{now}")
        elif tag == "insert":
            edits.append(f"+{now}")
        elif tag == "delete":
            edits.append(f"-{was}")
    return edits


def group_quotes(quotes: Sequence[QuoteRecord], *, threshold: float = 0.7, min_words: int = 6) -> Provenance:
    """Group the quotations carried by several articles, with first appearances and variants.

    ``threshold`` is the share of the shorter quote's word bigrams that must occur in the longer
    one; ``min_words`` the fewest normalised words a quote needs to be grouped at all. See the
    module docstring for the whole cascade.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if min_words < 2:
        raise ValueError(f"min_words must be at least 2, got {min_words}")
    if len({quote.quote_id for quote in quotes}) != len(quotes):
        raise ValueError("quote ids must be unique")

    text_index: dict[str, int] = {}
    text_of = [-1] * len(quotes)
    for index, quote in enumerate(quotes):
        words = quote_words(quote.text)
        if len(words) >= min_words:
            text_of[index] = text_index.setdefault(" ".join(words), len(text_index))
    texts = list(text_index)
    del text_index

    @functools.lru_cache(maxsize=_CACHED_SETS)
    def shingles_of(row: int) -> set[str]:
        return shingles(texts[row].split())

    parent = _join_matches(texts, threshold, shingles_of)
    by_root: dict[tuple[int, str], list[int]] = {}
    for index, row in enumerate(text_of):
        speaker = quotes[index].speaker_id
        if row >= 0 and speaker is not None:
            by_root.setdefault((_find(parent, row), speaker), []).append(index)

    provenance = Provenance()
    for members in by_root.values():
        if len({quotes[index].article_id for index in members}) < 2:
            continue
        first = min(members, key=lambda index: _appearance(quotes[index]))
        group_id = "g_" + hashlib.sha1(quotes[first].quote_id.encode()).hexdigest()[:12]
        provenance.first[group_id] = quotes[first].quote_id
        for index in members:
            provenance.group_of[quotes[index].quote_id] = group_id
            a, b = text_of[first], text_of[index]
            if a == b or not {quotes[first].type, quotes[index].type} <= QUOTED_WORDS:
                continue
            if matches(shingles_of(a), shingles_of(b), threshold):
                edits = word_diff(texts[a].split(), texts[b].split())
                if edits:
                    provenance.variants[quotes[index].quote_id] = edits
    return provenance


def _join_matches(
    texts: Sequence[str], threshold: float, shingles_of: Callable[[int], set[str]]
) -> list[int]:
    """Union-find parents over the texts, joined wherever a candidate pair matches."""
    sizes = np.fromiter((len(shingles(text.split())) for text in texts), np.int64, len(texts))
    parent = list(range(len(texts)))
    for a, b in candidate_pairs(minhash_signatures(texts), sizes, threshold).tolist():
        root_a, root_b = _find(parent, a), _find(parent, b)
        if root_a != root_b and matches(shingles_of(a), shingles_of(b), threshold):
            parent[max(root_a, root_b)] = min(root_a, root_b)
    return parent


def minhash_signatures(texts: Sequence[str]) -> Signatures:
    """One row of MinHash values per normalised text (words joined by spaces), over its bigrams."""
    rows = np.empty((len(texts), NUM_PERM), dtype=np.uint32)
    batches = ([shingle.encode() for shingle in shingles(text.split())] for text in texts)
    for row, minhash in enumerate(MinHash.generator(batches, num_perm=NUM_PERM, seed=SEED)):
        rows[row] = minhash.hashvalues
    return rows


def candidate_pairs(signatures: Signatures, sizes: npt.NDArray[np.int64], threshold: float) -> Pairs:
    """Sorted unique (a, b) rows, a < b, of texts that share a band and may match.

    Pairs whose length ratio is under ``MIN_RATIO``, or whose estimated Jaccard similarity is
    more than ``_SLACK`` standard deviations below the least that ``threshold`` containment
    implies for their sizes, are dropped here; the rest are verified exactly by the caller.
    """
    kept = [_plausible(pairs, signatures, sizes, threshold) for pairs in banded_pairs(signatures)]
    if not kept:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(kept)
    count = len(signatures)
    codes = np.unique(pairs[:, 0] * count + pairs[:, 1])
    return np.stack([codes // count, codes % count], axis=1)


def banded_pairs(signatures: Signatures) -> Iterator[Pairs]:
    """For each LSH band, the (a, b) rows, a < b, of texts whose values in that band are equal.

    A band's ``ROWS`` uint32 values are mixed into one uint64 key; a false key collision (odds
    about 2**-64 a pair) only adds a candidate, which verification then rejects.
    """
    count = len(signatures)
    for band in range(BANDS):
        values = signatures[:, band * ROWS : (band + 1) * ROWS].astype(np.uint64)
        key = values[:, 0] | (values[:, 1] << np.uint64(32))
        for column in range(2, ROWS):
            key = _mix64(key) ^ values[:, column]
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        same = ordered[1:] == ordered[:-1]
        if count < 2 or not same.any():
            continue
        edges = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
        starts, ends = edges[0::2], edges[1::2] + 1
        lengths = ends - starts
        parts: list[Pairs] = []
        for length in np.unique(lengths).tolist():
            left, right = np.triu_indices(length, k=1)
            run_starts = starts[lengths == length][:, None]
            parts.append(
                np.stack([order[run_starts + left].ravel(), order[run_starts + right].ravel()], axis=1)
            )
        yield np.sort(np.concatenate(parts), axis=1).astype(np.int64)


def _plausible(pairs: Pairs, signatures: Signatures, sizes: npt.NDArray[np.int64], threshold: float) -> Pairs:
    kept: list[Pairs] = []
    for begin in range(0, len(pairs), _PAIR_CHUNK):
        chunk = pairs[begin : begin + _PAIR_CHUNK]
        size_a, size_b = sizes[chunk[:, 0]], sizes[chunk[:, 1]]
        small = np.minimum(size_a, size_b).astype(np.float64)
        large = np.maximum(size_a, size_b).astype(np.float64)
        shared = threshold * small
        needed = shared / (small + large - shared)
        slack = _SLACK * np.sqrt(needed * (1.0 - needed) / NUM_PERM)
        estimate = np.count_nonzero(signatures[chunk[:, 0]] == signatures[chunk[:, 1]], axis=1) / NUM_PERM
        keep = (small >= MIN_RATIO * large) & (estimate >= needed - slack)
        kept.append(chunk[keep])
    return np.concatenate(kept) if kept else pairs


def _mix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """MurmurHash3's 64-bit finaliser, elementwise (multiplication wraps, as intended)."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))


def _find(parent: list[int], node: int) -> int:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def _appearance(quote: QuoteRecord) -> tuple[bool, float, str]:
    """Sort key for the first appearance: dated before undated, earliest first, then quote id."""
    moment = _published_at(quote.published)
    if moment is None:
        return (True, 0.0, quote.quote_id)
    return (False, moment.timestamp(), quote.quote_id)


def _published_at(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
