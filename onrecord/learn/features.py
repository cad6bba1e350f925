"""Token features for the learned attribution tagger, computed from a parsed Doc.

The same function serves training (``onrecord train``) and inference (``--mode accurate``), so the
model sees at run time exactly what it saw when it learned. Per token:

- the ``en_core_web_sm`` tok2vec output (``doc.tensor``, 96 floats), which the pipeline computes
  anyway;
- categorical ids (``COLUMNS``): lower-cased word, fine tag, dependency label, entity, the cue
  lexicon class of the lemma and of its head, the quotation-mark state, sentence and paragraph
  position, the distance up the parse to the nearest cue verb and the label by which the path
  reaches it, the roles the rule engine gave the token (BIO per role) and the rule's name, and the
  word shape.

The rule engine's output is a feature, not a verdict: the model learns where to trust it.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_ALPHA,
    IS_SPACE,
    LEMMA,
    LENGTH,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    TAG,
)
from spacy.tokens import Doc

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.quotes import find_quotes, paragraphs
from onrecord.learn.arrays import (
    BEGIN,
    COLUMNS,
    INSIDE,
    OUT,
    ROLES,
    TOK2VEC_WIDTH,
    UNK,
    FloatArray,
    IntArray,
    Vocab,
    spans_from_tags,
)
from onrecord.lexicon import BELIEF_VERBS, INTENT_VERBS, NOUN_CUES, OBJECT_CUES, SPEECH_VERBS
from onrecord.nlp.text import doc_text

MAX_CUE_DISTANCE = 5


def cue_class(lemma: str) -> int:
    """0 none, 1 speech, 2 belief, 3 intent, 4 object cue, 5 noun cue, 6 'according'."""
    lemma = lemma.lower()
    if lemma == "according":
        return 6
    if lemma in SPEECH_VERBS:
        return 1
    if lemma in BELIEF_VERBS:
        return 2
    if lemma in INTENT_VERBS:
        return 3
    if lemma in OBJECT_CUES:
        return 4
    if lemma in NOUN_CUES:
        return 5
    return 0


def shape_class(text: str) -> int:
    if not text:
        return 5
    if text.isdigit():
        return 3
    if not any(ch.isalnum() for ch in text):
        return 4
    if text.isupper() and len(text) > 1:
        return 2
    if text[0].isupper():
        return 1
    if text.islower():
        return 0
    return 5


def _char_roles(n: int, spans: Iterable[CharSpan | None], starts: list[int], ends: list[int]) -> list[int]:
    """BIO per token for char spans (a token belongs when any of its characters is inside)."""
    tags = [OUT] * n
    for span in spans:
        if span is None:
            continue
        lo, hi = _token_range(starts, span, ends)
        if lo > hi or any(tags[i] != OUT for i in range(lo, hi + 1)):
            continue
        tags[lo] = BEGIN
        for i in range(lo + 1, hi + 1):
            tags[i] = INSIDE
    return tags


def _token_range(starts: list[int], span: CharSpan, ends: list[int] | None = None) -> tuple[int, int]:
    """First and last token index overlapping ``span`` (``starts`` are token start offsets;
    with ``ends``, a token that ends before the span starts is left out)."""
    start, end = span
    lo = max(0, bisect.bisect_right(starts, start) - 1)
    if ends is not None and lo < len(ends) and ends[lo] <= start:
        lo += 1
    hi = bisect.bisect_left(starts, end) - 1
    return lo, hi


def token_starts(doc: Doc) -> list[int]:
    return [t.idx for t in doc]


def role_tags(doc: Doc, relations: Iterable[dict[str, list[CharSpan]]]) -> npt.NDArray[np.int8]:
    """Gold (or rule) BIO tags, one column per role, for relations given as char spans.

    Flat per role: where two relations' spans of one role overlap, the first one wins.
    """
    starts = token_starts(doc)
    ends = [t.idx + len(t.text) for t in doc]
    is_space = np.asarray([t.is_space for t in doc], dtype=bool)
    return _role_tags(len(doc), starts, ends, is_space, relations)


def _role_tags(
    n: int,
    starts: list[int],
    ends: list[int],
    is_space: npt.NDArray[np.bool_],
    relations: Iterable[dict[str, list[CharSpan]]],
) -> npt.NDArray[np.int8]:
    rels = list(relations)
    out = np.zeros((n, len(ROLES)), dtype=np.int8)
    for column, role in enumerate(ROLES):
        spans = sorted((s for r in rels for s in r.get(role, [])), key=lambda s: (s[0], -s[1]))
        tags = _char_roles(n, spans, starts, ends)
        out[:, column] = _trim_space(is_space, tags)
    return out


def _trim_space(is_space: npt.NDArray[np.bool_], tags: list[int]) -> list[int]:
    """Whitespace tokens at either end of a span leave it (inside it they stay)."""
    fixed = list(tags)
    for lo, hi in spans_from_tags(fixed):
        while lo <= hi and is_space[lo]:
            fixed[lo] = OUT
            lo += 1
        while hi >= lo and is_space[hi]:
            fixed[hi] = OUT
            hi -= 1
        if lo <= hi:
            fixed[lo] = BEGIN
    return fixed


class _Lookups:
    """Per-vocabulary caches from spaCy string hashes to feature ids (the same strings recur)."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.tables: dict[str, dict[int, int]] = {}

    def ids(self, column: str, hashes: npt.NDArray[np.uint64], strings: Any, convert: Any = None) -> IntArray:
        table = self.tables.setdefault(column, {})
        unique, inverse = np.unique(hashes, return_inverse=True)
        found = np.empty(len(unique), dtype=np.int64)
        for i, key in enumerate(unique.tolist()):
            known = table.get(key)
            if known is None:
                value = strings[key] if key else ""
                known = convert(value) if convert is not None else self.vocab.id(column, value)
                table[key] = known
            found[i] = known
        return found[inverse.reshape(-1)]


_LOOKUPS: dict[int, _Lookups] = {}
NOUN_OK_LABELS = frozenset({"prep", "acl", "ccomp"})


def featurize(doc: Doc, candidates: Sequence[Candidate], vocab: Vocab) -> tuple[IntArray, FloatArray]:
    """(ids, vectors) for every token: ``ids`` has one column per ``COLUMNS`` entry.

    Reads the Doc's arrays (``Doc.to_array``) rather than its Token objects, which costs a
    tenth of the time; strings are looked up once per distinct hash.
    """

    text = doc_text(doc)
    n = len(doc)
    ids = np.zeros((n, len(COLUMNS)), dtype=np.int64)
    if n == 0:
        return ids, np.zeros((0, TOK2VEC_WIDTH), dtype=np.float32)
    lookups = _LOOKUPS.setdefault(id(vocab), _Lookups(vocab))
    strings = doc.vocab.strings
    attrs = [
        LOWER,
        TAG,
        DEP,
        ENT_IOB,
        ENT_TYPE,
        LEMMA,
        HEAD,
        IDX,
        IS_ALPHA,
        IS_SPACE,
        ORTH,
        POS,
        SENT_START,
        LENGTH,
    ]
    arr = doc.to_array(attrs)
    (
        lower,
        tag,
        dep,
        iob,
        ent_type,
        lemma,
        head_rel,
        idx,
        is_alpha,
        is_space,
        orth,
        pos,
        sent_start,
        length,
    ) = arr.T
    index = np.arange(n)
    head = index + head_rel.astype(np.int64)
    starts = idx.astype(np.int64).tolist()
    ends = [a + b for a, b in zip(starts, length.tolist(), strict=True)]
    col = {name: i for i, name in enumerate(COLUMNS)}

    ids[:, col["word"]] = lookups.ids("word", lower, strings)
    ids[:, col["tag"]] = lookups.ids("tag", tag, strings)
    dep_ids = lookups.ids("dep", dep, strings)
    ids[:, col["dep"]] = dep_ids
    iob_names = ("", "I", "O", "B")
    ent_keys = [
        f"{iob_names[int(i)]}-{strings[int(t)]}" if t else "O"
        for i, t in zip(iob.tolist(), ent_type.tolist(), strict=True)
    ]
    ids[:, col["ent"]] = [vocab.id("ent", key) for key in ent_keys]
    cue_classes = lookups.ids("cue_class", lemma, strings, convert=cue_class)
    ids[:, col["cue_class"]] = cue_classes + 2
    ids[:, col["head_cue_class"]] = cue_classes[head] + 2
    ids[:, col["quote"]] = np.asarray(_quote_state_arrays(starts, is_alpha, text), dtype=np.int64) + 2
    para_starts = {lo for lo, _ in paragraphs(text)}
    is_start = sent_start.astype(np.int64) == 1
    is_start[0] = True
    is_end = np.append(is_start[1:], True)
    position = np.where(is_end, 2, 0)
    position = np.where(is_start, 1, position)
    position = np.where([s in para_starts for s in starts], 3, position)
    ids[:, col["position"]] = position + 2
    distance, label_dep = _cue_paths(head, pos, dep, cue_classes, strings)
    ids[:, col["cue_distance"]] = distance + 2
    ids[:, col["cue_path"]] = lookups.ids("cue_path", label_dep, strings)  # no label: "" -> unknown
    relations = (
        {
            "source": [c.source] if c.source else [],
            "cue": [c.cue] if c.cue else [],
            "content": list(c.content),
        }
        for c in candidates
    )
    rules = _role_tags(n, starts, ends, is_space.astype(bool), relations)
    for k, role in enumerate(ROLES):
        ids[:, col[f"rule_{role}"]] = rules[:, k].astype(np.int64) + 2
    rule_name = np.full(n, UNK, dtype=np.int64)
    for c in candidates:
        rule_id = vocab.id("rule_name", c.rule)
        for span in c.content:
            lo, hi = _token_range(starts, span)
            segment = rule_name[lo : hi + 1]
            segment[segment == UNK] = rule_id
    ids[:, col["rule_name"]] = rule_name
    ids[:, col["shape"]] = lookups.ids("shape", orth, strings, convert=shape_class) + 2
    ids[:, col["clause_edge"]] = np.asarray(_clause_edges(doc, pos, dep, strings), dtype=np.int64) + 2
    tensor = doc.tensor
    if tensor is None or tensor.shape[0] != n:
        vectors = np.zeros((n, TOK2VEC_WIDTH), dtype=np.float32)
    else:
        vectors = np.asarray(tensor, dtype=np.float32)
    return ids, vectors


def _cue_paths(
    head: IntArray,
    pos: npt.NDArray[np.uint64],
    dep: npt.NDArray[np.uint64],
    cue_classes: IntArray,
    strings: Any,
) -> tuple[IntArray, npt.NDArray[np.uint64]]:
    """Per token, steps up the parse to the nearest cue-lexicon verb or noun (0: the token is
    one; ``MAX_CUE_DISTANCE + 1``: none near) and the dependency label (hash, 0 for none) of the
    path's last step below it. A noun counts as a cue only as the token itself or when reached
    through prep, acl or ccomp. The root is its own head, so a path that reaches it stays there."""
    n = len(head)
    pos_names = [strings[int(p)] if p else "" for p in pos.tolist()]
    verbish = np.asarray([p in ("VERB", "AUX", "NOUN") for p in pos_names])
    noun = np.asarray([p == "NOUN" for p in pos_names])
    cue = verbish & (cue_classes > 0)
    noun_ok = np.asarray([bool(d) and strings[int(d)] in NOUN_OK_LABELS for d in dep.tolist()])
    current = np.arange(n)
    label = np.zeros(n, dtype=np.uint64)
    label_ok = np.zeros(n, dtype=bool)
    distance = np.full(n, MAX_CUE_DISTANCE + 1, dtype=np.int64)
    found_label = np.zeros(n, dtype=np.uint64)
    active = np.ones(n, dtype=bool)
    for step in range(MAX_CUE_DISTANCE + 1):
        hit = active & cue[current] & (~noun[current] | (step == 0) | label_ok)
        distance[hit] = step
        found_label[hit] = label[hit]
        active &= ~hit
        label = dep[current]
        label_ok = noun_ok[current]
        current = head[current]
    return distance, found_label


CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "pcomp"})


def _clause_edges(
    doc: Doc, pos: npt.NDArray[np.uint64], dep: npt.NDArray[np.uint64], strings: Any
) -> list[int]:
    """1 where a clause (the subtree of a verb) starts, 2 where one ends, 3 both, else 0."""
    edges = [0] * len(doc)
    verb = {strings["VERB"], strings["AUX"]}
    clause = {strings[d] for d in CLAUSE_DEPS}
    for i, (p, d) in enumerate(zip(pos.tolist(), dep.tolist(), strict=True)):
        if p in verb and d in clause:
            token = doc[i]
            edges[token.left_edge.i] |= 1
            edges[token.right_edge.i] |= 2
    return edges


def _quote_state_arrays(starts: list[int], is_alpha: npt.NDArray[np.uint64], text: str) -> list[int]:
    """0 outside quotation marks, 1 inside, 2 an opening mark, 3 a closing mark."""
    state = [0] * len(starts)
    for q in find_quotes(text):
        lo, hi = _token_range(starts, (q.start, q.end))
        for i in range(lo, hi + 1):
            state[i] = 1
        if lo <= hi:
            if not is_alpha[lo]:
                state[lo] = 2
            if q.closed and not is_alpha[hi]:
                state[hi] = 3
    return state


def chunks(doc: Doc, max_tokens: int = 256) -> list[tuple[int, int]]:
    """Token ranges of whole sentences, each at most ``max_tokens`` long where sentences allow."""
    out: list[tuple[int, int]] = []
    start = end = 0
    for sent in doc.sents:
        if end > start and sent.end - start > max_tokens:
            out.append((start, end))
            start = sent.start
        end = sent.end
    if end > start:
        out.append((start, end))
    return out
