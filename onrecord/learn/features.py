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
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from spacy.tokens import Doc, Token

from onrecord.attribution.candidates import Candidate, CharSpan
from onrecord.attribution.cues import BELIEF_VERBS, INTENT_VERBS, NOUN_CUES, OBJECT_CUES, SPEECH_VERBS
from onrecord.attribution.quotes import find_quotes, paragraphs
from onrecord.nlp.text import doc_text

ROLES = ("source", "cue", "content")
#: Per-role tags: outside, begin, inside.
OUT, BEGIN, INSIDE = 0, 1, 2

COLUMNS = (
    "word",
    "tag",
    "dep",
    "ent",
    "cue_class",
    "head_cue_class",
    "quote",
    "position",
    "cue_distance",
    "cue_path",
    "rule_source",
    "rule_cue",
    "rule_content",
    "rule_name",
    "shape",
    "clause_edge",
)
#: Ids 0 (padding) and 1 (unknown) are reserved in every vocabulary.
PAD, UNK = 0, 1
MAX_CUE_DISTANCE = 5

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


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


@dataclass(slots=True)
class Vocab:
    """String -> id tables for the categorical columns, saved with the model."""

    tables: dict[str, dict[str, int]]

    def id(self, column: str, value: str) -> int:
        return self.tables[column].get(value, UNK)

    def size(self, column: str) -> int:
        return max(self.tables[column].values(), default=UNK) + 1

    def to_json(self) -> dict[str, dict[str, int]]:
        return self.tables

    @classmethod
    def from_json(cls, data: dict[str, dict[str, int]]) -> Vocab:
        return cls({str(k): {str(s): int(i) for s, i in v.items()} for k, v in data.items()})


def _table(values: Iterable[str]) -> dict[str, int]:
    table: dict[str, int] = {}
    for value in values:
        if value not in table:
            table[value] = len(table) + 2
    return table


def build_vocab(words: Sequence[str], tags: Iterable[str], deps: Iterable[str], ents: Iterable[str],
                rules: Iterable[str]) -> Vocab:
    """The vocabularies: ``words`` (already chosen, most frequent first) and the model's labels."""
    small = {str(i): i + 2 for i in range(16)}
    return Vocab(
        {
            "word": _table(words),
            "tag": _table(sorted(tags)),
            "dep": _table(sorted(deps)),
            "ent": _table(["O", *sorted(f"{iob}-{label}" for label in ents for iob in "BI")]),
            "cue_class": small,
            "head_cue_class": small,
            "quote": small,
            "position": small,
            "cue_distance": small,
            "cue_path": _table(sorted(deps)),
            "rule_source": small,
            "rule_cue": small,
            "rule_content": small,
            "rule_name": _table(sorted(rules)),
            "shape": small,
            "clause_edge": small,
        }
    )


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
    rels = list(relations)
    out = np.zeros((len(doc), len(ROLES)), dtype=np.int8)
    for column, role in enumerate(ROLES):
        spans = sorted((s for r in rels for s in r.get(role, [])), key=lambda s: (s[0], -s[1]))
        tags = _char_roles(len(doc), spans, starts, ends)
        out[:, column] = _trim_space(doc, tags)
    return out


def _trim_space(doc: Doc, tags: list[int]) -> list[int]:
    """Whitespace tokens at either end of a span leave it (inside it they stay)."""
    fixed = list(tags)
    for lo, hi in spans_from_tags(fixed):
        while lo <= hi and doc[lo].is_space:
            fixed[lo] = OUT
            lo += 1
        while hi >= lo and doc[hi].is_space:
            fixed[hi] = OUT
            hi -= 1
        if lo <= hi:
            fixed[lo] = BEGIN
    return fixed


def _cue_path(token: Token) -> tuple[int, str]:
    """Steps up the parse to the nearest cue-lexicon verb (0: the token is one) and the label
    of the path's last step below it."""
    current, label = token, ""
    for distance in range(MAX_CUE_DISTANCE + 1):
        if current.pos_ in ("VERB", "AUX", "NOUN") and cue_class(current.lemma_) and (
            current.pos_ != "NOUN" or distance == 0 or label in ("prep", "acl", "ccomp")
        ):
            return distance, label
        if current.head is current:
            break
        label = current.dep_
        current = current.head
    return MAX_CUE_DISTANCE + 1, ""


def featurize(doc: Doc, candidates: Sequence[Candidate], vocab: Vocab) -> tuple[IntArray, FloatArray]:
    """(ids, vectors) for every token: ``ids`` has one column per ``COLUMNS`` entry."""
    text = doc_text(doc)
    n = len(doc)
    ids = np.zeros((n, len(COLUMNS)), dtype=np.int64)
    if n == 0:
        return ids, np.zeros((0, 96), dtype=np.float32)
    quote_state = _quote_state(doc, text)
    para_starts = {lo for lo, _ in paragraphs(text)}
    rules = role_tags(
        doc,
        (
            {"source": [c.source] if c.source else [], "cue": [c.cue] if c.cue else [], "content": list(c.content)}
            for c in candidates
        ),
    )
    rule_name = [UNK] * n
    starts = token_starts(doc)
    for c in candidates:
        for span in c.content:
            lo, hi = _token_range(starts, span)
            for i in range(lo, hi + 1):
                if rule_name[i] == UNK:
                    rule_name[i] = vocab.id("rule_name", c.rule)
    col = {name: i for i, name in enumerate(COLUMNS)}
    edges = _clause_edges(doc)
    small = vocab.tables["quote"]
    for token in doc:
        i = token.i
        row = ids[i]
        row[col["word"]] = vocab.id("word", token.lower_)
        row[col["tag"]] = vocab.id("tag", token.tag_)
        row[col["dep"]] = vocab.id("dep", token.dep_)
        row[col["ent"]] = vocab.id("ent", f"{token.ent_iob_}-{token.ent_type_}" if token.ent_type_ else "O")
        row[col["cue_class"]] = small[str(cue_class(token.lemma_))]
        row[col["head_cue_class"]] = small[str(cue_class(token.head.lemma_))]
        row[col["quote"]] = small[str(quote_state[i])]
        position = 3 if token.idx in para_starts else 1 if token.is_sent_start else 2 if token.is_sent_end else 0
        row[col["position"]] = small[str(position)]
        distance, label = _cue_path(token)
        row[col["cue_distance"]] = small[str(distance)]
        row[col["cue_path"]] = vocab.id("cue_path", label) if label else UNK
        for k, role in enumerate(ROLES):
            row[col[f"rule_{role}"]] = small[str(int(rules[i, k]))]
        row[col["rule_name"]] = rule_name[i]
        row[col["shape"]] = small[str(shape_class(token.text))]
        row[col["clause_edge"]] = small[str(edges[i])]
    tensor = doc.tensor
    if tensor is None or tensor.shape[0] != n:
        vectors = np.zeros((n, 96), dtype=np.float32)
    else:
        vectors = np.asarray(tensor, dtype=np.float32)
    return ids, vectors


CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "conj", "parataxis", "acl", "pcomp"})


def _clause_edges(doc: Doc) -> list[int]:
    """1 where a clause (the subtree of a verb) starts, 2 where one ends, 3 both, else 0."""
    edges = [0] * len(doc)
    for token in doc:
        if token.pos_ in ("VERB", "AUX") and token.dep_ in CLAUSE_DEPS:
            edges[token.left_edge.i] |= 1
            edges[token.right_edge.i] |= 2
    return edges


def _quote_state(doc: Doc, text: str) -> list[int]:
    """0 outside quotation marks, 1 inside, 2 an opening mark, 3 a closing mark."""
    state = [0] * len(doc)
    starts = token_starts(doc)
    for q in find_quotes(text):
        lo, hi = _token_range(starts, (q.start, q.end))
        for i in range(lo, hi + 1):
            state[i] = 1
        if lo <= hi:
            if not doc[lo].is_alpha:
                state[lo] = 2
            if q.closed and not doc[hi].is_alpha:
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


def spans_from_tags(tags: Sequence[int]) -> list[tuple[int, int]]:
    """(first, last) token index of every BEGIN INSIDE* run."""
    spans: list[tuple[int, int]] = []
    start = -1
    for i, tag in enumerate(tags):
        if tag == BEGIN or (tag == INSIDE and start < 0):
            if start >= 0:
                spans.append((start, i - 1))
            start = i
        elif tag == OUT and start >= 0:
            spans.append((start, i - 1))
            start = -1
    if start >= 0:
        spans.append((start, len(tags) - 1))
    return spans
