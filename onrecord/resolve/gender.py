"""The likely gender of a first name: a general name table first, then a news lexicon.

``name_genders.tsv`` holds about 26,000 common first names whose gender is nearly unambiguous
(p >= 0.95 either way) in the name statistics of the nomquamgender package (MIT licence,
rebuilt with ``scripts/build_name_genders.py``). Names it leaves out (ambiguous or rare ones)
fall back to the news lexicon below, which knows the people of US political news.

``first_names.tsv`` (next to this module) has one line per lowercased first name::

    name<TAB>gender<TAB>male<TAB>female

where ``gender`` is ``male`` or ``female`` and ``male``/``female`` count the pieces of evidence
seen for it. The counts come from the **train** split of the PolNeAR corpus (840 US news
articles, 2015-2016), parsed with the project's spaCy pipeline: for every PERSON with a first
and a last name, honorifics before the name or the surname ("Mr.", "Ms.", ...), the subject
pronoun he/she that follows the person as sentence subject, and "his"/"her" in the same clause
each count one vote. A name is listed with at least 3 votes of which at least 80% agree. Only
these aggregate counts are stored, no article text.

The lexicon reflects the people in the news of that period (many politicians); a name it does
not list gives ``None``, and a listed name is a likelihood, not a fact about any one person.

To rebuild it (a few minutes on CPU), from the repository root::

    python scripts/build_first_names.py ../shared/data/polnear onrecord/resolve/first_names.tsv
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

Gender = Literal["male", "female"]

LEXICON_PATH = Path(__file__).with_name("first_names.tsv")
GENERAL_PATH = Path(__file__).with_name("name_genders.tsv")
_HEADER = ["name", "gender", "male", "female"]


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Gender]:
    """Lowercased first name -> gender, read once from ``first_names.tsv``."""
    genders: dict[str, Gender] = {}
    with LEXICON_PATH.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != _HEADER:
            raise ValueError(f"{LEXICON_PATH}: unexpected header {header!r}")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 4:
                continue
            name, gender = fields[0], fields[1]
            if gender == "male":
                genders[name] = "male"
            elif gender == "female":
                genders[name] = "female"
    return genders


@lru_cache(maxsize=1)
def general_lexicon() -> dict[str, Gender]:
    """Lowercased first name -> gender, read once from ``name_genders.tsv``."""
    genders: dict[str, Gender] = {}
    with GENERAL_PATH.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("name\t"):
                continue
            name, _, gender = line.rstrip("\n").partition("\t")
            if gender == "male":
                genders[name] = "male"
            elif gender == "female":
                genders[name] = "female"
    return genders


def first_name_gender(name: str) -> Gender | None:
    """'Melanie' -> 'female', 'Kevin' -> 'male', a name not in the lexicon -> None.

    ``name`` is a first name, matched case-insensitively; surrounding whitespace and a trailing
    possessive are ignored.
    """
    key = name.strip().lower()
    for suffix in ("'s", "’s"):
        key = key.removesuffix(suffix)
    if not key:
        return None
    return general_lexicon().get(key) or lexicon().get(key)
