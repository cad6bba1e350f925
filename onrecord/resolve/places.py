"""Where a role noun places its office: "the Florida senator", "the French minister", "the
Republican candidate". A person described with another place (or party, or people) of the same
kind is not the one meant; one described with this place, even as an AP abbreviation ("Sen.
Ana Ortiz, R-Fla."), is. US states and their AP abbreviations come from the ``us`` package."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

import us
from spacy.tokens import Doc, Token

#: Entity labels of a place or a people that locates an office.
PLACE_LABELS = ("GPE", "NORP")
_SPLIT = re.compile(r"[\s\-‐–—,;()/]+")


@cache
def _states() -> dict[str, tuple[str, ...]]:
    """A state's AP abbreviation, lower case without full stops ("fla", "nh"), and its name in
    lower case: the words of its name."""
    found: dict[str, tuple[str, ...]] = {}
    for state in [*us.states.STATES_AND_TERRITORIES, us.states.DC]:
        words = tuple(state.name.lower().split())
        found[state.name.lower().replace(" ", "")] = words
        if state.ap_abbr:
            found[state.ap_abbr.lower().replace(".", "").replace(" ", "")] = words
    return found


def state_words(word: str) -> tuple[str, ...]:
    """The words of the state an abbreviation or a name stands for ("Fla." -> florida; "N.H." ->
    new hampshire), or none. A two-letter postal code ("OR", "IN") is too often a word to count;
    "Vt" or "Ky", the tokenizer's part of "Vt.", is the abbreviation."""
    if not word[:1].isupper():
        return ()  # states are written capitalised
    key = word.lower().replace(".", "")
    if len(key) < 3 and "." not in word and not word.istitle():
        return ()
    return _states().get(key, ())


def place_words(descriptions: Iterable[str]) -> set[str]:
    """The capitalised words of the descriptions, in lower case, with the state an abbreviation
    stands for ("R-Fla." gives florida)."""
    words: set[str] = set()
    for description in descriptions:
        for word in _SPLIT.split(description):
            if word.istitle() and word.isalpha():
                words.add(word.lower())
            words.update(state_words(word))
    return words


def _places_of_kind(doc: Doc, label: str) -> set[str]:
    """The capitalised words the doc tags with ``label`` (and, for places, the words of every US
    state's name), worked out once per doc."""
    key = f"onrecord.places.{label}"
    if key not in doc.user_data:
        kind = {t.lower_ for t in doc if t.ent_type_ == label and t.is_title and not t.is_stop}
        if label == "GPE":
            kind |= {
                w for state in _states().values() for w in state if w not in ("new", "north", "south", "west")
            }
        doc.user_data[key] = kind
    found: set[str] = doc.user_data[key]
    return found


def place_clash(head: Token, descriptions: Sequence[str]) -> bool:
    """ "The Florida senator" is not someone described as "Sen. Ana Ortiz, R-Iowa": the mention
    locates its office by a place (or a people, or a party) and the descriptions name another of
    the same kind (one the article tags so, or a US state), and not this one."""
    modifiers = [
        c for c in head.children if c.dep_ in ("amod", "compound", "nmod") and c.ent_type_ in PLACE_LABELS
    ]
    if not modifiers:
        return False  # most role nouns: nothing to read in the descriptions
    words = place_words(descriptions)
    clash = False
    for modifier in modifiers:
        if modifier.lower_ in words:
            return False
        clash = clash or bool(words & _places_of_kind(head.doc, modifier.ent_type_))
    return clash
