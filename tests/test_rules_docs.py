"""Rule logic on hand-built Docs: the parse is given, so these test the rules, not the model.

Each Doc is built with spaCy's ``Doc(vocab, words=..., heads=..., deps=...)`` from an invented
sentence and the analysis a correct parser would give it.
"""

from __future__ import annotations

import pytest
from hand_docs import build
from spacy.tokens import Doc

from onrecord.attribution import attribute
from onrecord.attribution.context import cue_span, find_subject, source_span


def text_of(doc: Doc, span: tuple[int, int] | None) -> str | None:
    return doc.text[span[0] : span[1]] if span is not None else None


# "Ms Lee has said that the ferry will run."
SAID_THAT = [
    ("Ms", "Ms", "PROPN", "NNP", 1, "compound"),
    ("Lee", "Lee", "PROPN", "NNP", 3, "nsubj"),
    ("has", "have", "AUX", "VBZ", 3, "aux"),
    ("said", "say", "VERB", "VBN", 3, "ROOT"),
    ("that", "that", "SCONJ", "IN", 8, "mark"),
    ("the", "the", "DET", "DT", 6, "det"),
    ("ferry", "ferry", "NOUN", "NN", 8, "nsubj"),
    ("will", "will", "AUX", "MD", 8, "aux"),
    ("run", "run", "VERB", "VB", 3, "ccomp"),
    (".", ".", "PUNCT", ".", 3, "punct"),
]

# "The mayor defended the plan and said it would work."
CONJOINED = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("mayor", "mayor", "NOUN", "NN", 2, "nsubj"),
    ("defended", "defend", "VERB", "VBD", 2, "ROOT"),
    ("the", "the", "DET", "DT", 4, "det"),
    ("plan", "plan", "NOUN", "NN", 2, "dobj"),
    ("and", "and", "CCONJ", "CC", 2, "cc"),
    ("said", "say", "VERB", "VBD", 2, "conj"),
    ("it", "it", "PRON", "PRP", 9, "nsubj"),
    ("would", "would", "AUX", "MD", 9, "aux"),
    ("work", "work", "VERB", "VB", 6, "ccomp"),
    (".", ".", "PUNCT", ".", 2, "punct"),
]

# "The plan, she said, would fail."
PARENTHETICAL = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("plan", "plan", "NOUN", "NN", 7, "nsubj"),
    (",", ",", "PUNCT", ",", 4, "punct"),
    ("she", "she", "PRON", "PRP", 4, "nsubj"),
    ("said", "say", "VERB", "VBD", 7, "parataxis"),
    (",", ",", "PUNCT", ",", 4, "punct"),
    ("would", "would", "AUX", "MD", 7, "aux"),
    ("fail", "fail", "VERB", "VB", 7, "ROOT"),
    (".", ".", "PUNCT", ".", 7, "punct"),
]

# "The council, which said the road was safe, closed it."
RELATIVE = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("council", "council", "NOUN", "NN", 10, "nsubj"),
    (",", ",", "PUNCT", ",", 1, "punct"),
    ("which", "which", "PRON", "WDT", 4, "nsubj"),
    ("said", "say", "VERB", "VBD", 1, "relcl"),
    ("the", "the", "DET", "DT", 6, "det"),
    ("road", "road", "NOUN", "NN", 7, "nsubj"),
    ("was", "be", "AUX", "VBD", 4, "ccomp"),
    ("safe", "safe", "ADJ", "JJ", 7, "acomp"),
    (",", ",", "PUNCT", ",", 1, "punct"),
    ("closed", "close", "VERB", "VBD", 10, "ROOT"),
    ("it", "it", "PRON", "PRP", 10, "dobj"),
    (".", ".", "PUNCT", ".", 10, "punct"),
]

# "The road was closed, the council said."  (no cue in the lexicon sense for "closed")
NARRATIVE = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("road", "road", "NOUN", "NN", 3, "nsubjpass"),
    ("was", "be", "AUX", "VBD", 3, "auxpass"),
    ("closed", "close", "VERB", "VBN", 3, "ROOT"),
    ("on", "on", "ADP", "IN", 3, "prep"),
    ("Monday", "Monday", "PROPN", "NNP", 4, "pobj"),
    (".", ".", "PUNCT", ".", 3, "punct"),
]


def test_find_subject_direct_and_shared() -> None:
    doc = build(SAID_THAT)
    assert find_subject(doc[3]).text == "Lee"
    doc = build(CONJOINED)
    assert find_subject(doc[6]).text == "mayor"  # "said" shares "defended"'s subject


def test_find_subject_through_relative_clause() -> None:
    doc = build(RELATIVE)
    assert find_subject(doc[4]).text == "council"  # "which said" -> the council


def test_cue_span_takes_adjacent_auxiliary() -> None:
    doc = build(SAID_THAT)
    assert text_of(doc, cue_span(doc[3])) == "has said"


def test_source_span_is_the_subject_phrase() -> None:
    doc = build(SAID_THAT)
    assert text_of(doc, source_span(doc[1])) == "Ms Lee"


@pytest.mark.parametrize(
    ("rows", "content", "cue", "source"),
    [
        pytest.param(SAID_THAT, ["that the ferry will run"], "has said", "Ms Lee", id="said-that"),
        pytest.param(CONJOINED, ["it would work"], "said", "The mayor", id="conjoined-subject"),
        pytest.param(PARENTHETICAL, ["The plan", "would fail"], "said", "she", id="parenthetical-two-pieces"),
        pytest.param(RELATIVE, ["the road was safe"], "said", "The council", id="relative-clause"),
    ],
)
def test_attribute_on_given_parse(
    rows: list[tuple[str, str, str, str, int, str]], content: list[str], cue: str, source: str
) -> None:
    doc = build(rows)
    candidates = [c for c in attribute(doc) if c.cue is not None and text_of(doc, c.cue) == cue]
    assert len(candidates) == 1, [(text_of(doc, c.cue), c.content) for c in attribute(doc)]
    candidate = candidates[0]
    assert [text_of(doc, piece) for piece in candidate.content] == content
    assert text_of(doc, candidate.source) == source


def test_no_attribution_in_narrative() -> None:
    doc = build(NARRATIVE)
    assert attribute(doc) == []
