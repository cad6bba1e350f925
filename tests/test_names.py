"""``onrecord.resolve.names``: name words, whether two names can be one person, and best matches.

Plain ``(input, expected)`` tables with negative cases; known failures are
``xfail(strict=True)``. The people named here are invented, apart from the public figures the
module's own docstrings use as examples.
"""

from __future__ import annotations

import pytest

from onrecord.resolve.names import (
    best_match,
    compatible,
    name_words,
    normal,
    split_title,
    title_descriptions,
)

NAME_WORDS = [
    pytest.param("Elena Duarte", ["Elena", "Duarte"], id="plain"),
    pytest.param("Ms Duarte", ["Duarte"], id="honorific"),
    pytest.param("Mr. Okafor’s", ["Okafor"], id="honorific-dot-curly-possessive"),
    pytest.param("Duarte's", ["Duarte"], id="straight-possessive"),
    pytest.param("Elena Duarte\u2018s", ["Elena", "Duarte"], id="possessive-with-an-opening-quote-mark"),
    pytest.param("Sen. Elizabeth Warren", ["Elizabeth", "Warren"], id="title-abbreviation"),
    pytest.param("Mayor Elena Duarte", ["Elena", "Duarte"], id="title"),
    pytest.param("Councillor Samuel Okafor", ["Samuel", "Okafor"], id="title-capitalised"),
    pytest.param("Sir Keir Starmer", ["Keir", "Starmer"], id="sir"),
    pytest.param("Dr. Priya Natarajan III", ["Priya", "Natarajan"], id="dr-and-suffix"),
    pytest.param("Martin Luther King Jr.", ["Martin", "Luther", "King"], id="jr"),
    pytest.param("Jean-Paul Okafor", ["Jean-Paul", "Okafor"], id="hyphen"),
    pytest.param("Aoife O'Brien", ["Aoife", "O'Brien"], id="apostrophe-in-name"),
    pytest.param("(Elena Duarte)", ["Elena", "Duarte"], id="brackets"),
    pytest.param("Mr", ["Mr"], id="honorific-alone-is-kept"),
    pytest.param("", [], id="empty"),
    pytest.param("  ", [], id="blank"),
    pytest.param(
        "Prime Minister Jo Bloggs",
        ["Jo", "Bloggs"],
        id="two-word-title",
    ),
]


@pytest.mark.parametrize("text, expected", NAME_WORDS)
def test_name_words(text: str, expected: list[str]) -> None:
    assert name_words(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ms Elena DUARTE's", "elena duarte"),
        ("Mayor Elena Duarte", "elena duarte"),
        ("Okafor", "okafor"),
        ("", ""),
    ],
)
def test_normal(text: str, expected: str) -> None:
    assert normal(text) == expected


@pytest.mark.parametrize(
    "words, expected",
    [
        (["Sen.", "Elizabeth", "Warren"], (["Sen."], ["Elizabeth", "Warren"])),
        (["Mr", "Okafor"], (["Mr"], ["Okafor"])),
        (["Dr", "Prof", "Duarte"], (["Dr", "Prof"], ["Duarte"])),
        (["Mr"], ([], ["Mr"])),  # the last word is always kept as the name
        (["Elena", "Duarte"], ([], ["Elena", "Duarte"])),
    ],
)
def test_split_title(words: list[str], expected: tuple[list[str], list[str]]) -> None:
    assert split_title(words) == expected


@pytest.mark.parametrize(
    "title, expected",
    [("Sen.", ["senator"]), ("Gov", ["governor"]), ("Mr", []), ("Dr.", ["doctor"]), ("Councillor", [])],
)
def test_title_descriptions(title: str, expected: list[str]) -> None:
    assert title_descriptions(title) == expected


COMPATIBLE = [
    # positives
    pytest.param("Duarte", "Elena Duarte", True, id="surname"),
    pytest.param("Elena", "Elena Duarte", True, id="first-name"),
    pytest.param("elena duarte", "Elena Duarte", True, id="case"),
    pytest.param("Elena Duarte", "Elena Duarte", True, id="same"),
    pytest.param("Donald J. Trump", "Donald Trump", True, id="middle-initial-short"),
    pytest.param("Donald Trump", "Donald J. Trump", True, id="middle-initial-full"),
    pytest.param("H. Clinton", "Hillary Clinton", True, id="initial"),
    pytest.param("Hillary Rodham Clinton", "Hillary Clinton", True, id="middle-name"),
    pytest.param("Elena Duarte", "Maria Elena Duarte", True, id="tail-of-full"),
    # negatives
    pytest.param("Bill Clinton", "Hillary Clinton", False, id="same-surname-other-first-name"),
    pytest.param("B. Clinton", "Hillary Clinton", False, id="other-initial"),
    pytest.param("Okafor", "Elena Duarte", False, id="other-person"),
    pytest.param("Duarte Elena", "Elena Duarte", False, id="reversed"),
    pytest.param("Elena Duarte", "Duarte", False, id="longer-than-full"),
    pytest.param("Samuel Duarte", "Elena Duarte", False, id="family-member"),
    pytest.param("", "Elena Duarte", False, id="empty-short"),
    pytest.param("Duarte", "", False, id="empty-full"),
]


@pytest.mark.parametrize("short, full, expected", COMPATIBLE)
def test_compatible(short: str, full: str, expected: bool) -> None:
    assert compatible(short.split(), full.split()) is expected


def names(*full: str) -> list[list[str]]:
    return [n.split() for n in full]


BEST_MATCH = [
    pytest.param(["Okafor"], names("Elena Duarte", "Samuel Okafor"), {}, 1, id="surname"),
    pytest.param(["Elena"], names("Elena Duarte", "Samuel Okafor"), {}, 0, id="first-name"),
    pytest.param(["Samuel", "Okafor"], names("Elena Duarte", "Samuel Okafor"), {}, 1, id="full-name"),
    # a surname match wins over a first-name match, whatever the order
    pytest.param(["Okafor"], names("Okafor Mensah", "Samuel Okafor"), {}, 1, id="surname-before-first-name"),
    pytest.param(
        ["Okafor"], names("Samuel Okafor", "Okafor Mensah"), {}, 0, id="surname-before-first-name-reversed"
    ),
    # several people share the surname: gender of the honorific, then weight (ties: the one
    # introduced first), and with no weights the latest
    pytest.param(
        ["Duarte"],
        names("Elena Duarte", "Tomas Duarte"),
        {"genders": ["female", "male"], "gender": "male"},
        1,
        id="gender-male",
    ),
    pytest.param(
        ["Duarte"],
        names("Elena Duarte", "Tomas Duarte"),
        {"genders": ["female", "male"], "gender": "female"},
        0,
        id="gender-female",
    ),
    pytest.param(
        ["Duarte"],
        names("Elena Duarte", "Tomas Duarte"),
        {"genders": ["female", None], "gender": "male"},
        1,
        id="unknown-gender-is-compatible",
    ),
    pytest.param(
        ["Duarte"],
        names("Elena Duarte", "Tomas Duarte"),
        {"genders": ["female", "female"], "gender": "male"},
        1,
        id="no-gender-match-falls-back-to-latest",
    ),
    pytest.param(["Duarte"], names("Elena Duarte", "Tomas Duarte"), {"weights": [5, 1]}, 0, id="weight"),
    pytest.param(
        ["Duarte"], names("Elena Duarte", "Tomas Duarte"), {"weights": [1, 5]}, 1, id="weight-reversed"
    ),
    pytest.param(
        ["Duarte"],
        names("Elena Duarte", "Tomas Duarte"),
        {"weights": [3, 3]},
        0,
        id="weight-tie-first-introduced",
    ),
    pytest.param(["Duarte"], names("Elena Duarte", "Tomas Duarte"), {}, 1, id="no-weights-latest"),
    pytest.param(
        ["Duarte"],
        names("Elena Duarte", "Tomas Duarte"),
        {"genders": ["female", "male"], "gender": "female", "weights": [1, 9]},
        0,
        id="gender-before-weight",
    ),
    # negatives
    pytest.param(["Mensah"], names("Elena Duarte", "Samuel Okafor"), {}, None, id="no-match"),
    pytest.param(["Tomas", "Duarte"], names("Elena Duarte"), {}, None, id="other-first-name"),
    pytest.param(["Duarte"], [], {}, None, id="no-names"),
    pytest.param([], names("Elena Duarte"), {}, None, id="no-words"),
]


@pytest.mark.parametrize("words, candidates, options, expected", BEST_MATCH)
def test_best_match(
    words: list[str], candidates: list[list[str]], options: dict[str, object], expected: int | None
) -> None:
    assert best_match(words, candidates, **options) == expected  # type: ignore[arg-type]


def test_best_match_ignores_case() -> None:
    assert best_match(["duarte"], names("Elena Duarte")) == 0
    assert best_match(["ELENA", "DUARTE"], names("Elena Duarte")) == 0
