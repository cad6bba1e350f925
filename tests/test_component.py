"""The ``onrecord`` spaCy component and the checked model loader.

``nlp = load_pipeline(); nlp.add_pipe("onrecord_quotes_v1")``: ``doc._.quotes`` and the
``doc.spans["onrecord_*"]`` groups are set and agree with each other; ``nlp.pipe`` works over
several texts; a wrong model is refused with E002 and a missing one with E001.

Every text here is invented.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import ClassVar

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import onrecord.nlp.model as model_module
from onrecord.attribution.candidates import Candidate
from onrecord.errors import Errors, ModelError
from onrecord.model import Entity, Quote
from onrecord.nlp.model import MODEL_NAME, MODEL_VERSION, check_meta, load_model, load_pipeline

TEXT = (
    "Harbour authority chair Elena Duarte and councillor Samuel Okafor visited the pier on Friday.\n"
    "“The crossing is safe,” Ms Duarte said. “We checked every vessel twice.”\n"
    "Samuel Okafor said in a statement that the harbour fees were too high."
)
TEXTS = [
    "“We will reopen the pier,” Samuel Okafor told reporters on Friday.",
    "The harbour reopened on Tuesday after a week of storms.",
    "According to Elena Duarte, the repairs will cost more than two million pounds.",
    "",
    "Elena Duarte wrote on Facebook: “Thank you to every crew member.”",
]


@pytest.fixture(scope="module")
def nlp() -> Iterator[Language]:
    nlp = load_pipeline()
    nlp.add_pipe("onrecord_quotes_v1")
    yield nlp


def test_pipeline_order(nlp: Language) -> None:
    names = nlp.pipe_names
    assert names[-1] == "onrecord_quotes_v1"
    assert names.index("onrecord_paragraphs") < names.index("parser")
    assert {"parser", "ner"} <= set(names)


def test_every_line_opens_a_sentence(nlp: Language) -> None:
    """A headline without a full stop, a quotation's last line and the next paragraph: the
    parser never joins two lines into one sentence, and leaves its own boundaries inside a line."""
    text = (
        "Harbour fees to rise in spring\n"
        "\u201cWe checked every vessel twice\n\n"
        "the council said on Friday. Fees will rise. Ferries will not.\n"
    )
    doc = nlp(text)
    line_starts = {0} | {i + 1 for i, c in enumerate(text) if c == "\n" and i + 1 < len(text)}
    starts = {s.start_char for s in doc.sents}
    assert {t.idx for t in doc if t.idx in line_starts and not t.is_space} <= starts
    assert text.index("Fees") in starts and text.index("Ferries") in starts


def test_a_word_in_lower_case_after_a_word_opens_no_sentence(nlp: Language) -> None:
    """The parser cut 'Ortiz and Patel said ...' after its first name where it opened a text; a
    word in lower case right after another word goes on the sentence."""
    text = "Harbour news\n\nOrtiz and Patel said the pier would reopen. It will."
    doc = nlp(text)
    starts = {s.start_char for s in doc.sents}
    assert text.index("Ortiz") in starts and text.index("It will") in starts
    assert text.index("and") not in starts


def test_quotes_and_span_groups_are_set(nlp: Language) -> None:
    doc = nlp(TEXT)
    quotes: list[Quote] = doc._.quotes
    assert doc._.onrecord_error is None
    assert len(quotes) == 2
    first, second = quotes
    assert first.speaker is not None and first.speaker.name == "Elena Duarte"
    assert first.cue is not None and first.cue.text == "said"
    assert first.source is not None and first.source.text == "Ms Duarte"
    assert len(first.content) == 2
    assert second.speaker is not None and second.speaker.name == "Samuel Okafor"
    assert second.medium is not None and second.medium.text == "a statement"
    speakers: list[Entity] = doc._.speakers
    assert {e.name for e in speakers} >= {"Elena Duarte", "Samuel Okafor"}


def test_span_groups_align_with_the_quotes(nlp: Language) -> None:
    doc = nlp(TEXT)
    quotes: list[Quote] = doc._.quotes
    content = [(s.label_, s.start_char, s.end_char, s.text) for s in doc.spans["onrecord_content"]]
    assert content == [(q.id, c.start, c.end, c.text) for q in quotes for c in q.content]
    for role in ("cue", "source"):
        group = [(s.label_, s.start_char, s.end_char, s.text) for s in doc.spans[f"onrecord_{role}"]]
        expected = [
            (q.id, span.start, span.end, span.text) for q in quotes if (span := getattr(q, role)) is not None
        ]
        assert group == expected
    for quote in quotes:
        for span in quote.spans():
            assert doc.text[span.start : span.end] == span.text


def test_pipe_over_several_texts(nlp: Language) -> None:
    docs = list(nlp.pipe(TEXTS, batch_size=2))
    assert [doc.text for doc in docs] == TEXTS
    counts = [len(doc._.quotes) for doc in docs]
    assert counts == [1, 0, 1, 0, 1]
    for doc in docs:
        assert doc._.onrecord_error is None
        assert len(doc.spans["onrecord_content"]) == sum(len(q.content) for q in doc._.quotes)
    assert docs[0]._.quotes[0].addressee.text == "reporters"
    assert docs[4]._.quotes[0].medium.text == "Facebook"


def test_pipe_matches_single_calls(nlp: Language) -> None:
    piped = [[q.to_dict() for q in doc._.quotes] for doc in nlp.pipe(TEXTS)]
    single = [[q.to_dict() for q in nlp(text)._.quotes] for text in TEXTS]
    assert piped == single


def test_a_failing_doc_does_not_stop_the_batch(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    import onrecord.attribution

    real = onrecord.attribution.attribute

    def flaky(doc: Doc) -> list[Candidate]:
        if "storms" in doc.text:
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(onrecord.attribution, "attribute", flaky)
    docs = list(nlp.pipe(TEXTS))
    assert docs[1]._.onrecord_error == "RuntimeError: boom"
    assert docs[1]._.quotes == [] and docs[1]._.speakers == []
    assert len(docs[0]._.quotes) == 1 and docs[0]._.onrecord_error is None


def test_component_on_a_hand_built_doc(nlp: Language) -> None:
    """The component needs a parse: run the pipeline's earlier stages on a Doc built from words."""
    words = ["“", "We", "will", "win", ",", "”", "Ms", "Duarte", "said", "."]
    spaces = [False, True, True, False, False, True, True, True, False, False]
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    assert doc.text == "“We will win,” Ms Duarte said."
    [quote] = doc._.quotes
    assert quote.content[0].text == "“We will win,”"
    assert quote.speaker is not None and quote.speaker.name == "Duarte"


# --- the model check ---------------------------------------------------------------------------


def test_check_meta_accepts_the_pinned_model() -> None:
    check_meta({"name": MODEL_NAME, "version": MODEL_VERSION})


@pytest.mark.parametrize(
    "meta",
    [
        pytest.param({"name": "core_web_md", "version": MODEL_VERSION}, id="wrong-name"),
        pytest.param({"name": MODEL_NAME, "version": "3.7.1"}, id="wrong-version"),
        pytest.param({}, id="no-meta"),
    ],
)
def test_check_meta_rejects_another_model(meta: dict[str, object]) -> None:
    with pytest.raises(ModelError) as err:
        check_meta(meta)
    message = str(err.value)
    assert message == Errors.E002.format(name=meta.get("name"), version=meta.get("version"))
    assert message.startswith("[E002]")
    assert err.value.status == 500


def test_missing_model_package_gives_e001(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> ModuleType:
        if name == model_module.MODEL_PACKAGE:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)  # what onrecord.nlp.model calls
    with pytest.raises(ModelError) as err:
        load_model()
    assert str(err.value) == Errors.E001
    assert str(err.value).startswith("[E001]")
    assert isinstance(err.value.__cause__, ImportError)


def test_wrong_model_package_gives_e002(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakePipeline:
        meta: ClassVar[dict[str, str]] = {"name": "core_web_lg", "version": "3.8.0"}

    class FakePackage:
        @staticmethod
        def load() -> FakePipeline:
            return FakePipeline()

    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> object:
        return FakePackage if name == model_module.MODEL_PACKAGE else real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(ModelError) as err:
        load_model()
    assert str(err.value) == Errors.E002.format(name="core_web_lg", version="3.8.0")


def _layer_ops(nlp: Language) -> set[tuple[str, bool]]:
    """(ops class, uses BLIS) of every layer of every component's model."""
    return {
        (type(node.ops).__name__, bool(getattr(node.ops, "use_blis", False)))
        for _, component in nlp.pipeline
        if getattr(component, "model", None) is not None
        for node in component.model.walk()
    }


def test_the_model_multiplies_with_numpy_unless_told_blis(monkeypatch: pytest.MonkeyPatch) -> None:
    """BLIS falls back to generic kernels on CPUs its build does not know (4.5 times slower than
    numpy's OpenBLAS on this project's machines), so every layer runs numpy's products;
    ``ONRECORD_GEMM=blis`` or ``gemm="blis"`` keeps thinc's default, which uses BLIS."""
    monkeypatch.delenv(model_module.GEMM_ENV, raising=False)
    numpy = load_model()
    assert _layer_ops(numpy) == {("NumpyOps", False)}
    assert _layer_ops(load_model(gemm="blis")) == {("NumpyOps", True)}
    monkeypatch.setenv(model_module.GEMM_ENV, "blis")
    blis = load_model()
    assert _layer_ops(blis) == {("NumpyOps", True)}
    # the same annotations either way (the products differ in the last bits of a float)
    one, two = numpy(TEXT), blis(TEXT)

    def annotations(doc: Doc) -> list[tuple[str, ...]]:
        return [(t.tag_, t.pos_, t.dep_, str(t.head.i), t.lemma_, t.ent_iob_, t.ent_type_) for t in doc]

    assert annotations(one) == annotations(two)
    assert abs(one.tensor - two.tensor).max() < 1e-4


def test_an_unknown_gemm_is_refused_before_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(model_module.GEMM_ENV, "mkl")
    monkeypatch.setattr(importlib, "import_module", lambda *a, **k: pytest.fail("loaded the model"))
    with pytest.raises(ModelError) as err:
        load_model()
    assert str(err.value) == Errors.E005.format(name="ONRECORD_GEMM", value="mkl", allowed="numpy, blis")
    assert str(err.value).startswith("[E005]")
