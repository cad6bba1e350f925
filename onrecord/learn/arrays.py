"""What the tagger reads and writes, as arrays: the feature columns, the roles and their BIO tags,
the vocabularies, and featurized examples with their file format.

No spaCy here (``features`` and ``data`` compute these arrays from parsed Docs): training from a
saved feature cache (``python -m onrecord.training.train``) runs on a machine without spaCy, such as
a GPU machine with only PyTorch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

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
#: Floats per token of en_core_web_sm's tok2vec output (``doc.tensor``).
TOK2VEC_WIDTH = 96
#: Ids 0 (padding) and 1 (unknown) are reserved in every vocabulary.
PAD, UNK = 0, 1

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float32]


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


def build_vocab(
    words: Sequence[str], tags: Iterable[str], deps: Iterable[str], ents: Iterable[str], rules: Iterable[str]
) -> Vocab:
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


@dataclass(slots=True)
class Example:
    """One featurized article: ids (tokens x ``COLUMNS``), tok2vec vectors (tokens x 96, or x 0
    when the cache was made for a model that does not read them), gold tags (tokens x ``ROLES``),
    the chunks of whole sentences it trains on, and the encoder's word pieces."""

    doc_id: str
    ids: IntArray
    vectors: FloatArray
    gold: npt.NDArray[np.int8]
    chunks: list[tuple[int, int]]
    #: the encoder's word pieces and the token of each (empty when the model has no encoder)
    pieces: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    piece_token: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def save(path: Path, items: Sequence[Example]) -> None:
    """One compressed ``.npz`` file for ``items``."""
    arrays: dict[str, npt.NDArray[np.generic]] = {}
    for k, e in enumerate(items):
        arrays[f"{k}.ids"] = e.ids.astype(np.int32)
        arrays[f"{k}.vectors"] = e.vectors
        arrays[f"{k}.gold"] = e.gold
        arrays[f"{k}.chunks"] = np.asarray(e.chunks, dtype=np.int32).reshape(-1, 2)
        arrays[f"{k}.pieces"] = e.pieces.astype(np.int32)
        arrays[f"{k}.piece_token"] = e.piece_token.astype(np.int32)
    arrays["doc_ids"] = np.asarray([e.doc_id for e in items])
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def load(path: Path) -> list[Example]:
    with np.load(path) as data:
        doc_ids = [str(x) for x in data["doc_ids"]]
        return [
            Example(
                doc_id,
                data[f"{k}.ids"].astype(np.int64),
                data[f"{k}.vectors"],
                data[f"{k}.gold"],
                [(int(a), int(b)) for a, b in data[f"{k}.chunks"]],
                *(
                    (data[f"{k}.pieces"].astype(np.int64), data[f"{k}.piece_token"].astype(np.int64))
                    if f"{k}.pieces" in data
                    else ()
                ),
            )
            for k, doc_id in enumerate(doc_ids)
        ]
