"""``FastAttributeRuler`` gives the tokens spaCy's ``AttributeRuler`` gives, over the same patterns."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from shared_data import need_data
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from onrecord.nlp.attributes import FastAttributeRuler, replace_attribute_ruler
from onrecord.nlp.model import MODEL_PACKAGE, load_model

SENTENCES = [
    # the tag map, "n't", "ai n't", "gon na", "is" as AUX, "'s", "let 's", objects "it"/"you"
    "He ain't gonna say it, and she's not going to tell you what it's worth.",
    "Let's see: there are two ways, and there was no doubt that it was over.",
    "I did it because you asked, whether or not they'd have done it too.",
    "Y'all know nothin' about c'mon, gotta go.  \n\n  Tabs\tand   spaces too.",
    "Which one? That one, the senator said; those who disagreed left.",
    "",
]


def _original() -> Any:
    """The checked pipeline with spaCy's own attribute ruler, as the package loads it."""
    nlp = importlib.import_module(MODEL_PACKAGE).load()
    return nlp


def _tokens(doc: Doc) -> list[tuple[Any, ...]]:
    return [(t.tag_, t.pos_, t.morph.key, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


def _both(nlp: Any, text: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """One text through the pipeline up to the ruler, then through spaCy's ruler and the fast one
    on two copies of the same doc, then through the rest."""
    ruler = nlp.get_pipe("attribute_ruler")
    fast = FastAttributeRuler.from_ruler(ruler)
    assert fast is not None
    names = nlp.pipe_names
    k = names.index("attribute_ruler")
    doc = nlp.make_doc(text)
    for _, proc in nlp.pipeline[:k]:
        doc = proc(doc)
    a, b = ruler(doc.copy()), fast(doc.copy())
    for _, proc in nlp.pipeline[k + 1 :]:
        a, b = proc(a), proc(b)
    return _tokens(a), _tokens(b)


@pytest.fixture(scope="module")
def original() -> Any:
    return _original()


@pytest.mark.parametrize("text", SENTENCES)
def test_same_tokens_as_spacy(original: Any, text: str) -> None:
    spacy_tokens, fast_tokens = _both(original, text)
    assert fast_tokens == spacy_tokens


def test_model_patterns_are_covered(original: Any) -> None:
    fast = FastAttributeRuler.from_ruler(original.get_pipe("attribute_ruler"))
    assert fast is not None
    assert fast.n_table == 56  # en_core_web_sm 3.8.0's tag map comes first
    assert len(fast.rules) == len(original.get_pipe("attribute_ruler").patterns)


def test_load_model_swaps_the_ruler_in_place() -> None:
    nlp = load_model()
    assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert "senter" in nlp.component_names and not isinstance(nlp.get_pipe("senter"), FastAttributeRuler)
    doc = nlp("They aren't here.")
    assert [t.pos_ for t in doc] == ["PRON", "AUX", "PART", "ADV", "PUNCT"]


def _ruler(nlp: Any, patterns: list[dict[str, Any]]) -> AttributeRuler:
    ruler = AttributeRuler(nlp.vocab, name="attribute_ruler")
    ruler.add_patterns(patterns)
    return ruler


def test_order_index_and_every_test_kind(original: Any) -> None:
    """Later patterns win, negative indices count from the end, and each kind of test (equality,
    IN, NOT_IN, REGEX, booleans, sequences) matches as spaCy's Matcher does."""
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"TAG": "NNP"}]], "attrs": {"POS": "PROPN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "X", "MORPH": "_"}},  # overrides the first
        {"patterns": [[{"LOWER": "cat", "TAG": "NN"}]], "attrs": {"POS": "PROPN", "LEMMA": "kitty"}},
        {
            "patterns": [[{"LOWER": {"IN": ["the", "a"]}}, {"TAG": "NN"}]],
            "attrs": {"LEMMA": "det"},
            "index": -2,
        },
        {"patterns": [[{"LOWER": {"REGEX": "^m.t$"}}]], "attrs": {"MORPH": "Foo=Bar"}},
        {
            "patterns": [[{"TAG": {"NOT_IN": ["NN", "DT", ""]}, "IS_SPACE": False}]],
            "attrs": {"LEMMA": "other"},
        },
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
        {"patterns": [[{"text": "Tom"}], [{"ORTH": "Kim"}]], "attrs": {"LEMMA": "person"}},
        # alternatives of different lengths: a negative index counts from each one's own end
        {
            "patterns": [[{"LOWER": "the"}, {"LOWER": "cat"}], [{"LOWER": "sat"}]],
            "attrs": {"LEMMA": "x"},
            "index": -1,
        },
    ]
    nlp = _original()
    index = [name for name, _ in nlp._components].index("attribute_ruler")
    nlp._components[index] = ("attribute_ruler", _ruler(nlp, patterns))
    for text in ("The cat sat on the mat with Tom and Kim.  A dog.", "cat", "mat mat"):
        spacy_tokens, fast_tokens = _both(nlp, text)
        assert fast_tokens == spacy_tokens, text


def test_patterns_outside_the_subset_keep_spacy(original: Any) -> None:
    nlp = _original()
    for pattern in (
        [{"LOWER": "a", "OP": "?"}],  # an operator
        [{"LIKE_NUM": True}],  # an attribute the numpy matching does not read
        [{"LENGTH": {">=": 3}}],  # a comparison
    ):
        ruler = _ruler(nlp, [{"patterns": [pattern], "attrs": {"LEMMA": "x"}}])
        assert FastAttributeRuler.from_ruler(ruler) is None
        index = [name for name, _ in nlp._components].index("attribute_ruler")
        nlp._components[index] = ("attribute_ruler", ruler)
        assert not replace_attribute_ruler(nlp)
        assert nlp.get_pipe("attribute_ruler") is ruler


@pytest.mark.slow
def test_same_tokens_on_polnear_dev(original: Any) -> None:
    from onrecord.datasets.polnear import data_dir, gold_annotators

    data = data_dir(need_data("polnear"))
    differ, tokens = 0, 0
    for doc_id in list(gold_annotators(data, "dev"))[:30]:
        text = (data / "dev" / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
        spacy_tokens, fast_tokens = _both(original, text)
        tokens += len(spacy_tokens)
        differ += sum(a != b for a, b in zip(spacy_tokens, fast_tokens, strict=True))
    assert tokens > 20_000
    assert differ == 0
