"""Docs built by hand for tests: the analysis is given, so a test checks logic, not the parser.

Each Doc comes from spaCy's ``Doc(vocab, words=..., heads=..., deps=...)`` with an invented
sentence and the analysis a correct parser would give it.
"""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

VOCAB = spacy.blank("en").vocab  # English lexical attributes (lower_, is_punct), no model


def build(
    rows: list[tuple[str, str, str, str, int, str]],
    *,
    spaces: list[bool] | None = None,
    sent_starts: list[int] | None = None,
) -> Doc:
    """rows: (word, lemma, pos, tag, head index, dep); ``sent_starts``: token indices that open a
    sentence (default: one sentence)."""
    words = [r[0] for r in rows]
    if spaces is None:
        spaces = [
            i + 1 < len(words) and words[i + 1] not in ",.:;”’" and words[i] not in "“‘"
            for i in range(len(words))
        ]
    starts = set(sent_starts or [0])
    return Doc(
        VOCAB,
        words=words,
        spaces=spaces,
        lemmas=[r[1] for r in rows],
        pos=[r[2] for r in rows],
        tags=[r[3] for r in rows],
        heads=[r[4] for r in rows],
        deps=[r[5] for r in rows],
        sent_starts=[i in starts for i in range(len(words))] if sent_starts is not None else None,
    )
