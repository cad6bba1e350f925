"""``onrecord.resolve.gender``: the first-name lexicon loads, and its TSV is well formed.

The lexicon is built by ``scripts/build_first_names.py`` from aggregate counts; these tests only
read the shipped TSV (no corpus, no model). Expected genders are checked only for names the file
itself lists with strong, one-sided evidence.
"""

from __future__ import annotations

import pytest

from onrecord.resolve.gender import LEXICON_PATH, first_name_gender, lexicon

MIN_VOTES = 3
MIN_AGREEMENT = 0.8


def rows() -> list[list[str]]:
    lines = LEXICON_PATH.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:]]


def test_header() -> None:
    first = LEXICON_PATH.read_text(encoding="utf-8").splitlines()[0]
    assert first == "name\tgender\tmale\tfemale"


def test_rows_are_valid() -> None:
    table = rows()
    assert len(table) >= 50
    names = [r[0] for r in table]
    assert len(names) == len(set(names)), "duplicate names"
    assert names == sorted(names), "not sorted"
    for row in table:
        assert len(row) == 4, row
        name, gender, male_s, female_s = row
        assert name and name == name.strip().lower(), row
        assert gender in ("male", "female"), row
        male, female = int(male_s), int(female_s)
        assert male >= 0 and female >= 0
        total = male + female
        assert total >= MIN_VOTES, row
        winning = male if gender == "male" else female
        assert winning >= MIN_AGREEMENT * total, row
        assert winning > total - winning, row


def test_both_genders_present() -> None:
    genders = {r[1] for r in rows()}
    assert genders == {"male", "female"}


def strong(gender: str, n: int = 5) -> list[tuple[str, str]]:
    """The ``n`` best-attested names of a gender with no contrary evidence at all."""
    table = [(r[0], r[1], int(r[2]), int(r[3])) for r in rows()]
    one_sided = [
        (name, g, m + f) for name, g, m, f in table if g == gender and (f if g == "male" else m) == 0
    ]
    one_sided.sort(key=lambda x: (-x[2], x[0]))
    return [(name, g) for name, g, _ in one_sided[:n]]


@pytest.mark.parametrize("gender", ["male", "female"])
def test_common_names_resolve(gender: str) -> None:
    names = strong(gender)
    assert names, f"no strongly attested {gender} name"
    for name, expected in names:
        assert first_name_gender(name) == expected
        assert first_name_gender(name.capitalize()) == expected
        assert first_name_gender(f" {name.upper()} ") == expected
        assert first_name_gender(name.capitalize() + "'s") == expected


def test_frequent_names_present() -> None:
    """A few very common first names in 2015-16 US political news, if listed, have a gender."""
    for name in ("Donald", "Hillary", "Bernie", "John"):
        assert first_name_gender(name) in {"male", "female"}


@pytest.mark.parametrize("name", ["", "   ", "Zzyzxqw", "the", "Qwertyuiop"])
def test_unknown_is_none(name: str) -> None:
    assert first_name_gender(name) is None


def test_loaded_once() -> None:
    assert lexicon() is lexicon()
    assert len(lexicon()) == len(rows())
