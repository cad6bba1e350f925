"""Training examples from PolNeAR: parsed articles turned into features and gold role tags."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from spacy.language import Language

from onrecord.attribution import attribute
from onrecord.attribution.candidates import CharSpan
from onrecord.evaluate.polnear import GoldArticle
from onrecord.learn.encoder import WordPieces
from onrecord.learn.features import FloatArray, IntArray, Vocab, build_vocab, chunks, featurize, role_tags


@dataclass(slots=True)
class Example:
    doc_id: str
    ids: IntArray
    vectors: FloatArray
    gold: npt.NDArray[np.int8]
    chunks: list[tuple[int, int]]
    #: the encoder's word pieces and the token of each (empty when the model has no encoder)
    pieces: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    piece_token: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def gold_relations(article: GoldArticle) -> list[dict[str, list[CharSpan]]]:
    return [
        {
            "source": [(s.start, s.end) for s in r.source],
            "cue": [(s.start, s.end) for s in r.cue],
            "content": [(s.start, s.end) for s in r.content],
        }
        for r in article.relations
    ]


def word_list(texts: Iterable[str], nlp: Language, *, size: int, min_count: int) -> list[str]:
    """The ``size`` most frequent lower-cased tokens seen at least ``min_count`` times, ties by word."""
    counts: Counter[str] = Counter()
    tokenizer: Any = nlp.tokenizer
    for doc in tokenizer.pipe(texts, batch_size=64):
        counts.update(t.lower_ for t in doc if not t.is_space)
    ranked = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return ranked[:size]


def make_vocab(nlp: Language, words: Sequence[str]) -> Vocab:
    from onrecord.resolve.confidence import table

    rules = {key.split("|", 1)[0] for key in table()}
    return build_vocab(
        words,
        tags=nlp.get_pipe("tagger").labels,  # type: ignore[attr-defined]
        deps=nlp.get_pipe("parser").labels,  # type: ignore[attr-defined]
        ents=nlp.get_pipe("ner").labels,  # type: ignore[attr-defined]
        rules=rules,
    )


def examples(
    articles: Sequence[GoldArticle],
    nlp: Language,
    vocab: Vocab,
    *,
    n_process: int = 1,
    max_tokens: int = 256,
    pieces: WordPieces | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Example]:
    """Parse ``articles`` and featurize them, gold tags from their relations (and the encoder's
    word pieces, given its tokenizer)."""
    out: list[Example] = []
    docs = nlp.pipe((a.text for a in articles), batch_size=16, n_process=n_process)
    for article, doc in zip(articles, docs, strict=True):
        ids, vectors = featurize(doc, attribute(doc), vocab)
        gold = role_tags(doc, gold_relations(article))
        example = Example(article.doc_id, ids, vectors.astype(np.float16), gold, chunks(doc, max_tokens))
        if pieces is not None:
            example.pieces, example.piece_token = pieces.encode([t.text for t in doc])
        out.append(example)
        if progress is not None:
            progress(1)
    return out


def save(path: Path, items: Sequence[Example]) -> None:
    arrays: dict[str, npt.NDArray[np.generic]] = {}
    for k, e in enumerate(items):
        arrays[f"{k}.ids"] = e.ids.astype(np.int32)
        arrays[f"{k}.vectors"] = e.vectors
        arrays[f"{k}.gold"] = e.gold
        arrays[f"{k}.chunks"] = np.asarray(e.chunks, dtype=np.int32).reshape(-1, 2)
        arrays[f"{k}.pieces"] = e.pieces.astype(np.int32)
        arrays[f"{k}.piece_token"] = e.piece_token.astype(np.int32)
    arrays["doc_ids"] = np.asarray([e.doc_id for e in items])
    np.savez(path, **arrays)  # type: ignore[arg-type]


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

