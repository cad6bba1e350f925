"""The learned tagger's parts: constrained decoding, tags <-> spans, features, assembly, the
shipped model, and (with PyTorch installed) a small training run exported to ONNX."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import hand_docs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from onrecord.attribution.candidates import Candidate
from onrecord.errors import ModelError
from onrecord.learn.arrays import BEGIN, COLUMNS, INSIDE, OUT, ROLES, spans_from_tags
from onrecord.learn.assemble import Tagged, assemble
from onrecord.learn.decode import viterbi
from onrecord.learn.features import chunks, role_tags
from onrecord.learn.tagger import MODEL_DIR, LearnedTagger


def build(rows: list[tuple[str, str, str, int, str]], sent_starts: list[int] | None = None) -> Doc:
    """rows: (word, lemma, pos, head index, dep), no fine tags."""
    return hand_docs.build(
        [(w, lemma, pos, "", head, dep) for w, lemma, pos, head, dep in rows], sent_starts=sent_starts
    )


# "Ms Lee has said that the ferry will run."
SAID_THAT = [
    ("Ms", "Ms", "PROPN", 1, "compound"),
    ("Lee", "Lee", "PROPN", 3, "nsubj"),
    ("has", "have", "AUX", 3, "aux"),
    ("said", "say", "VERB", 3, "ROOT"),
    ("that", "that", "SCONJ", 8, "mark"),
    ("the", "the", "DET", 6, "det"),
    ("ferry", "ferry", "NOUN", 8, "nsubj"),
    ("will", "will", "AUX", 8, "aux"),
    ("run", "run", "VERB", 3, "ccomp"),
    (".", ".", "PUNCT", 3, "punct"),
]

# “We will win,” she said, “and soon.”
SPLIT_QUOTE = [
    ("“", "“", "PUNCT", 3, "punct"),
    ("We", "we", "PRON", 3, "nsubj"),
    ("will", "will", "AUX", 3, "aux"),
    ("win", "win", "VERB", 7, "ccomp"),
    (",", ",", "PUNCT", 7, "punct"),
    ("”", "”", "PUNCT", 7, "punct"),
    ("she", "she", "PRON", 7, "nsubj"),
    ("said", "say", "VERB", 7, "ROOT"),
    (",", ",", "PUNCT", 7, "punct"),
    ("“", "“", "PUNCT", 11, "punct"),
    ("and", "and", "CCONJ", 11, "cc"),
    ("soon", "soon", "ADV", 7, "advmod"),
    (".", ".", "PUNCT", 7, "punct"),
    ("”", "”", "PUNCT", 7, "punct"),
]


def tags_for(n: int, spans: dict[str, list[tuple[int, int]]]) -> np.ndarray:
    tags = np.zeros((n, len(ROLES)), dtype=np.int8)
    for role, items in spans.items():
        k = ROLES.index(role)
        for lo, hi in items:
            tags[lo, k] = BEGIN
            tags[lo + 1 : hi + 1, k] = INSIDE
    return tags


def no_probabilities(n: int) -> np.ndarray:
    return np.zeros((n, len(ROLES), 3), dtype=np.float32)


def assemble_one(doc: Doc, spans: dict[str, list[tuple[int, int]]]) -> Candidate:
    """The one candidate ``assemble`` links from these tagged token spans."""
    (candidate,) = assemble(doc, Tagged(tags_for(len(doc), spans), no_probabilities(len(doc))))
    return candidate


# -- decoding -------------------------------------------------------------------------------------


def brute_force(logp: np.ndarray) -> tuple[int, ...]:
    best: tuple[float, tuple[int, ...]] | None = None
    for seq in itertools.product((OUT, BEGIN, INSIDE), repeat=len(logp)):
        if any(t == INSIDE and (i == 0 or seq[i - 1] == OUT) for i, t in enumerate(seq)):
            continue
        score = sum(float(logp[i, t]) for i, t in enumerate(seq))
        if best is None or score > best[0] + 1e-9:
            best = (score, seq)
    assert best is not None
    return best[1]


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.just(3)), elements=st.floats(-8, 0)))
def test_viterbi_finds_the_best_allowed_sequence(logp: np.ndarray) -> None:
    tags = viterbi(logp)
    assert all(not (t == INSIDE and (i == 0 or tags[i - 1] == OUT)) for i, t in enumerate(tags))
    best = brute_force(logp)
    score = lambda seq: sum(float(logp[i, t]) for i, t in enumerate(seq))  # noqa: E731
    assert score(tuple(int(t) for t in tags)) == pytest.approx(score(best))


def test_viterbi_repairs_an_inside_after_outside() -> None:
    # greedy would say OUT INSIDE INSIDE; the best allowed reading is OUT BEGIN INSIDE
    logp = np.log(np.array([[0.9, 0.05, 0.05], [0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]))
    assert viterbi(logp).tolist() == [OUT, BEGIN, INSIDE]


@pytest.mark.parametrize(
    ("tags", "spans"),
    [
        ([OUT, BEGIN, INSIDE, OUT, BEGIN, BEGIN, INSIDE], [(1, 2), (4, 4), (5, 6)]),
        ([INSIDE, INSIDE, OUT], [(0, 1)]),
        ([OUT, OUT], []),
        ([BEGIN, INSIDE, INSIDE], [(0, 2)]),
    ],
)
def test_spans_from_tags(tags: list[int], spans: list[tuple[int, int]]) -> None:
    assert spans_from_tags(tags) == spans


# -- features -------------------------------------------------------------------------------------


def test_role_tags_from_char_spans() -> None:
    doc = build(SAID_THAT)
    text = doc.text
    relation = {
        "source": [(0, text.index(" has"))],
        "cue": [(text.index("said"), text.index("said") + 4)],
        "content": [(text.index("the"), text.index("."))],
    }
    tags = role_tags(doc, [relation])
    assert spans_from_tags(tags[:, 0].tolist()) == [(0, 1)]
    assert spans_from_tags(tags[:, 1].tolist()) == [(3, 3)]
    assert spans_from_tags(tags[:, 2].tolist()) == [(5, 8)]


def test_chunks_keep_sentences_whole() -> None:
    rows = SAID_THAT + [(w, w, p, h + len(SAID_THAT), d) for w, _, p, h, d in SAID_THAT]
    doc = build(rows, sent_starts=[0, len(SAID_THAT)])
    assert chunks(doc, max_tokens=len(SAID_THAT)) == [(0, 10), (10, 20)]
    assert chunks(doc, max_tokens=100) == [(0, 20)]


# -- assembly -------------------------------------------------------------------------------------


def test_assemble_links_content_cue_and_source_by_the_parse() -> None:
    doc = build(SAID_THAT)
    candidate = assemble_one(doc, {"source": [(0, 1)], "cue": [(3, 3)], "content": [(5, 8)]})
    text = doc.text
    assert [text[s:e] for s, e in candidate.content] == ["the ferry will run"]
    assert candidate.cue is not None and text[slice(*candidate.cue)] == "said"
    assert candidate.source is not None and text[slice(*candidate.source)] == "Ms Lee"
    assert candidate.rule == "learned.parse"
    assert candidate.cue_token == 3 and candidate.source_token == 1


# "Voters worry, but the coalition, which Lee leads, said that the ferry will run." (a span tagged
# as the source that runs over the clause before the cue's subject)
OVER_A_CLAUSE = [
    ("Voters", "voter", "NOUN", 1, "nsubj"),
    ("worry", "worry", "VERB", 1, "ROOT"),
    (",", ",", "PUNCT", 1, "punct"),
    ("but", "but", "CCONJ", 1, "cc"),
    ("the", "the", "DET", 5, "det"),
    ("coalition", "coalition", "NOUN", 11, "nsubj"),
    (",", ",", "PUNCT", 5, "punct"),
    ("which", "which", "PRON", 9, "dobj"),
    ("Lee", "Lee", "PROPN", 9, "nsubj"),
    ("leads", "lead", "VERB", 5, "relcl"),
    (",", ",", "PUNCT", 5, "punct"),
    ("said", "say", "VERB", 1, "conj"),
    ("that", "that", "SCONJ", 16, "mark"),
    ("the", "the", "DET", 14, "det"),
    ("ferry", "ferry", "NOUN", 16, "nsubj"),
    ("will", "will", "AUX", 16, "aux"),
    ("run", "run", "VERB", 11, "ccomp"),
    (".", ".", "PUNCT", 11, "punct"),
]


def test_the_source_head_is_the_cues_subject_inside_the_span() -> None:
    doc = build(OVER_A_CLAUSE)
    candidate = assemble_one(doc, {"source": [(0, 10)], "cue": [(11, 11)], "content": [(13, 16)]})
    assert candidate.source is not None and doc.text[slice(*candidate.source)].startswith("Voters worry")
    assert candidate.source_token == 5  # "coalition", not "worry" (the span's own root)
    # a span without the cue's subject keeps its own root
    candidate = assemble_one(doc, {"source": [(7, 9)], "cue": [(11, 11)], "content": [(13, 16)]})
    assert candidate.source_token == 9


# "WASHINGTON -- Prosecutors in said that the ferry will run." (a dateline, and a tagger that
# stopped after "in")
DATELINE = [
    ("WASHINGTON", "WASHINGTON", "PROPN", 4, "npadvmod"),
    ("--", "--", "PUNCT", 4, "punct"),
    ("Prosecutors", "prosecutor", "NOUN", 4, "nsubj"),
    ("in", "in", "ADP", 2, "prep"),
    ("said", "say", "VERB", 4, "ROOT"),
    ("that", "that", "SCONJ", 9, "mark"),
    ("the", "the", "DET", 7, "det"),
    ("ferry", "ferry", "NOUN", 9, "nsubj"),
    ("will", "will", "AUX", 9, "aux"),
    ("run", "run", "VERB", 4, "ccomp"),
    (".", ".", "PUNCT", 4, "punct"),
]


def test_a_source_loses_its_dateline_and_a_dangling_word() -> None:
    doc = build(DATELINE)
    assert [t.text for t in doc][:5] == ["WASHINGTON", "--", "Prosecutors", "in", "said"]
    candidate = assemble_one(doc, {"source": [(0, 3)], "cue": [(4, 4)], "content": [(6, 9)]})
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "Prosecutors"
    # a source of one word keeps it, whatever it is
    candidate = assemble_one(doc, {"source": [(3, 3)], "cue": [(4, 4)], "content": [(6, 9)]})
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "in"


def test_content_never_holds_its_own_cue_or_source() -> None:
    from onrecord.learn.assemble import _without

    # "Lee claimed that the ferry will run." tagged as content from its first word
    rows = [
        ("Lee", "Lee", "PROPN", 1, "nsubj"),
        ("claimed", "claim", "VERB", 1, "ROOT"),
        ("that", "that", "SCONJ", 6, "mark"),
        ("the", "the", "DET", 4, "det"),
        ("ferry", "ferry", "NOUN", 6, "nsubj"),
        ("will", "will", "AUX", 6, "aux"),
        ("run", "run", "VERB", 1, "ccomp"),
        (".", ".", "PUNCT", 1, "punct"),
    ]
    doc = build(rows)
    candidate = assemble_one(doc, {"source": [(0, 0)], "cue": [(1, 1)], "content": [(0, 6)]})
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "Lee"
    assert [doc.text[s:e] for s, e in candidate.content] == ["that the ferry will run"]
    # a cue that starts before the content and runs into it gives way instead
    rows = [
        ("She", "she", "PRON", 1, "nsubj"),
        ("offered", "offer", "VERB", 1, "ROOT"),
        ("some", "some", "DET", 3, "det"),
        ("advice", "advice", "NOUN", 1, "dobj"),
        ("to", "to", "ADP", 3, "prep"),
        ("Lee", "Lee", "PROPN", 4, "pobj"),
        (".", ".", "PUNCT", 1, "punct"),
    ]
    doc = build(rows)
    candidate = assemble_one(doc, {"source": [(0, 0)], "cue": [(1, 4)], "content": [(2, 5)]})
    assert candidate.cue is not None and doc.text[slice(*candidate.cue)] == "offered"
    assert [doc.text[s:e] for s, e in candidate.content] == ["some advice to Lee"]
    # a cut in the middle leaves two pieces without the separating commas; a remnant of
    # punctuation alone goes
    text = "We will win, he said, and soon."
    he, said = (text.index("he"), text.index("he") + 2), (text.index("said"), text.index("said") + 4)
    pieces = _without(text, [(0, len(text))], [said, he])
    assert [text[a:b] for a, b in pieces] == ["We will win", "and soon."]
    assert _without(text, [(text.index(","), said[1] + 1)], [said, he]) == []
    assert _without(text, [(0, 11)], [said]) == [(0, 11)]  # untouched pieces keep their edges


# "She was denounced by the mayor and declared that the ferry works." (the mayor is the agent of
# the verb joined to the cue, not the cue's source)
AGENT_OF_ANOTHER = [
    ("She", "she", "PRON", 2, "nsubjpass"),
    ("was", "be", "AUX", 2, "auxpass"),
    ("denounced", "denounce", "VERB", 2, "ROOT"),
    ("by", "by", "ADP", 2, "agent"),
    ("the", "the", "DET", 5, "det"),
    ("mayor", "mayor", "NOUN", 3, "pobj"),
    ("and", "and", "CCONJ", 2, "cc"),
    ("declared", "declare", "VERB", 2, "conj"),
    ("that", "that", "SCONJ", 11, "mark"),
    ("the", "the", "DET", 10, "det"),
    ("ferry", "ferry", "NOUN", 11, "nsubj"),
    ("works", "work", "VERB", 7, "ccomp"),
    (".", ".", "PUNCT", 2, "punct"),
]


def test_the_agent_of_a_joined_passive_verb_is_not_the_cues_source() -> None:
    doc = build(AGENT_OF_ANOTHER)
    candidate = assemble_one(doc, {"source": [(4, 5)], "cue": [(7, 7)], "content": [(8, 11)]})
    assert candidate.source is None
    # the passive verb's own agent is its source ("was denounced by the mayor")
    candidate = assemble_one(doc, {"source": [(4, 5)], "cue": [(2, 2)], "content": [(0, 0)]})
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "the mayor"


# "Lutz praised Ana Ortiz, who has vowed to stay." (the relative pronoun, untagged, is the
# subject of the cue; the tagged "Lutz" is the main clause's)
RELATIVE_SUBJECT = [
    ("Lutz", "Lutz", "PROPN", "NNP", 1, "nsubj"),
    ("praised", "praise", "VERB", "VBD", 1, "ROOT"),
    ("Ana", "Ana", "PROPN", "NNP", 3, "compound"),
    ("Ortiz", "Ortiz", "PROPN", "NNP", 1, "dobj"),
    (",", ",", "PUNCT", ",", 3, "punct"),
    ("who", "who", "PRON", "WP", 7, "nsubj"),
    ("has", "have", "AUX", "VBZ", 7, "aux"),
    ("vowed", "vow", "VERB", "VBN", 3, "relcl"),
    ("to", "to", "PART", "TO", 9, "aux"),
    ("stay", "stay", "VERB", "VB", 7, "xcomp"),
    (".", ".", "PUNCT", ".", 1, "punct"),
]


def test_the_relative_pronoun_is_the_source_of_a_cue_in_its_clause() -> None:
    doc = hand_docs.build(RELATIVE_SUBJECT)
    spans = {"source": [(0, 0)], "cue": [(6, 7)], "content": [(8, 9)]}
    # after a word no one has named, the tagger's nearest source stands ("the ad, which ...")
    candidate = assemble_one(doc, spans)
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "Lutz"
    doc.ents = [SpacySpan(doc, 2, 4, label="PERSON")]
    candidate = assemble_one(doc, spans)
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "who"
    assert candidate.source_token == 5
    # the main clause's cue keeps its tagged subject
    candidate = assemble_one(doc, {"source": [(0, 0)], "cue": [(1, 1)], "content": [(2, 3)]})
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "Lutz"


# "The worries of many parents go beyond Ana Ortiz's pledge to reopen the school." (the noun
# cue's owner, untagged, is its source; the tagged "many parents" is the main clause's)
NOUN_OWNER = [
    ("The", "the", "DET", "DT", 1, "det"),
    ("worries", "worry", "NOUN", "NNS", 5, "nsubj"),
    ("of", "of", "ADP", "IN", 1, "prep"),
    ("many", "many", "ADJ", "JJ", 4, "amod"),
    ("parents", "parent", "NOUN", "NNS", 2, "pobj"),
    ("go", "go", "VERB", "VBP", 5, "ROOT"),
    ("beyond", "beyond", "ADP", "IN", 5, "prep"),
    ("Ana", "Ana", "PROPN", "NNP", 8, "compound"),
    ("Ortiz", "Ortiz", "PROPN", "NNP", 10, "poss"),
    ("'s", "'s", "PART", "POS", 8, "case"),
    ("pledge", "pledge", "NOUN", "NN", 6, "pobj"),
    ("to", "to", "PART", "TO", 12, "aux"),
    ("reopen", "reopen", "VERB", "VB", 10, "acl"),
    ("the", "the", "DET", "DT", 14, "det"),
    ("school", "school", "NOUN", "NN", 12, "dobj"),
    (".", ".", "PUNCT", ".", 5, "punct"),
]


def test_a_noun_cue_s_owner_is_its_source() -> None:
    spaces = [i not in (8, 14) for i in range(len(NOUN_OWNER))]  # "Ortiz's", "school."
    doc = hand_docs.build(NOUN_OWNER, spaces=spaces)
    spans = {"source": [(3, 4)], "cue": [(10, 10)], "content": [(11, 14)]}
    candidate = assemble_one(doc, spans)
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "Ana Ortiz's"
    # a day owns nothing: "Monday's pledge" leaves the tagger's source
    doc = hand_docs.build(
        [
            ("Monday", "Monday", "PROPN", "NNP", 10, "poss") if i == 8 else row
            for i, row in enumerate(NOUN_OWNER)
        ],
        spaces=spaces,
    )
    doc.ents = [SpacySpan(doc, 8, 9, label="DATE")]
    candidate = assemble_one(doc, spans)
    assert candidate.source is not None and doc.text[slice(*candidate.source)] == "many parents"


def test_assemble_joins_the_pieces_of_a_split_quotation() -> None:
    doc = build(SPLIT_QUOTE)
    candidate = assemble_one(doc, {"source": [(6, 6)], "cue": [(7, 7)], "content": [(0, 5), (9, 13)]})
    assert [doc.text[s:e] for s, e in candidate.content] == ["“We will win,”", "“and soon.”"]
    assert candidate.quoted_chars > 0


def test_assemble_drops_content_without_a_cue() -> None:
    doc = build(SAID_THAT)
    tags = tags_for(len(doc), {"content": [(5, 8)]})
    assert assemble(doc, Tagged(tags, no_probabilities(len(doc)))) == []


# -- the shipped model ----------------------------------------------------------------------------


def test_shipped_model_is_small_and_loads() -> None:
    size = sum(p.stat().st_size for p in MODEL_DIR.iterdir())
    assert size <= 60 * 1024 * 1024
    tagger = LearnedTagger()
    assert tagger.meta["columns"] == list(COLUMNS)
    assert tagger.calibration, "the shipped model carries its calibration table"
    uppers = [u for u, _ in tagger.calibration]
    assert uppers == sorted(uppers)


def test_a_broken_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"\[E004\]"):
        LearnedTagger(tmp_path)
    shutil.copytree(MODEL_DIR, tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["columns"] = meta["columns"][:-1]
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="columns"):
        LearnedTagger(tmp_path / "m")
    (tmp_path / "m" / "meta.json").write_text(json.dumps({**meta, "columns": list(COLUMNS)}))
    (tmp_path / "m" / "tagger.onnx").write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"\[E004\]"):
        LearnedTagger(tmp_path / "m")


def test_accurate_mode_finds_reported_speech_with_its_speaker() -> None:
    from onrecord.ingest import Document
    from onrecord.pipeline import Pipeline

    text = (
        "The mayor of Harbourton, Ellen Marsh, said on Tuesday that the ferry service would resume "
        "in March.\n\n“We have listened to the islanders,” she told reporters."
    )
    article = Pipeline(mode="accurate").extract_document(Document(text=text))
    by_content = {q.content_text: q for q in article.quotes}
    assert any("ferry service would resume" in c for c in by_content), by_content
    for quote in article.quotes:
        assert quote.speaker is not None and quote.speaker.name == "Ellen Marsh"
        assert 0.0 < quote.confidence < 1.0
        assert quote.extractor.startswith("onrecord.tagger.v1")
        for span in [*quote.content, quote.cue, quote.source]:
            assert span is None or text[span.start : span.end] == span.text


def test_combine_keeps_the_rules_where_they_are_stronger() -> None:
    from onrecord.learn.assemble import combine

    text = "Lee said the ferry would run. She added: “We are ready.”\n“It will sail.”\nThe mayor agreed."
    said = (text.index("said"), text.index("said") + 4)
    learned = [
        Candidate(content=[(text.index("the ferry"), text.index(". She"))], cue=said, rule="learned.parse")
    ]
    first = (text.index("“We"), text.index("ready.”") + 7)
    second = (text.index("“It"), text.index("sail.”") + 6)
    rules = [
        Candidate(content=[learned[0].content[0]], cue=said, source=(0, 3), source_token=0, rule="cue.ccomp"),
        Candidate(
            content=[first],
            cue=(text.index("added"), text.index("added") + 5),
            rule="cue.quote",
            quoted_chars=len("We are ready."),
        ),
        Candidate(content=[second], rule="continuation", continues=1, quoted_chars=len("It will sail.")),
        Candidate(content=[(text.index("The mayor"), len(text))], rule="that_clause"),  # not direct: left out
    ]
    result = combine(text, learned, rules)
    assert [text[c.start : c.end] for c in result] == [
        "the ferry would run",
        "“We are ready.”",
        "“It will sail.”",
    ]
    assert result[0].source == (0, 3) and result[0].source_token == 0  # the model saw no source
    assert result[2].continues == 1  # the continuation follows its opening quotation's new index
    assert result[1] is not rules[1]  # copies, the rule engine's list is untouched
    assert rules[2].continues == 1


def test_a_quotation_takes_its_own_cue_over_the_sentence_before() -> None:
    from onrecord.learn.assemble import combine

    text = "“Never!” the dockers shouted. “Shall we sell the pier?” Ortiz asked."
    quotation = (text.index("“Shall"), text.index("?”") + 2)

    def span(word: str) -> tuple[int, int]:
        return text.index(word), text.index(word) + len(word)

    def learned() -> Candidate:
        # the model linked the second quotation to the cue of the sentence before
        return Candidate(
            content=[quotation],
            cue=span("shouted"),
            source=span("the dockers"),
            rule="learned.previous",
            quoted_chars=quotation[1] - quotation[0],
        )

    asked = Candidate(content=[quotation], cue=span("asked"), source=span("Ortiz"), rule="cue.quote")
    (result,) = combine(text, [learned()], [asked])
    assert (result.cue, result.source) == (span("asked"), span("Ortiz"))
    # a cue inside the quoted words is not the quotation's own ("we sell")
    inside = Candidate(content=[quotation], cue=span("sell"), source=span("we"), rule="cue.ccomp")
    (result,) = combine(text, [learned()], [inside])
    assert (result.cue, result.source) == (span("shouted"), span("the dockers"))


@settings(max_examples=40, deadline=None)
@given(
    arrays(
        np.float64, st.tuples(st.integers(1, 30), st.just(len(ROLES)), st.just(3)), elements=st.floats(-8, 0)
    ),
    arrays(np.float64, (len(ROLES), 3, 3), elements=st.floats(-3, 3)),
    arrays(np.float64, (len(ROLES), 3), elements=st.floats(-3, 3)),
)
def test_viterbi_over_all_roles_equals_one_role_at_a_time(
    logp: np.ndarray, trans: np.ndarray, start: np.ndarray
) -> None:
    from onrecord.learn.decode import viterbi_roles

    together = viterbi_roles(logp, trans, start)
    for k in range(len(ROLES)):
        assert together[:, k].tolist() == viterbi(logp[:, k, :], trans[k], start[k]).tolist()


def test_training_without_torch_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from onrecord.training.fit import _torch

    real_import = builtins.__import__

    def no_torch(name: str, *args: object, **kwargs: object) -> object:
        if name == "torch":
            raise ImportError("No module named 'torch'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(ModelError, match=r"\[E003\].*onrecord\[train\]"):
        _torch()


# -- the encoder's windows and pooling (the same code cuts training data and run-time input) ------


@given(
    counts=st.lists(st.integers(min_value=0, max_value=7), min_size=1, max_size=60),
    limit=st.integers(min_value=1, max_value=12),
    cut=st.integers(min_value=0, max_value=60),
)
@settings(max_examples=200, deadline=None)
def test_windows_cover_each_chunk_and_hold_at_most_the_limit(counts: list[int], limit: int, cut: int) -> None:
    from onrecord.learn.encoder import windows

    n = len(counts)
    chunk_list = [(0, min(cut, n)), (min(cut, n), n)]
    chunk_list = [(lo, hi) for lo, hi in chunk_list if hi > lo]
    owners = np.repeat(np.arange(n), counts)
    got = windows(owners, n, chunk_list, max_pieces=limit)
    # windows tile the chunks in order, never crossing a chunk's edge
    assert got[0][0] == 0 and got[-1][1] == n
    assert all(a[1] == b[0] for a, b in itertools.pairwise(got))
    edges = {lo for lo, _ in chunk_list}
    assert edges <= {lo for lo, _ in got}
    for lo, hi in got:
        pieces = sum(counts[lo:hi])
        # over the limit only when one token alone is
        assert pieces <= limit or hi - lo == 1, (lo, hi, pieces)


def test_window_inputs_and_mean_pool_put_each_token_back_together() -> None:
    from onrecord.learn.encoder import mean_pool, window_inputs

    pieces = np.array([11, 12, 13, 14, 15], dtype=np.int64)
    owners = np.array([0, 0, 2, 3, 3], dtype=np.int64)  # token 1 is whitespace: no pieces
    ids, slots = window_inputs(pieces, owners, (1, 4), cls=101, sep=102)
    assert ids.tolist() == [101, 13, 14, 15, 102]
    assert slots.tolist() == [-1, 1, 2, 2, -1]  # relative to the window's first token
    states = np.arange(10, dtype=np.float32).reshape(5, 2)
    pooled = mean_pool(states, slots, 3)
    assert pooled.tolist() == [[0.0, 0.0], [2.0, 3.0], [5.0, 6.0]]


def test_mean_pool_gives_each_token_the_mean_of_its_pieces_in_order_or_not() -> None:
    from onrecord.learn.encoder import mean_pool

    rng = np.random.default_rng(7)
    n = 40
    slots = np.sort(rng.integers(-1, n, size=120))  # in token order, some tokens without pieces
    states = rng.normal(size=(len(slots), 6)).astype(np.float32)
    expected = np.zeros((n, 6), dtype=np.float32)
    for token in range(n):
        mine = states[slots == token]
        if len(mine):
            expected[token] = mine.mean(axis=0)
    np.testing.assert_allclose(mean_pool(states, slots, n), expected, rtol=1e-5, atol=1e-6)
    shuffled = rng.permutation(len(slots))  # out of order: the slow path, the same means
    np.testing.assert_allclose(
        mean_pool(states[shuffled], slots[shuffled], n), expected, rtol=1e-5, atol=1e-6
    )
    assert not mean_pool(states[:0], slots[:0], 3).any()


def test_word_pieces_follow_spacy_tokens(tmp_path: Path) -> None:
    pytest.importorskip("tokenizers", reason="the encoder extra is not installed")
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    from onrecord.learn.encoder import WordPieces

    vocab = {
        p: i
        for i, p in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "she", "said", "un", "##heard", ",", "."])
    }
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.save(str(tmp_path / "tokenizer.json"))
    pieces = WordPieces(tmp_path / "tokenizer.json")
    assert pieces.markers == (2, 3)
    ids, owners = pieces.encode(["She", "said", "\n\n", "unheard", ",", "zzz"])
    assert ids.tolist() == [4, 5, 6, 7, 8, 1]
    assert owners.tolist() == [0, 1, 3, 3, 4, 5]  # the whitespace token (2) has none


def test_a_model_with_a_broken_tokenizer_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("tokenizers", reason="the encoder extra is not installed")
    from onrecord.learn.encoder import WordPieces

    (tmp_path / "tokenizer.json").write_text("{not json")
    with pytest.raises(ModelError, match="E004"):
        WordPieces(tmp_path / "tokenizer.json")


def test_onrecord_model_names_the_model_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from onrecord.learn.tagger import MODEL_ENV, forget_taggers, model_dir, shared_tagger

    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    monkeypatch.setenv(MODEL_ENV, str(copy))
    forget_taggers()
    try:
        assert model_dir() == copy and model_dir(MODEL_DIR) == MODEL_DIR  # an explicit path wins
        assert shared_tagger().path == copy
        monkeypatch.setenv(MODEL_ENV, str(tmp_path / "missing"))
        with pytest.raises(ModelError, match="E004"):
            shared_tagger()
        monkeypatch.delenv(MODEL_ENV)
        assert shared_tagger().path == MODEL_DIR
    finally:
        forget_taggers()


def test_the_extractor_fingerprint_covers_an_encoders_files(tmp_path: Path) -> None:
    import hashlib

    from onrecord import LEARNED_EXTRACTOR
    from onrecord.corpus.ingest import extractor_version

    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    # the shipped model has an encoder: the digest of the tagger's three files, then the encoder's two
    digest = hashlib.sha256()
    for name in ("tagger.onnx", "meta.json", "vocab.json", "encoder.onnx", "tokenizer.json"):
        digest.update((copy / name).read_bytes())
    shipped = extractor_version("accurate", str(copy))
    assert shipped == f"{LEARNED_EXTRACTOR}+{digest.hexdigest()[:10]}" == extractor_version("accurate")
    (copy / "encoder.onnx").write_bytes(b"one")
    changed = extractor_version("accurate", str(copy))
    (copy / "encoder.onnx").unlink()
    (copy / "tokenizer.json").unlink()
    # without an encoder (a model from before the encoder): the three files alone, as corpora recorded it
    plain = hashlib.sha256()
    for name in ("tagger.onnx", "meta.json", "vocab.json"):
        plain.update((copy / name).read_bytes())
    without = extractor_version("accurate", str(copy))
    assert without == f"{LEARNED_EXTRACTOR}+{plain.hexdigest()[:10]}"
    assert len({shipped, changed, without}) == 3


def test_a_model_whose_inputs_disagree_with_its_meta_is_refused_at_load(tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    # the shipped model reads the encoder's states and not spaCy's tok2vec vectors
    assert (
        meta["format"] == "onrecord.tagger.v2" and meta["tok2vec"] is False and meta["encoder"]["dim"] == 384
    )
    meta.update(tok2vec=True)  # says it reads the vectors too
    (copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match=r"\[E004\].*reads 384 floats per token, meta.json describes 480"):
        LearnedTagger(copy)
