"""US states behind the abbreviations news writes after a lawmaker's party ("R-Fla.")."""

import pytest

from onrecord.resolve.places import place_words, state_words


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("Fla.", ("florida",)),
        ("N.H.", ("new", "hampshire")),
        ("Vt", ("vermont",)),  # the tokenizer's part of "Vt."
        ("Iowa", ("iowa",)),
        ("OR", ()),  # a postal code is too often a word
        ("IN", ()),
        ("Sen.", ()),
        ("Harbour", ()),
    ],
)
def test_state_words(word: str, state: tuple[str, ...]) -> None:
    assert state_words(word) == state


def test_place_words_are_capitalised_words_and_states() -> None:
    assert place_words(["Sen.", "R-Fla.", "former Harbour mayor"]) == {"r", "florida", "harbour"}
