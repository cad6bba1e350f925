"""One engine: ``Pipeline.process`` and the spaCy component ``onrecord_quotes_v1`` give the
same whole output (quotations, entities, relations and stances), on invented texts and on
PolNeAR dev and the seed.

Invented texts only in this file; the corpus texts are read from ``../shared/data``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.metadata import entry_points

import pytest
from shared_data import need_data
from spacy.language import Language

from onrecord.component import FACTORY, article_of
from onrecord.ingest import Document
from onrecord.nlp.model import load_pipeline
from onrecord.pipeline import Pipeline

TEXTS = [
    "“We will reopen the pier,” Samuel Okafor told reporters on Friday. He praised the crews.",
    "Harbour authority chair Elena Duarte criticised councillor Ben Lutz. “The fees are a "
    "disgrace,” she said in a statement. Lutz called for a national inquiry into the ferries.",
    "The harbour reopened on Tuesday after a week of storms.",
    "",
    "According to Elena Duarte, the repairs will cost more than two million pounds. Ana Ortiz, "
    "a former minister, wrote on Facebook: “Thank you to every crew member.” Both said the "
    "plan was sound.",
]


@pytest.fixture(scope="module", params=["accurate", "fast"])
def both(request: pytest.FixtureRequest) -> Iterator[tuple[Pipeline, Language]]:
    nlp = load_pipeline()
    nlp.add_pipe(FACTORY, config={"mode": request.param})
    yield Pipeline(mode=request.param), nlp


def outputs(pair: tuple[Pipeline, Language], texts: list[str]) -> Iterator[tuple[str, str]]:
    """(pipeline JSON, component JSON) for each text."""
    pipeline, nlp = pair
    articles = pipeline.process(Document(text=t) for t in texts)
    for article, doc in zip(articles, nlp.pipe(texts), strict=True):
        assert doc._.onrecord_error is None
        yield (
            json.dumps(article.to_dict(), sort_keys=True),
            json.dumps(article_of(doc).to_dict(), sort_keys=True),
        )


def test_component_gives_what_the_pipeline_gives(both: tuple[Pipeline, Language]) -> None:
    found = list(outputs(both, TEXTS))
    assert [p for p, _ in found] == [c for _, c in found]
    second = json.loads(found[1][1])
    assert second["relations"] and second["quotes"], "the texts must exercise relations and quotations"


def test_component_gives_relations_and_stances(both: tuple[Pipeline, Language]) -> None:
    _, nlp = both
    doc = nlp(TEXTS[1])
    assert [r.predicate for r in doc._.relations] == ["criticises"]
    assert [(s.holder.name, s.stance) for s in doc._.stances] == [("Ben Lutz", "for")]


@pytest.mark.slow
def test_identical_on_polnear_dev_and_the_seed() -> None:
    texts = [
        p.read_text(encoding="utf-8")
        for p in sorted(need_data("polnear", "data", "dev", "text").glob("*.txt"))
    ]
    texts += [p.read_text(encoding="utf-8") for p in sorted(need_data("seed").glob("*.txt"))]
    assert len(texts) >= 80
    nlp = load_pipeline()
    nlp.add_pipe(FACTORY)
    different = [i for i, (p, c) in enumerate(outputs((Pipeline(), nlp), texts)) if p != c]
    assert different == []


def test_the_factory_is_registered_by_its_entry_point() -> None:
    """spaCy finds the component by name without ``import onrecord.component`` (pyproject's
    ``spacy_factories`` entry point); the name carries its version (spaCy forbids dots)."""
    names = {e.name: e.value for e in entry_points(group="spacy_factories")}
    assert names.get(FACTORY) == "onrecord.component:make_onrecord"
    assert FACTORY.endswith("_v1")
