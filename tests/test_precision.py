"""Instructions to the reader are not attributions; the same words inside a quotation are."""

from __future__ import annotations

import pytest

from onrecord import extract


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Pay attention to how the headphones feel over your ears during a long session.",
            id="pay-attention-to",
        ),
        pytest.param("Think about how often you will brew coffee each week.", id="think-about"),
    ],
)
def test_an_instruction_is_not_an_attribution(text: str) -> None:
    # the learned tagger reads the imperative as a cue with content and no source
    assert extract(text, mode="accurate", clean=False).quotes == []


def test_an_instruction_inside_a_quotation_is_what_someone_said() -> None:
    article = extract(
        '"Consider how many people rely on the early ferry," Ana Ortiz said on Monday.', clean=False
    )
    assert [q.speaker.name for q in article.quotes if q.speaker is not None] == ["Ana Ortiz"]


def test_a_statement_keeps_its_quotation() -> None:
    article = extract(
        "Ana Ortiz said that the ferry would run late. Read about the timetable here.", clean=False
    )
    assert [q.content_text for q in article.quotes] == ["that the ferry would run late"]


BELIEF = "Most commuters believe that the new timetable is worse than the old one."


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_quotations_scope_leaves_out_what_people_think(mode: str) -> None:
    assert extract(BELIEF, mode=mode, clean=False).quotes == []
    kept = extract(BELIEF, mode=mode, clean=False, scope="attributions").quotes
    assert [q.content_text for q in kept] == ["that the new timetable is worse than the old one"]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        pytest.param(
            "Ana Ortiz said that the ferry would run late.", "the ferry would run late", id="speech"
        ),
        pytest.param(
            "Ana Ortiz believes “the pier is unsafe” for children.", "the pier is unsafe", id="quoted-words"
        ),
        pytest.param(
            "A report by the harbour board found that freight volumes had doubled.",
            "freight volumes had doubled",
            id="a-document-finds",
        ),
        pytest.param(
            "Data from the Harbour Institute shows that freight volumes had doubled.",
            "freight volumes had doubled",
            id="data-shows",
        ),
        pytest.param(
            "According to the harbour board, freight volumes had doubled.",
            "freight volumes had doubled",
            id="according-to",
        ),
        pytest.param(
            "Per the harbour board, freight volumes had doubled.",
            "freight volumes had doubled",
            id="per-a-body",
        ),
        pytest.param(
            "Per Ana Ortiz, a pilot at the port, the channel is too shallow for the new ferries.",
            "the channel is too shallow",
            id="per-a-person",
        ),
    ],
)
def test_quotations_scope_keeps_what_was_said(text: str, content: str) -> None:
    quotes = extract(text, clean=False).quotes
    assert any(content in q.content_text for q in quotes), [q.content_text for q in quotes]


def test_per_names_its_source_and_a_rate_is_no_attribution() -> None:
    article = extract(
        "Per Bankrate, the average savings rate is 4.5%. Fares cost $5 per trip, the board said.", clean=False
    )
    speakers = {q.content_text: q.speaker.name if q.speaker else None for q in article.quotes}
    assert speakers.get("the average savings rate is 4.5%") == "Bankrate", speakers
    assert all(q.cue is None or q.cue.text.lower() != "per" for q in article.quotes[1:]), speakers


def test_an_unknown_scope_is_refused() -> None:
    from onrecord.pipeline import Pipeline

    with pytest.raises(ValueError, match="scope"):
        Pipeline(mode="fast", scope="everything")  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["fast", "accurate"])
@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        pytest.param(
            "The ferry operator will cut 40 jobs, as the Harbour Post reported on Monday.",
            "The ferry operator will cut 40 jobs",
            "Harbour Post",
            id="as-x-reported",
        ),
        pytest.param(
            "Islanders now hold $8 billion in savings, as first reported by the Harbour Post.",
            "Islanders now hold $8 billion in savings",
            "Harbour Post",
            id="as-reported-by-x",
        ),
        pytest.param(
            "The pier will close in May, as Ana Ortiz told the council last week.",
            "The pier will close in May",
            "Ana Ortiz",
            id="as-x-told-someone",
        ),
    ],
)
def test_an_as_clause_attributes_the_clause_it_hangs_on(
    text: str, content: str, speaker: str, mode: str
) -> None:
    quotes = extract(text, clean=False, mode=mode).quotes
    found = [(q.content_text, q.speaker.name if q.speaker else None) for q in quotes]
    assert (content, speaker) in found, found


def test_an_as_clause_with_a_statement_of_its_own_is_not_its_content() -> None:
    quotes = extract("The ferry ran late, as the board reported a loss of $2 million.", clean=False).quotes
    assert all(q.content_text != "The ferry ran late" for q in quotes)


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_statement_goes_on_after_a_parenthetical_cue_and_but(mode: str) -> None:
    text = (
        "Machine learning is important, Ana Ortiz said, but finding the right use ultimately rests on "
        "people with different expertise working together."
    )
    quotes = extract(text, clean=False, mode=mode).quotes
    pieces = [c.text for q in quotes for c in q.content]
    assert any(p.endswith("rests on people with different expertise working together") for p in pieces), (
        pieces
    )


@pytest.mark.parametrize("mode", ["fast", "accurate"])
@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "The ferry is late again. That said, we can expect the new timetable to help commuters.",
            id="that-said",
        ),
        pytest.param("Having said that, the council will review the fares next year.", id="having-said-that"),
    ],
)
def test_a_discourse_marker_is_not_an_attribution(text: str, mode: str) -> None:
    assert [q.content_text for q in extract(text, mode=mode, clean=False).quotes] == []


def test_that_said_with_a_speaker_is_still_an_attribution() -> None:
    article = extract('"The fares are too high," Ana Ortiz said. That said, she will pay them.', clean=False)
    assert [q.speaker.name for q in article.quotes if q.speaker is not None] == ["Ana Ortiz"]


def test_a_question_put_to_the_subject_is_not_their_quotation() -> None:
    text = "Asked whether she would accept a smaller raise, Ana Ortiz said no."
    assert not any("smaller raise" in q.content_text for q in extract(text, clean=False).quotes)
    # PolNeAR annotates it, so the attributions scope keeps it
    kept = extract(text, clean=False, scope="attributions").quotes
    assert any("smaller raise" in q.content_text for q in kept)


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_noun_cue_used_as_a_verb_reports_nothing(mode: str) -> None:
    text = (
        "The Harbour Ferry app supports offline tickets and real-time departures. Ana Ortiz voiced "
        "support for the app. She said it would cut queues at the pier."
    )
    contents = [q.content_text for q in extract(text, mode=mode, clean=False).quotes]
    assert not any("offline tickets" in c for c in contents), contents
    assert any("cut queues" in c for c in contents), contents


@pytest.mark.parametrize("mode", ["fast", "accurate"])
def test_a_lone_pronoun_is_no_quotation(mode: str) -> None:
    text = "The Harbour Gazette reported that the ferry would close. Ben Lutz denied it on Monday."
    contents = [q.content_text for q in extract(text, mode=mode, clean=False).quotes]
    assert "it" not in contents and "that the ferry would close" in contents
