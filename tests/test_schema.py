"""The ``onrecord.article.v4`` schema: what ``Article.to_dict`` writes validates, what it never
writes does not, records round-trip, and docs/format.md documents every field."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from onrecord.model import SCHEMA, Article, Entity, Quote, Span, Speaker
from onrecord.schema import load_schema

FORMAT_DOC = Path(__file__).resolve().parent.parent / "docs" / "format.md"

TEXT = (
    'Harbour City approved a new ferry timetable on Tuesday. "This will cut waiting times in half," '
    "Mayor Elena Duarte told reporters at the pier. Transport director Samuel Okafor said in a statement "
    "that the changes would start in March."
)


def span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span.of(text, start, start + len(part))


def ferry_article() -> Article:
    return Article(
        text=TEXT,
        source_path="ferry.txt",
        title="Ferry timetable approved",
        published="2025-03-04",
        outlet="Harbour City Courier",
        author="Ana Ruiz",
        url="https://example.com/ferry",
        entities=[
            Entity("e1", "Elena Duarte", "person", [span(TEXT, "Elena Duarte")], ["Mayor"], "unknown"),
            Entity(
                "e2",
                "Samuel Okafor",
                "person",
                [span(TEXT, "Samuel Okafor")],
                ["Transport director"],
                "male",
                ["first name: Samuel"],
            ),
        ],
        quotes=[
            Quote(
                "q1",
                "direct",
                [span(TEXT, '"This will cut waiting times in half,"')],
                cue=span(TEXT, "told"),
                source=span(TEXT, "Mayor Elena Duarte"),
                speaker=Speaker("e1", "Elena Duarte"),
                addressee=span(TEXT, "reporters"),
                confidence=0.9,
                extractor="onrecord.rules.v1@0.2.0",
            ),
            Quote(
                "q2",
                "indirect",
                [span(TEXT, "the changes would start in March")],
                cue=span(TEXT, "said"),
                source=span(TEXT, "Transport director Samuel Okafor"),
                speaker=Speaker("e2", "Samuel Okafor"),
                medium=span(TEXT, "a statement"),
                confidence=0.8,
                extractor="onrecord.rules.v1@0.2.0",
            ),
        ],
    )


def split_quote_article() -> Article:
    """A direct quotation interrupted by its cue, unresolved, with an unnamed group entity."""
    text = '"We waited," residents said, "for two hours."'
    return Article(
        text=text,
        entities=[Entity("g1", "residents", "group", [span(text, "residents")])],
        quotes=[
            Quote(
                "q1",
                "direct",
                [span(text, "We waited,"), span(text, "for two hours.")],
                cue=span(text, "said"),
                source=span(text, "residents"),
                confidence=0.123456,
            )
        ],
    )


def group_quote_article() -> Article:
    """A quotation whose source names two people: ``speaker`` is their group, ``speakers`` each."""
    text = '"We are sorry," reply Ada Stone and Ben Lutz.'
    return Article(
        text=text,
        entities=[
            Entity(
                "e1",
                "Ada Stone",
                "person",
                [span(text, "Ada Stone")],
                gender="female",
                gender_evidence=["she"],
            ),
            Entity("e2", "Ben Lutz", "person", [span(text, "Ben Lutz")], gender="unknown"),
            Entity("e3", "Ada Stone and Ben Lutz", "group", [span(text, "Ada Stone and Ben Lutz")]),
        ],
        quotes=[
            Quote(
                "q1",
                "direct",
                [span(text, '"We are sorry,"')],
                cue=span(text, "reply"),
                source=span(text, "Ada Stone and Ben Lutz"),
                speaker=Speaker("e3", "Ada Stone and Ben Lutz"),
                speakers=[Speaker("e1", "Ada Stone"), Speaker("e2", "Ben Lutz")],
            )
        ],
    )


HAND_BUILT = {
    "ferry": ferry_article,
    "group quote": group_quote_article,
    "split quote": split_quote_article,
    "no quotations": lambda: Article(text="Nothing was said today."),
    "empty text": lambda: Article(text=""),
    "empty span": lambda: Article(text="abc", quotes=[Quote("q1", "indirect", [Span.of("abc", 1, 1)])]),
}


def validate(data: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(data)


def test_schema_is_a_valid_draft_2020_12_schema() -> None:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"]["const"] == SCHEMA


def test_load_schema_returns_a_fresh_copy() -> None:
    load_schema()["title"] = "changed"
    assert load_schema()["title"] != "changed"


@pytest.mark.parametrize("build", HAND_BUILT.values(), ids=HAND_BUILT.keys())
def test_hand_built_articles_validate_and_round_trip(build: Any) -> None:
    article = build()
    assert article.bad_spans() == []
    data = article.to_dict()
    validate(data)
    again = Article.from_dict(json.loads(json.dumps(data)))
    assert again.to_dict() == data
    assert again == Article.from_dict(data)


def test_round_trip_keeps_every_field() -> None:
    article = ferry_article()
    assert Article.from_dict(article.to_dict()) == article


def _set(path: str, value: Any) -> Any:
    """A mutation of the ferry article's dict: set (or, for value DELETE, remove) a dotted path."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if key.isdigit() else node[key]
        if value is DELETE:
            del node[last]
        elif last.isdigit():
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


DELETE = object()

BAD = {
    "wrong schema name": _set("schema", "onrecord.article.v9"),
    "text missing": _set("text", DELETE),
    "text not a string": _set("text", None),
    "unknown article field": _set("status", "ok"),
    "negative start": _set("quotes.0.cue.start", -1),
    "float offset": _set("quotes.0.cue.end", 118.5),
    "string offset": _set("quotes.0.content.0.start", "57"),
    "span without text": _set("quotes.0.cue.text", DELETE),
    "span with extra field": _set("quotes.0.cue.label", "cue"),
    "unknown quote type": _set("quotes.0.type", "paraphrase"),
    "no content": _set("quotes.0.content", []),
    "content not a list": _set("quotes.0.content", {"start": 0, "end": 1, "text": "H"}),
    "confidence above 1": _set("quotes.0.confidence", 1.5),
    "speaker without entity": _set("quotes.0.speaker", {"name": "Elena Duarte"}),
    "speakers with one member": _set("quotes.0.speakers", [{"entity": "e1", "name": "Elena Duarte"}]),
    "speakers not speakers": _set("quotes.0.speakers", ["Elena Duarte", "Samuel Okafor"]),
    "quote field missing": _set("quotes.1.medium", DELETE),
    "unknown entity kind": _set("entities.0.kind", "animal"),
    "description not a string": _set("entities.0.descriptions", [3]),
    "entities not a list": _set("entities", None),
}


@pytest.mark.parametrize("mutate", BAD.values(), ids=BAD.keys())
def test_records_to_dict_never_writes_do_not_validate(mutate: Any) -> None:
    data = copy.deepcopy(ferry_article().to_dict())
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_schema_requires_exactly_the_fields_to_dict_writes() -> None:
    schema = load_schema()
    defs = schema["$defs"]
    article = ferry_article()
    quote, entity = article.quotes[0], article.entities[0]
    assert quote.cue is not None and quote.speaker is not None
    pairs = [
        (schema, article.to_dict()),
        (defs["quote"], quote.to_dict()),
        (defs["entity"], entity.to_dict()),
        (defs["span"], quote.cue.to_dict()),
        (defs["speaker"], quote.speaker.to_dict()),
    ]
    for part, data in pairs:
        optional = (
            {"speakers"}
            if part is defs["quote"]
            else {"gender", "gender_evidence"}
            if part is defs["entity"]
            else set()
        )
        assert set(part["required"]) == set(data) - optional == set(part["properties"]) - optional
    group = group_quote_article().quotes[0].to_dict()
    assert set(group) == set(defs["quote"]["properties"])
    assert [s["name"] for s in group["speakers"]] == ["Ada Stone", "Ben Lutz"]


def test_a_person_carries_a_gender_and_nothing_else_does() -> None:
    schema = load_schema()
    person = ferry_article().entities[1].to_dict()
    assert (person["gender"], person["gender_evidence"]) == ("male", ["first name: Samuel"])
    group = group_quote_article().entities[2].to_dict()
    assert "gender" not in group and "gender_evidence" not in group
    article = ferry_article().to_dict()
    jsonschema.validate(article, schema)
    for change in ("drop", "add"):
        bad = copy.deepcopy(article)
        if change == "drop":
            del bad["entities"][0]["gender"]  # a person without one
        else:
            bad["entities"][0]["kind"] = "organization"  # an organisation with one
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_a_lone_speaker_writes_no_speakers_list() -> None:
    quote = ferry_article().quotes[0]
    quote.speakers = [Speaker("e1", "Elena Duarte")]
    assert "speakers" not in quote.to_dict()


def test_older_records_still_read() -> None:
    for old in ("onrecord.article.v1", "onrecord.article.v2", "onrecord.article.v3"):
        data = ferry_article().to_dict() | {"schema": old}
        assert Article.from_dict(data).quotes[1].speaker == Speaker("e2", "Samuel Okafor")


@st.composite
def articles(draw: st.DrawFn) -> Article:
    text = draw(st.text(max_size=80))

    def any_span() -> Span:
        start = draw(st.integers(0, len(text)))
        return Span.of(text, start, draw(st.integers(start, len(text))))

    def maybe_span() -> Span | None:
        return any_span() if draw(st.booleans()) else None

    names = st.text(min_size=1, max_size=12)
    entities = []
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["person", "organization", "group", "unnamed"]))
        person = kind == "person"
        entities.append(
            Entity(
                f"e{i}",
                draw(names),
                kind,  # type: ignore[arg-type]
                [any_span() for _ in range(draw(st.integers(0, 2)))],
                draw(st.lists(names, max_size=2)),
                draw(st.sampled_from(["female", "male", "unknown"])) if person else None,
                draw(st.lists(names, max_size=2)) if person else [],
            )
        )
    quotes = []
    for i in range(draw(st.integers(0, 3))):
        speaker = draw(st.sampled_from([None, *entities]))
        quotes.append(
            Quote(
                f"q{i}",
                draw(st.sampled_from(["direct", "mixed", "indirect"])),
                [any_span() for _ in range(draw(st.integers(1, 3)))],
                cue=maybe_span(),
                source=maybe_span(),
                speaker=Speaker(speaker.id, speaker.name) if speaker is not None else None,
                medium=maybe_span(),
                addressee=maybe_span(),
                confidence=draw(st.floats(0, 1).map(lambda x: round(x, 4))),
                extractor=draw(st.text(max_size=10)),
            )
        )
    optional = st.none() | st.text(max_size=10)
    return Article(
        text=text,
        source_path=draw(optional),
        title=draw(optional),
        published=draw(optional),
        outlet=draw(optional),
        author=draw(optional),
        url=draw(optional),
        entities=entities,
        quotes=quotes,
    )


@given(articles())
def test_any_sound_article_validates_and_round_trips(article: Article) -> None:
    data = article.to_dict()
    validate(data)
    assert Article.from_dict(data) == article
    assert Article.from_dict(data).bad_spans() == []


def _doc_example() -> dict[str, Any]:
    blocks = re.findall(r"```json\n(.*?)```", FORMAT_DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


def test_the_documented_example_validates_and_its_offsets_slice_back() -> None:
    data = _doc_example()
    validate(data)
    assert Article.from_dict(data).bad_spans() == []


def test_the_documented_example_is_the_ferry_article() -> None:
    assert _doc_example() == ferry_article().to_dict()


def _property_names(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = set(node.get("properties", {}))
        for value in node.values():
            found |= _property_names(value)
        return found
    if isinstance(node, list):
        return set().union(*(_property_names(item) for item in node)) if node else set()
    return set()


def test_every_field_is_documented() -> None:
    doc = FORMAT_DOC.read_text(encoding="utf-8")
    missing = sorted(name for name in _property_names(load_schema()) if f"`{name}`" not in doc)
    assert missing == []
