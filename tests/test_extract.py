"""``onrecord.extract(text, clean=False)`` end to end: the ``(text, expected)`` table.

The rows are the contract of the rule engine (``mode="fast"``); the learned mode is held to
the same rows, each a case of its own (``test_extract_accurate``), with its own known failures
(``ACCURATE_WRONG``).

Each row names one quotation by a key phrase of its content and states who said it (the
resolved speaker name), the quotation type, the cue, and the medium and addressee (``None``
where the text gives none). Negative rows expect no quotation, or none with a speaker. Rows
the engine gets wrong are ``xfail(strict=True)`` with the exact failure as the reason.

The spaCy model is loaded once per process (``onrecord.nlp.model.shared_model``), which the
module fixture warms up. Every text here is invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import pytest

import onrecord
from onrecord.model import Article, Quote
from onrecord.nlp.model import shared_model


@pytest.fixture(scope="module", autouse=True)
def model() -> Iterator[None]:
    shared_model()  # load once, before the first timed test
    yield


def extract(text: str) -> Article:
    return onrecord.extract(text, clean=False, mode="fast")


class Want(NamedTuple):
    content: tuple[str, ...]  # key phrases; the first picks the quotation, all must be in its content
    speaker: str | None
    type: str
    cue: str | None
    medium: str | None = None
    addressee: str | None = None
    pieces: int | None = None  # number of content spans, where it matters


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


ROWS = [
    # --- direct quotation with a cue after it --------------------------------------------------
    pytest.param(
        "Elena Duarte spoke on Tuesday. “The new timetable will help commuters,” she said.",
        Want(("help commuters",), "Elena Duarte", "direct", "said"),
        id="quote-comma-she-said",
    ),
    pytest.param(
        "“We are doing everything we can,” said Elena Duarte.",
        Want(("everything we can",), "Elena Duarte", "direct", "said"),
        id="quote-said-name-inverted",
    ),
    # --- medium: a news outlet as the object of "told" -----------------------------------------
    pytest.param(
        "Samuel Okafor told The Harbour Gazette: “We are not going to raise fares this year.”",
        Want(("raise fares",), "Samuel Okafor", "direct", "told", medium="The Harbour Gazette"),
        id="told-outlet-colon-quote",
    ),
    pytest.param(
        "Elena Duarte told BBC News: “We will not close the ferry route.”",
        Want(("close the ferry route",), "Elena Duarte", "direct", "told", medium="BBC News"),
        id="told-known-broadcaster",
    ),
    pytest.param(
        "Samuel Okafor told the Harbour Gazette that the council would vote in June.",
        Want(("vote in June",), "Samuel Okafor", "indirect", "told", medium="the Harbour Gazette"),
        id="told-outlet-that",
    ),
    pytest.param(
        "Samuel Okafor told Radio Kent: “The depot will stay open.”",
        Want(("depot will stay open",), "Samuel Okafor", "direct", "told", medium="Radio Kent"),
        id="told-radio-station",
    ),
    # --- medium: a prepositional phrase on the cue ---------------------------------------------
    pytest.param(
        "Elena Duarte said in a statement that the ferry service would resume on Monday.",
        Want(("ferry service would resume",), "Elena Duarte", "indirect", "said", medium="a statement"),
        id="said-in-a-statement-that",
    ),
    pytest.param(
        "Elena Duarte said in a statement: “The harbour is safe for every passenger.”",
        Want(("safe for every passenger",), "Elena Duarte", "direct", "said", medium="a statement"),
        id="said-in-a-statement-colon",
    ),
    pytest.param(
        "Elena Duarte wrote on Facebook: “Thank you to every crew member who worked through the storm.”",
        Want(("every crew member",), "Elena Duarte", "direct", "wrote", medium="Facebook"),
        id="wrote-on-facebook",
    ),
    pytest.param(
        "Samuel Okafor said on Facebook that the car park would reopen on Monday.",
        Want(("car park would reopen",), "Samuel Okafor", "indirect", "said", medium="Facebook"),
        id="said-on-facebook-that",
    ),
    pytest.param(
        "Elena Duarte said during a press conference that the ferry was safe.",
        Want(("ferry was safe",), "Elena Duarte", "indirect", "said", medium="a press conference"),
        id="said-during-press-conference",
    ),
    pytest.param(
        "Samuel Okafor said in a letter to the council that the harbour fees were too high.",
        Want(
            ("harbour fees were too high",),
            "Samuel Okafor",
            "indirect",
            "said",
            medium="a letter to the council",
            addressee="the council",
        ),
        id="letter-to-the-council",
    ),
    pytest.param(
        "Samuel Okafor wrote in a letter to residents that the car park would close.",
        Want(
            ("car park would close",),
            "Samuel Okafor",
            "indirect",
            "wrote",
            medium="a letter to residents",
            addressee="residents",
        ),
        id="wrote-letter-to-residents",
    ),
    # --- addressee -----------------------------------------------------------------------------
    pytest.param(
        "Samuel Okafor told reporters the crossing would reopen within a week.",
        Want(("crossing would reopen",), "Samuel Okafor", "indirect", "told", addressee="reporters"),
        id="told-reporters",
    ),
    pytest.param(
        "“We will reopen the pier,” Samuel Okafor told reporters on Friday.",
        Want(("reopen the pier",), "Samuel Okafor", "direct", "told", addressee="reporters"),
        id="quote-told-reporters",
    ),
    pytest.param(
        "Samuel Okafor said to reporters that the depot would close.",
        Want(("depot would close",), "Samuel Okafor", "indirect", "said", addressee="reporters"),
        id="said-to-reporters",
    ),
    # --- "Speaking to X, Y told Z": medium from the participle, addressee from the cue ----------
    pytest.param(
        'Speaking to LBC, Elena Duarte told presenter Jo Miles that "the ferries will run on time from now on".',
        Want(("run on time",), "Elena Duarte", "direct", "told", medium="LBC", addressee="Jo Miles"),
        id="speaking-to-broadcaster-told-presenter",
    ),
    pytest.param(
        'Speaking to Radio Kent, Elena Duarte told presenter Jo Miles that "the ferries will run on time from now on".',
        Want(
            ("run on time",),
            "Elena Duarte",
            "direct",
            "told",
            medium="Radio Kent",
            addressee="Jo Miles",
        ),
        id="speaking-to-radio-station-told-presenter",
    ),
    pytest.param(
        "Speaking to the Harbour Gazette, Samuel Okafor said the buses would be replaced.",
        Want(("buses would be replaced",), "Samuel Okafor", "indirect", "said", medium="the Harbour Gazette"),
        id="speaking-to-newspaper-said",
    ),
    # --- a programme named by its broadcaster; a hyphenated role before the addressee ----------
    pytest.param(
        'Elena Duarte told Harbour TV\'s "Morning Tide" that the ferries would run all winter.',
        Want(
            ("ferries would run",), "Elena Duarte", "indirect", "told", medium='Harbour TV\'s "Morning Tide"'
        ),
        id="told-broadcaster-programme",
    ),
    pytest.param(
        "“The depot will close,” Samuel Okafor said on Harbour News’s “Island Hour”.",
        Want(("depot will close",), "Samuel Okafor", "direct", "said", medium="Harbour News’s “Island Hour”"),
        id="said-on-broadcaster-programme",
    ),
    pytest.param(
        "Samuel Okafor told the Gazette's weekly video series that the depot would close.",
        Want(
            ("depot would close",),
            "Samuel Okafor",
            "indirect",
            "told",
            medium="the Gazette's weekly video series",
        ),
        id="told-newspaper-possessive-series",
    ),
    pytest.param(
        "Elena Duarte told The Harbour Globe that the ferries would run all winter.",
        Want(("ferries would run",), "Elena Duarte", "indirect", "told", medium="The Harbour Globe"),
        id="told-masthead-globe",
    ),
    pytest.param(
        "Elena Duarte told co-host Jo Miles that the ferries would run all winter.",
        Want(("ferries would run",), "Elena Duarte", "indirect", "told", addressee="Jo Miles"),
        id="told-hyphenated-role-person",
    ),
    pytest.param(
        "Samuel Okafor posted a tweet claiming that the depot would close.",
        Want(("depot would close",), "Samuel Okafor", "indirect", "claiming", medium="a tweet"),
        id="cue-participle-on-medium-noun",
    ),
    pytest.param(
        "“The repairs were long overdue,” Samuel Okafor explained earlier in the council hearing.",
        Want(("long overdue",), "Samuel Okafor", "direct", "explained", medium="the council hearing"),
        id="cue-adverb-in-hearing",
    ),
    # --- indirect and mixed --------------------------------------------------------------------
    pytest.param(
        "Samuel Okafor said that the new pier would open in the spring.",
        Want(("new pier would open",), "Samuel Okafor", "indirect", "said"),
        id="said-that",
    ),
    pytest.param(
        "Elena Duarte said the ticket plan was “a complete disaster for families”.",
        Want(("ticket plan", "complete disaster"), "Elena Duarte", "mixed", "said"),
        id="mixed-quoted-phrase",
    ),
    pytest.param(
        "Elena Duarte said the plan was “unfair”.",
        Want(("the plan was",), "Elena Duarte", "mixed", "said"),
        id="mixed-one-word",
    ),
    pytest.param(
        "According to Samuel Okafor, the repairs will cost more than two million pounds.",
        Want(("repairs will cost",), "Samuel Okafor", "indirect", "According to"),
        id="according-to",
    ),
    pytest.param(
        "Elena Duarte tweeted that the ferry was back in service.",
        Want(("back in service",), "Elena Duarte", "indirect", "tweeted"),
        id="tweeted-that",
    ),
    # --- one statement in two pieces -----------------------------------------------------------
    pytest.param(
        "“The crossing is safe,” Elena Duarte said. “We checked every vessel twice.”",
        Want(("crossing is safe", "every vessel twice"), "Elena Duarte", "direct", "said", pieces=2),
        id="quote-cue-period-quote",
    ),
    pytest.param(
        "“This is the right decision for the island,” Elena Duarte said, “and we will stand by it.”",
        Want(("right decision", "stand by it"), "Elena Duarte", "direct", "said", pieces=2),
        id="quote-cue-comma-quote",
    ),
    pytest.param(
        "“The crossing is safe,” Elena Duarte told reporters. “We checked every vessel twice.”",
        Want(
            ("crossing is safe", "every vessel twice"),
            "Elena Duarte",
            "direct",
            "told",
            addressee="reporters",
            pieces=2,
        ),
        id="quote-cue-addressee-quote",
    ),
    pytest.param(
        "“The crossing is safe,” Elena Duarte told The Harbour Gazette. “We checked every vessel twice.”",
        Want(
            ("crossing is safe", "every vessel twice"),
            "Elena Duarte",
            "direct",
            "told",
            medium="The Harbour Gazette",
            pieces=2,
        ),
        id="quote-cue-outlet-quote",
    ),
    pytest.param(
        "The plan, Elena Duarte said, would fail without more money.",
        Want(("The plan", "would fail"), "Elena Duarte", "indirect", "said", pieces=2),
        id="parenthetical-cue",
    ),
    pytest.param(
        "The plan, Elena Duarte told reporters, would fail without more money.",
        Want(("would fail", "The plan"), "Elena Duarte", "indirect", "told", addressee="reporters", pieces=2),
        id="parenthetical-told-reporters",
        marks=xfail(
            "the parse makes 'told' the root with 'fail' as its ccomp and 'plan' as a bare 'dep', so "
            "the ccomp rule wins over the parenthetical one and the content is only "
            "'would fail without more money' (no 'The plan', one piece)"
        ),
    ),
    # --- the speaker through the parse ----------------------------------------------------------
    pytest.param(
        "Samuel Okafor defended the plan and said the fares would stay the same.",
        Want(("fares would stay",), "Samuel Okafor", "indirect", "said"),
        id="conjoined-verb",
    ),
    pytest.param(
        "Elena Duarte visited the pier and told reporters that the repairs would start soon.",
        Want(("repairs would start",), "Elena Duarte", "indirect", "told", addressee="reporters"),
        id="conjoined-told-reporters",
    ),
    pytest.param(
        "Samuel Okafor defended the fares on Monday, adding: “No resident will pay more this year.”",
        Want(("pay more this year",), "Samuel Okafor", "direct", "adding"),
        id="adding-colon-quote",
    ),
    pytest.param(
        "Elena Duarte praised the crews on Monday, adding: “They kept the harbour open through the worst storm in years.”",
        Want(("worst storm",), "Elena Duarte", "direct", "adding"),
        id="adding-after-speech-verb",
    ),
    pytest.param(
        "Samuel Okafor, who chairs the transport committee, said the buses were too old.",
        Want(("buses were too old",), "Samuel Okafor", "indirect", "said"),
        id="subject-with-relative-clause",
    ),
    pytest.param(
        "“We want a reliable service,” one resident said.",
        Want(("reliable service",), "one resident", "direct", "said"),
        id="unnamed-source",
    ),
    # --- continuation paragraphs keep the speaker ------------------------------------------------
    pytest.param(
        "Samuel Okafor said the harbour would stay open all winter.\n"
        "“No passenger will be left behind on the quay this winter.”",
        Want(("left behind",), "Samuel Okafor", "direct", None),
        id="continuation-paragraph",
    ),
    pytest.param(
        "Elena Duarte said: “We have listened to every commuter who wrote to us.\n"
        "“We will publish the new timetable next week.”",
        Want(("publish the new timetable",), "Elena Duarte", "direct", None),
        id="multi-paragraph-quote",
    ),
    pytest.param(
        "Elena Duarte said: “We have listened to every commuter who wrote to us.\n"
        "“We will publish the new timetable next week.”",
        Want(("every commuter",), "Elena Duarte", "direct", "said"),
        id="multi-paragraph-quote-first-part",
    ),
    # --- pronouns: the right one of two people ---------------------------------------------------
    pytest.param(
        "Samuel Okafor and Elena Duarte met the union on Friday.\n"
        "Mr Okafor left early but Ms Duarte stayed until the end.\n"
        "“The talks went well,” she said.",
        Want(("talks went well",), "Elena Duarte", "direct", "said"),
        id="she-picks-ms",
    ),
    pytest.param(
        "Samuel Okafor and Elena Duarte met the union on Friday.\n"
        "Ms Duarte left early but Mr Okafor stayed until the end.\n"
        "“The talks went badly,” he said.",
        Want(("talks went badly",), "Samuel Okafor", "direct", "said"),
        id="he-picks-mr",
    ),
    pytest.param(
        "Mr Okafor visited the depot. Ms Duarte visited the pier. “We need more drivers,” he said.",
        Want(("more drivers",), "Okafor", "direct", "said"),
        id="he-skips-nearer-woman",
    ),
    pytest.param(
        "Elena Duarte said the pier was safe.\n"
        "The pier was built in 1902 and repaired in 1990.\n"
        "“We will check it again in the spring,” she added.",
        Want(("check it again",), "Elena Duarte", "direct", "added"),
        id="she-across-a-paragraph",
    ),
    pytest.param(
        "Ms Duarte spoke to Mr Okafor after the vote. He said the result was unfair.",
        Want(("result was unfair",), "Okafor", "indirect", "said"),
        id="he-after-mr-object",
    ),
    # --- names: surname and title forms join the full name ---------------------------------------
    pytest.param(
        "Elena Duarte and Samuel Okafor spoke after the vote. Duarte said the result was fair. "
        "Okafor said it was not.",
        Want(("result was fair",), "Elena Duarte", "indirect", "said"),
        id="surname-form",
    ),
    pytest.param(
        "Harbour authority chair Elena Duarte and councillor Samuel Okafor visited the pier on Friday.\n"
        "Ms Duarte said the pier needed urgent repairs.",
        Want(("urgent repairs",), "Elena Duarte", "indirect", "said"),
        id="title-form-ms",
    ),
    pytest.param(
        "Ms Duarte met Samuel Okafor on Friday. “The fares will rise,” Mr Okafor said.",
        Want(("fares will rise",), "Samuel Okafor", "direct", "said"),
        id="title-form-mr",
    ),
    # --- nominals: "the councillor" is the person described so -----------------------------------
    pytest.param(
        "Harbour authority chair Elena Duarte and councillor Samuel Okafor visited the pier on Friday.\n"
        "The councillor said the repairs could wait until the summer.",
        Want(("could wait",), "Samuel Okafor", "indirect", "said"),
        id="nominal-councillor",
    ),
    pytest.param(
        "Harbour authority chair Elena Duarte and councillor Samuel Okafor visited the pier on Friday.\n"
        "The chair said the repairs could not wait.",
        Want(("could not wait",), "Elena Duarte", "indirect", "said"),
        id="nominal-chair",
    ),
    pytest.param(
        "Samuel Okafor, a Labour councillor, opened the depot on Monday.\n"
        "The councillor said the buses were too old.",
        Want(("buses were too old",), "Samuel Okafor", "indirect", "said"),
        id="nominal-from-apposition",
    ),
]


def _pick(article: Article, phrase: str) -> Quote:
    found = [q for q in article.quotes if phrase in q.content_text]
    assert len(found) == 1, (
        f"{len(found)} quotations contain {phrase!r}: {[q.content_text for q in article.quotes]}"
    )
    return found[0]


def _text(span: object) -> str | None:
    return getattr(span, "text", None)


def _check(article: Article, want: Want, *, cue_as_polnear: bool = False) -> None:
    """``cue_as_polnear``: the learned mode marks cues as PolNeAR's annotators do, with the
    cue's own phrase and colon ("said in a statement:"); the expected cue must open it."""
    quote = _pick(article, want.content[0])
    got = Want(
        content=tuple(p for p in want.content if p in quote.content_text),
        speaker=quote.speaker.name if quote.speaker else None,
        type=quote.type,
        cue=want.cue
        if cue_as_polnear and (_text(quote.cue) or "").startswith(want.cue or "\0")
        else _text(quote.cue),
        medium=_text(quote.medium),
        addressee=_text(quote.addressee),
        pieces=len(quote.content) if want.pieces is not None else None,
    )
    assert got == want


@pytest.mark.parametrize("text, want", ROWS)
def test_extract(text: str, want: Want) -> None:
    _check(extract(text), want)


#: The rows the learned mode (``mode="accurate"``) gets wrong today, by id, with what goes
#: wrong. Fast mode's marks do not carry over: each mode has its own.
ACCURATE_WRONG: dict[str, str] = {
    "cue-participle-on-medium-noun": (
        "the learned cue is the whole 'posted a tweet claiming', so 'a tweet' is inside the cue "
        "and is no medium of its own (medium None)"
    ),
    "continuation-paragraph": (
        "the continuation paragraph gets the cue 'said' of the statement before it "
        "(learned.previous), where a continuation has no cue of its own"
    ),
    "multi-paragraph-quote": (
        "both paragraphs are one quotation of one piece cued by 'said:', where the second "
        "paragraph is a continuation with no cue of its own"
    ),
}

ACCURATE_ROWS = [
    pytest.param(*p.values, id=p.id, marks=[xfail(ACCURATE_WRONG[p.id])] if p.id in ACCURATE_WRONG else [])
    for p in ROWS
]


@pytest.mark.parametrize("text, want", ACCURATE_ROWS)
def test_extract_accurate(text: str, want: Want) -> None:
    """The learned mode is held to the same table, row by row, every offset exact."""
    article = onrecord.extract(text, clean=False, mode="accurate")
    assert article.bad_spans() == []
    _check(article, want, cue_as_polnear=True)


def test_every_accurate_mode_failure_names_a_row() -> None:
    """An entry left behind when its row is renamed would mark nothing."""
    assert set(ACCURATE_WRONG) <= {p.id for p in ROWS}
    assert len({p.id for p in ROWS}) == len(ROWS)


@pytest.mark.parametrize("text, want", [p for p in ROWS if not p.marks])
def test_roles_do_not_overlap_the_content(text: str, want: Want) -> None:
    article = extract(text)
    assert article.text == text
    assert article.bad_spans() == []
    for quote in article.quotes:
        for role in (quote.cue, quote.source, quote.medium, quote.addressee):
            if role is None:
                continue
            for piece in quote.content:
                assert role.end <= piece.start or piece.end <= role.start, (role, piece)


def test_speaker_points_at_an_entity_with_the_same_name() -> None:
    text = (
        "Samuel Okafor and Elena Duarte met the union on Friday.\n"
        "Mr Okafor left early but Ms Duarte stayed until the end.\n"
        "“The talks went well,” she said."
    )
    article = extract(text)
    quote = _pick(article, "talks went well")
    assert quote.speaker is not None
    entity = article.entity(quote.speaker.entity)
    assert entity is not None and entity.name == quote.speaker.name == "Elena Duarte"
    mentions = [m.text for m in entity.mentions]
    assert "Elena Duarte" in mentions and "Ms Duarte" in mentions


# --- negative rows -------------------------------------------------------------------------------

NO_QUOTES = [
    pytest.param(
        "The harbour reopened on Tuesday after a week of storms. "
        "Fishing boats returned to the quay and the cafés opened again.",
        id="plain-narrative",
    ),
    pytest.param(
        "Elena Duarte opened the new terminal on Monday. Hundreds of passengers queued in the rain.",
        id="named-person-no-speech",
    ),
    pytest.param("The so-called “reform” of the port fees was dropped on Friday.", id="scare-quotes"),
    pytest.param("The café on the quay sells “harbour buns” and tea.", id="quoted-product-name"),
    pytest.param("The word “ferry” comes from an old English verb.", id="quoted-word"),
    pytest.param("The ferry, which was late, arrived at noon with forty passengers.", id="relative-clause"),
    pytest.param("It appears that the ferry will be late again.", id="it-appears"),
    pytest.param("", id="empty"),
]


@pytest.mark.parametrize("text", NO_QUOTES)
def test_no_quotation(text: str) -> None:
    article = extract(text)
    assert article.quotes == []
    assert article.bad_spans() == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("It seems that the ferry will be late again this week.", id="it-seems-that"),
        pytest.param("It seems the timetable was never printed.", id="it-seems"),
        pytest.param("“The fares will stay the same,” she said.", id="pronoun-with-no-antecedent"),
    ],
)
def test_no_speaker(text: str) -> None:
    article = extract(text)
    assert [q.speaker for q in article.quotes if q.speaker is not None] == []


# --- descriptions on entities --------------------------------------------------------------------

DESCRIPTIONS = [
    pytest.param(
        "Harbour authority chair Elena Duarte said the pier was safe.",
        "Elena Duarte",
        "Harbour authority chair",
        id="pre-modifier",
    ),
    pytest.param(
        "Harbour authority chair Elena Duarte and councillor Samuel Okafor visited the pier on Friday.",
        "Samuel Okafor",
        "councillor",
        id="pre-modifier-in-conjunction",
    ),
    pytest.param(
        "Elena Duarte, the harbour authority chair, said the pier was safe.",
        "Elena Duarte",
        "harbour authority chair",
        id="apposition",
    ),
    pytest.param(
        "Samuel Okafor, a Labour councillor, opened the depot on Monday.",
        "Samuel Okafor",
        "Labour councillor",
        id="apposition-indefinite",
    ),
    pytest.param(
        'Speaking to LBC, Elena Duarte told presenter Jo Miles that "the ferries will run on time".',
        "Jo Miles",
        "presenter",
        id="pre-modifier-of-addressee",
    ),
    pytest.param(
        "Samuel Okafor, the council's transport lead, said the buses would be replaced next year.",
        "Samuel Okafor",
        "transport lead",
        id="apposition-with-possessive",
    ),
    pytest.param(
        "Samuel Okafor opened the new terminal on Monday.\n"
        "Okafor, the council's transport lead, said the buses would be replaced next year.",
        "Samuel Okafor",
        "transport lead",
        id="apposition-on-surname",
    ),
]


@pytest.mark.parametrize("text, name, description", DESCRIPTIONS)
def test_entity_description(text: str, name: str, description: str) -> None:
    article = extract(text)
    entities = [e for e in article.entities if e.name == name]
    assert len(entities) == 1, [e.name for e in article.entities]
    descriptions = entities[0].descriptions
    assert any(d == description or d.endswith(" " + description) for d in descriptions), descriptions
    assert all(d[:1].isalnum() for d in descriptions), descriptions  # no "'s transport lead"


def test_no_entity_from_a_word_of_a_description() -> None:
    article = extract("Harbour authority chair Elena Duarte said the pier was safe.")
    assert [e.name for e in article.entities] == ["Elena Duarte"]


def test_person_kind_and_mentions() -> None:
    text = "Elena Duarte and Samuel Okafor spoke after the vote. Duarte said the result was fair."
    article = extract(text)
    people = {e.name: e for e in article.entities if e.kind == "person"}
    assert set(people) == {"Elena Duarte", "Samuel Okafor"}
    assert [m.text for m in people["Elena Duarte"].mentions] == ["Elena Duarte", "Duarte"]


def test_transcript_turn_quoted_whole_is_one_quotation() -> None:
    """'"OKAFOR: Well, ...' (a transcript reproduced inside quotation marks, paragraph by
    paragraph): the turn is the speaker's quotation, not also a continuation of the turn before."""
    text = (
        "Partial transcript as follows:\n\n"
        '"HARPER: Let us start with the ferry timetable. Why was the first sailing moved?\n\n'
        '"OKAFOR: Well, the council asked us to move the first sailing to seven in the morning.\n\n'
        '"HARPER: And will it stay there?'
    )
    article = extract(text)
    turns = [q for q in article.quotes if "council asked us" in q.content_text]
    assert len(turns) == 1, [(q.extractor, q.content_text) for q in article.quotes]
    assert turns[0].source is not None and turns[0].source.text == "OKAFOR"
    assert not any("OKAFOR:" in q.content_text for q in article.quotes)
