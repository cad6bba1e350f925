"""Personal names: honorifics and titles, normal forms, and whether two names can be one person."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import ftfy

from onrecord.lexicon import HONORIFICS, NAME_SUFFIXES, TITLES

_PUNCT = re.compile(r"[^\w\s.'’-]")
POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
#: Marks that stand for an apostrophe in names as pages write them ("Trump‘s", "O`Neil").
_APOSTROPHES = re.compile(r"[‘ʼ`´]")


def split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """(title words, name words): 'Sen. Elizabeth Warren' -> (['Sen.'], ['Elizabeth', 'Warren'])."""
    i = 0
    while i < len(words) - 1 and words[i].lower() in HONORIFICS | TITLES:
        i += 1
    return words[:i], words[i:]


@lru_cache(maxsize=4096)
def repaired(text: str) -> str:
    """``text`` with mojibake undone ("FranÃ§ois" -> "François": UTF-8 read as Latin-1 or
    Windows-1252 somewhere upstream), by ftfy after NFC composition (the mojibake may come
    decomposed, "A" and a combining tilde); ASCII text is returned as it is."""
    return text if text.isascii() else ftfy.fix_encoding(unicodedata.normalize("NFC", text))


def name_words(text: str) -> list[str]:
    """The words of a name without titles, possessives, suffixes and punctuation, its mojibake
    repaired (the span in the text stays as written; the name is how the entity is called)."""
    text = _PUNCT.sub(" ", _APOSTROPHES.sub("’", repaired(text)))
    words = [POSSESSIVE.sub("", w).strip(".-") for w in text.split()]
    words = [w for w in words if w]
    _, rest = split_title(words)
    while rest and rest[-1].lower().rstrip(".") in NAME_SUFFIXES:
        rest = rest[:-1]
    return rest


def written_after_the(text: str, starts: Iterable[int]) -> bool:
    """Whether "the" comes before the name at every one of these offsets ("the Gazette" each
    time the article gives it)."""
    return all(text[max(0, start - 4) : start].lower() == "the " for start in starts)


def text_suffix(text: str) -> str:
    """The generational suffix that ends a written name ("Reyes Jr."), or ""."""
    words = text.split()
    last = words[-1].rstrip(",") if len(words) > 1 else ""
    return last if last.lower().rstrip(".") in NAME_SUFFIXES else ""


def normal(text: str) -> str:
    return " ".join(w.lower() for w in name_words(text))


def compatible(short: list[str], full: list[str]) -> bool:
    """True when the name ``short`` can refer to the bearer of ``full``.

    'Carden' ~ 'Dan Carden' (surname), 'Keir' ~ 'Keir Starmer' (first name after Sir),
    'Donald J. Trump' ~ 'Donald Trump' (middle initial), 'H. Clinton' ~ 'Hillary Clinton'.
    'Bill Clinton' is not 'Hillary Clinton'.
    """
    s = [w.lower() for w in short]
    f = [w.lower() for w in full]
    if not s or not f:
        return False
    if s == f:
        return True
    if len(s) == 1:
        return s[0] == f[-1] or (len(f) >= 2 and s[0] == f[0])
    if len(s) < len(f) and f[len(f) - len(s) :] == s:
        return True  # "Donald Trump" in "Rip Donald Trump" (a tagger error in a headline)
    if s[-1] != f[-1]:
        return False
    first_s, first_f = s[0], f[0]
    if first_s == first_f:
        return True
    return len(first_s.rstrip(".")) == 1 and first_f.startswith(first_s.rstrip("."))


TITLE_WORDS = {
    "sen": "senator",
    "senator": "senator",
    "rep": "representative congressman congresswoman lawmaker",
    "representative": "representative congressman congresswoman lawmaker",
    "gov": "governor",
    "governor": "governor",
    "president": "president",
    "pres": "president",
    "vp": "vice-president",
    "gen": "general",
    "mayor": "mayor",
    "secretary": "secretary",
    "minister": "minister",
    "judge": "judge",
    "justice": "justice",
    "dr": "doctor",
    "prof": "professor",
}


def title_descriptions(title: str) -> list[str]:
    """Words a title stands for: 'Sen.' -> ['senator'], so that 'the senator' finds Sen. Warren."""
    key = title.lower().rstrip(".")
    return TITLE_WORDS.get(key, "").split()


def best_match(
    words: list[str],
    names: list[list[str]],
    *,
    weights: list[int] | None = None,
    genders: list[str | None] | None = None,
    gender: str | None = None,
    suffixes: list[str] | None = None,
    suffix: str = "",
) -> int | None:
    """Index of the name that ``words`` most likely refers to, preferring surname matches.

    A one-word mention matches a surname before a first name ("Obama" is Barack Obama's
    surname before it is anything else). Where several people share the surname, one of the
    mention's gender ("Mr. Obama") wins, then the one of highest ``weight`` (the callers give
    the earliest introduced the highest: "Reyes" in a story that opens on one Reyes and names his
    brother later is the first), then the earlier of the two in ``names``. A mention with a
    generational ``suffix`` ("Reyes Jr.") is one of the name with that suffix where there is one.
    """
    lowered = [w.lower() for w in words]
    order = range(len(names) - 1, -1, -1)
    if len(lowered) == 1:
        same = [i for i in order if names[i] and names[i][-1].lower() == lowered[0]]
        if gender is not None and genders is not None:
            same = (
                [i for i in same if genders[i] == gender]
                or [i for i in same if genders[i] in (None, gender)]
                or same
            )
        if suffix and suffixes is not None:
            same = [i for i in same if _generation(suffixes[i]) == _generation(suffix)] or same
        if same:
            if weights is not None:
                return max(same, key=lambda i: (weights[i], -i))
            return same[0]
    for index in order:
        if compatible(words, names[index]):
            return index
    return None


def _generation(suffix: str) -> str:
    return suffix.lower().rstrip(".")


_MINOR_WORDS = frozenset({"of", "for", "the", "and", "on", "in", "to", "&"})


def abbreviates(acronym: str, words: list[str]) -> bool:
    """'CNS' abbreviates Christian News Service; 'F.B.I.' Federal Bureau of Investigation."""
    letters = acronym.replace(".", "")
    if not (2 <= len(letters) <= 6 and letters.isupper()) or len(words) < 2:
        return False
    initials = "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS and w[:1].isupper())
    return initials == letters
