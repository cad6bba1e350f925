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
    article = extract("Ana Ortiz said that the ferry would run late. Read about the timetable here.", clean=False)
    assert [q.content_text for q in article.quotes] == ["that the ferry would run late"]
