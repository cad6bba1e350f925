"""Speaker names parsed for identity: a person's name into its parts, an organisation's into its
normal form (``onrecord.corpus.identity``, step 1 and the keys of step 4).

Person names lose honorifics and titles, possessives, punctuation, case and accents ("Mr.
Trump's" -> ``trump``); a name that is no proper name ("the spokesman", "he", a title alone) is
None. Middle names and initials are kept aside and a "Jr." suffix stays part of the name.
Organisation names lose case, accents, "the", punctuation and suffixes like "Inc.".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from onrecord.lexicon import FEMALE_HONORIFICS, HONORIFICS, MALE_HONORIFICS, NAME_SUFFIXES, TITLES
from onrecord.resolve.names import name_words, split_title

_NOT_NAMES = frozenset(
    """
    the a an this that these those his her their its our my your some another one both each several
    many such he she they it i we you him them us me who whom someone somebody anyone everyone nobody
    """.split()
)
_ORG_SUFFIXES = frozenset("inc incorporated corp corporation co ltd llc plc lp".split())
NICKNAMES = {
    **dict.fromkeys(("bill", "billy", "will", "willie"), "william"),
    **dict.fromkeys(("bob", "bobby", "rob", "robbie"), "robert"),
    **dict.fromkeys(("jim", "jimmy"), "james"),
    **dict.fromkeys(("mike",), "michael"),
    **dict.fromkeys(("joe", "joey"), "joseph"),
    **dict.fromkeys(("tom", "tommy"), "thomas"),
    **dict.fromkeys(("dick", "rick", "ricky", "rich"), "richard"),
    **dict.fromkeys(("bernie",), "bernard"),
    **dict.fromkeys(("chuck", "charlie"), "charles"),
    **dict.fromkeys(("dan", "danny"), "daniel"),
    **dict.fromkeys(("dave",), "david"),
    **dict.fromkeys(("tony",), "anthony"),
    **dict.fromkeys(("andy",), "andrew"),
    **dict.fromkeys(("nick",), "nicholas"),
    **dict.fromkeys(("ben",), "benjamin"),
    **dict.fromkeys(("matt",), "matthew"),
    **dict.fromkeys(("jeff",), "jeffrey"),
    **dict.fromkeys(("ron", "ronnie"), "ronald"),
    **dict.fromkeys(("ed", "eddie"), "edward"),
    **dict.fromkeys(("liz", "beth", "betsy"), "elizabeth"),
    **dict.fromkeys(("kathy", "kate"), "katherine"),
    **dict.fromkeys(("debbie", "deb"), "deborah"),
    **dict.fromkeys(("peggy", "maggie"), "margaret"),
}
_ORG_PUNCT = re.compile(r"[^\w\s]")
POSSESSIVE = re.compile(r"['’]s\b")


class PersonName(NamedTuple):
    """A parsed person name: ``first`` is '' for a surname alone, one letter for an initial."""

    first: str
    middles: tuple[str, ...]
    last: str
    suffix: str
    gender: str | None  # from an honorific in the name ("Mrs. Clinton")


def fold(text: str) -> str:
    """Lowercase without accents: 'Ségolène' -> 'segolene'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _proper(words: Iterable[str]) -> bool:
    return any(w[:1].isalnum() and not w[:1].islower() for w in words)


def parse_person(name: str) -> PersonName | None:
    """The parts of a person's name, or None where it is no proper name ('the spokesman')."""
    raw = name.replace(",", " ").split()
    if not raw or raw[0].lower() in _NOT_NAMES:
        return None
    titles, _ = split_title(raw)
    lowered = {t.lower().rstrip(".") for t in titles}
    gender = "female" if lowered & FEMALE_HONORIFICS else "male" if lowered & MALE_HONORIFICS else None
    suffix = raw[-1].lower().rstrip(".") if len(raw) > 1 else ""
    suffix = suffix if suffix in NAME_SUFFIXES else ""
    words = name_words(name)
    if not words or not _proper(words):
        return None
    folded = [fold(w) for w in words]
    if all(w in HONORIFICS or w in TITLES for w in folded):
        return None  # "President", "the Senator": a nominal
    if len(folded) == 1:
        return PersonName("", (), folded[0], suffix, gender)
    first = folded[0].rstrip(".")
    # "J" and "H.W" are initials, so is "HW" (short capitals in a name not all in capitals)
    shouted = all(w.isupper() for w in words)
    middles = tuple(
        part
        for w, f in zip(words[1:-1], folded[1:-1], strict=True)
        for part in (f if w.isupper() and len(w) <= 3 and not shouted else f.split("."))
        if part and part != "."
    )
    return PersonName(first, middles, folded[-1], suffix, gender)


def org_words(name: str) -> list[str]:
    """The words of an organisation's name without a leading "the"."""
    words = name.split()
    return words[1:] if words and words[0].lower() == "the" else words


def org_key(name: str) -> str | None:
    """The normal form of an organisation's name: 'The F.B.I.' -> 'fbi', 'Acme Corp.' -> 'acme'."""
    if not _proper(org_words(name)):
        return None  # "the company"
    text = POSSESSIVE.sub("", fold(name).replace("&", " and ").replace(".", ""))
    words = _ORG_PUNCT.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    if not words or words[0] in _NOT_NAMES:
        return None
    while len(words) > 1 and words[-1] in _ORG_SUFFIXES:
        words.pop()
    return " ".join(words)
