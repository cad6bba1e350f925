"""Training examples from PolNeAR: parsed articles turned into features and gold role tags."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from spacy.language import Language

from onrecord.attribution import attribute
from onrecord.attribution.candidates import CharSpan
from onrecord.datasets.polnear import GoldArticle
from onrecord.learn.arrays import Example, Vocab, build_vocab
from onrecord.learn.encoder import WordPieces
from onrecord.learn.features import chunks, featurize, role_tags
from onrecord.resolve.confidence import table


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
