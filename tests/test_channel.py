"""Medium and addressee read off the parse around a cue (``onrecord.resolve.channel``).

Each case parses an invented sentence with the shipped spaCy model and hands ``find_channel`` a
candidate whose cue and content are given by their words, so the channel logic is tested apart
from the rules and the tagger that find quotations.
"""

from __future__ import annotations

import pytest

from onrecord.attribution.candidates import Candidate
from onrecord.nlp.model import shared_model
from onrecord.resolve.channel import find_channel, is_outlet_name


def _channel(text: str, cue: str, cue_word: str, content: str) -> tuple[str | None, str | None]:
    doc = shared_model()(text)
    start = text.index(cue)
    content_start = text.index(content)
    head = next(t for t in doc if t.text == cue_word and start <= t.idx < start + len(cue))
    candidate = Candidate(
        content=[(content_start, content_start + len(content))],
        cue=(start, start + len(cue)),
        cue_token=head.i,
    )
    medium, addressee = find_channel(doc, candidate)
    return (
        text[medium[0] : medium[1]] if medium else None,
        text[addressee[0] : addressee[1]] if addressee else None,
    )


@pytest.mark.parametrize(
    "text, cue, cue_word, content, medium, addressee",
    [
        pytest.param(
            "The mayor continued to argue in a statement that the budget is balanced.",
            "continued to argue",
            "continued",
            "that the budget is balanced",
            "a statement",
            None,
            id="xcomp-of-the-cue-verb",
        ),
        pytest.param(
            "“The repairs were long overdue,” Samuel Okafor explained earlier in the council hearing.",
            "explained",
            "explained",
            "“The repairs were long overdue,”",
            "the council hearing",
            None,
            id="prep-under-an-adverb",
        ),
        pytest.param(
            "The union issued a statement saying that the strike would go ahead.",
            "saying",
            "saying",
            "that the strike would go ahead",
            "a statement",
            None,
            id="participle-cue-on-a-medium-noun",
        ),
        pytest.param(
            'Elena Duarte told Harbour TV\'s "Morning Tide" that the ferries would run all winter.',
            "told",
            "told",
            "that the ferries would run all winter",
            'Harbour TV\'s "Morning Tide"',
            None,
            id="programme-in-quote-marks",
        ),
        pytest.param(
            "Elena Duarte told co-host Jo Miles that the ferries would run all winter.",
            "told",
            "told",
            "that the ferries would run all winter",
            None,
            "Jo Miles",
            id="hyphenated-role-before-the-person",
        ),
        pytest.param(
            "“Sleep comes first,” the trainer tells Harbour.com.",
            "tells",
            "tells",
            "“Sleep comes first,”",
            "Harbour.com",
            None,
            id="a-site-is-a-medium",
        ),
        pytest.param(
            "The film tells the story of how a group of engineers built a bridge.",
            "tells",
            "tells",
            "how a group of engineers built a bridge",
            None,
            None,
            id="what-is-told-is-no-addressee",
        ),
        pytest.param(
            "The mayor told reporters that the budget is balanced.",
            "told",
            "told",
            "that the budget is balanced",
            None,
            "reporters",
            id="told-reporters-stays-an-addressee",
        ),
        pytest.param(
            '"It is a disgrace," Ana Ortiz told the Gazette.',
            "told",
            "told",
            '"It is a disgrace,"',
            "the Gazette",
            None,
            id="an-outlet-the-tagger-took-for-a-person-is-the-medium",
        ),
        pytest.param(
            '"It is over," Ana Ortiz told Li Sun, a reporter.',
            "told",
            "told",
            '"It is over,"',
            None,
            "Li Sun",
            id="a-person-whose-name-ends-in-an-outlet-word-stays-the-addressee",
        ),
    ],
)
def test_find_channel(
    text: str, cue: str, cue_word: str, content: str, medium: str | None, addressee: str | None
) -> None:
    assert _channel(text, cue, cue_word, content) == (medium, addressee)


@pytest.mark.parametrize(
    "name, outlet",
    [
        ('BBC\'s "Morning Tide"', True),
        ("the Herald's weekly video series", True),
        ("The Boston Globe", True),
        ("TODAY.com", True),
        ("example.com", False),
        ("Harbour News’s “Island Hour”", True),
        ("the mayor's office", False),
        ("Samuel Okafor's lawyer", False),
        ("reporters", False),
    ],
)
def test_is_outlet_name(name: str, outlet: bool) -> None:
    assert is_outlet_name(name.split()) is outlet
