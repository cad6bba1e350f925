"""``onrecord.corpus.identity``: one speaker id per person or organisation across a corpus.

Each case is a small hand-written corpus: ``(name, number of records)`` pairs, every record in an
article of its own. The names are public figures or invented; no article text is used.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from onrecord.corpus.identity import DOMINANCE, Identity, assign_speakers, speaker_id
from onrecord.corpus.speaker_names import org_key, parse_person
from onrecord.store.records import Correction, NameRecord

Spec = tuple[str, int] | tuple[str, int, str]


def corpus(*specs: Spec) -> list[NameRecord]:
    """One record per article: ``("Hillary Clinton", 3)`` gives three articles naming her."""
    records: list[NameRecord] = []
    for spec in specs:
        name, count = spec[0], spec[1]
        kind = spec[2] if len(spec) == 3 else "person"
        for _ in range(count):
            n = len(records)
            records.append(NameRecord(f"art{n}", f"e{n}", name, kind))
    return records


def ids_of(identity: Identity, records: list[NameRecord], name: str) -> set[str | None]:
    """The speaker ids given to the records named ``name`` (None: no speaker)."""
    return {identity.speaker_of.get((r.article_id, r.entity_id)) for r in records if r.name == name}


def one_id(identity: Identity, records: list[NameRecord], name: str) -> str | None:
    found = ids_of(identity, records, name)
    assert len(found) == 1, (name, found)
    return found.pop()


# -- names of one person are one speaker ------------------------------------------------------

SAME = [
    pytest.param(
        [
            "Donald Trump",
            "Donald J. Trump",
            "Donald J Trump",
            "Mr. Trump",
            "Trump",
            "Donald John Trump",
            "President Trump",
            "TRUMP",
            "DONALD TRUMP",
            "Trump's",
            "Donald Trump’s",
        ],
        id="trump-variants",
    ),
    pytest.param(["Hillary Clinton", "Hillary Rodham Clinton", "HILLARY CLINTON"], id="middle-name"),
    pytest.param(["Ségolène Royal", "Segolene Royal", "Ms Royal", "Royal"], id="accents"),
    pytest.param(["Sen. Elizabeth Warren", "Senator Elizabeth Warren", "Warren"], id="titles"),
    pytest.param(["Gov. Jerry Brown", "Governor Jerry Brown", "Secretary Jerry Brown"], id="more-titles"),
    pytest.param(["Dr. Priya Natarajan", "Prof. Priya Natarajan", "Ms Natarajan"], id="honorifics"),
    pytest.param(["Bernie Sanders", "Bernard Sanders", "Sanders"], id="nickname"),
    pytest.param(["Bill Clinton", "William Jefferson Clinton", "William J. Clinton"], id="nickname-middle"),
    pytest.param(["George H.W. Bush", "George H. W. Bush", "George HW Bush"], id="initials-spelled-out"),
    pytest.param(["Debbie Wasserman Schultz", "Wasserman Schultz"], id="end-of-longer-name"),
    pytest.param(["Aung San Suu Kyi", "Suu Kyi"], id="end-of-longer-name-2"),
    pytest.param(["Donald Trump", "Billionaire Donald Trump"], id="word-before-known-name"),
]


@pytest.mark.parametrize("names", SAME)
def test_variants_are_one_speaker(names: list[str]) -> None:
    records = corpus(*[(name, 2) for name in names])
    identity = assign_speakers(records)
    assert len({identity.speaker_of[(r.article_id, r.entity_id)] for r in records}) == 1
    assert len(identity.speakers) == 1


# -- different people are different speakers --------------------------------------------------

APART = [
    pytest.param(["Hillary Clinton", "Bill Clinton", "Chelsea Clinton"], id="clintons"),
    pytest.param(["John Smith", "Jane Smith"], id="first-names-differ"),
    pytest.param(["Jeb Bush", "George W. Bush", "George H.W. Bush"], id="bushes"),
    pytest.param(["George W. Bush", "George H. W. Bush"], id="middle-initials-differ"),
    pytest.param(["Donald Trump", "Donald Trump Jr."], id="junior"),
    pytest.param(["Barack Obama", "Michelle Obama"], id="spouses"),
    pytest.param(["Charles Koch", "David Koch"], id="brothers"),
    pytest.param(["Time", "Times"], id="orgs-not-plural-folded"),
]


@pytest.mark.parametrize("names", APART)
def test_different_people_stay_apart(names: list[str]) -> None:
    kind = "organization" if names[0].startswith("Time") else "person"
    records = corpus(*[(name, 3, kind) for name in names])
    identity = assign_speakers(records)
    found = [one_id(identity, records, name) for name in names]
    assert len(set(found)) == len(names)


# -- a surname alone ---------------------------------------------------------------------------

SURNAME = [
    # (corpus, the short name, the full name it joins or None for a speaker of its own)
    pytest.param([("Hillary Clinton", 9), ("Bill Clinton", 1)], "Clinton", "Hillary Clinton", id="dominant"),
    pytest.param([("Hillary Clinton", 8), ("Bill Clinton", 2)], "Clinton", "Hillary Clinton", id="at-80"),
    pytest.param([("Hillary Clinton", 7), ("Bill Clinton", 3)], "Clinton", None, id="ambiguous"),
    pytest.param([("Jeb Bush", 5), ("George W. Bush", 5)], "Bush", None, id="bush-ambiguous"),
    pytest.param([("Dan Carden", 1)], "Mr Carden", "Dan Carden", id="only-one"),
    pytest.param([("Hillary Clinton", 5), ("Bill Clinton", 5)], "Mrs. Clinton", "Hillary Clinton", id="mrs"),
    pytest.param([("Hillary Clinton", 5), ("Bill Clinton", 5)], "Mr. Clinton", "Bill Clinton", id="mr"),
    pytest.param([("Hillary Clinton", 5), ("Bill Clinton", 5)], "Clinton", None, id="no-honorific"),
    pytest.param([("Michelle Obama", 5)], "Mr. Obama", None, id="mr-is-not-her"),
    pytest.param(
        [("Hillary Clinton", 5), ("Chelsea Clinton", 5), ("Bill Clinton", 9)],
        "Ms. Clinton",
        None,
        id="two-women",
    ),
    pytest.param(
        [("Hillary Clinton", 5), ("Bill Clinton", 5)], "H. Clinton", "Hillary Clinton", id="initial"
    ),
    pytest.param(
        [("Bill Clinton", 5), ("Hillary Clinton", 5)], "B. Clinton", "Bill Clinton", id="initial-nick"
    ),
    pytest.param(
        [("Hillary Rodham Clinton", 2), ("Bill Clinton", 9)],
        "Rodham Clinton",
        "Hillary Rodham Clinton",
        id="tail",
    ),
    pytest.param([("Among Latinos", 1)], "Latinos", None, id="no-first-name"),
    pytest.param([("Nobody Here", 3)], "Carden", None, id="no-candidate"),
    pytest.param([("Donald Trump", 20), ("Donald Trump Jr.", 1)], "Trump", "Donald Trump", id="senior"),
    pytest.param(
        [("Donald Trump", 20), ("Donald Trump Jr.", 1)], "Trump Jr.", "Donald Trump Jr.", id="junior"
    ),
]


@pytest.mark.parametrize("specs, short, joins", SURNAME)
def test_surname_alone(specs: list[tuple[str, int]], short: str, joins: str | None) -> None:
    records = corpus(*specs, (short, 2))
    identity = assign_speakers(records)
    short_id = one_id(identity, records, short)
    full_ids = {name: one_id(identity, records, name) for name, _ in specs}
    if joins is None:
        assert short_id not in full_ids.values()
        assert identity.speakers[short_id or ""].name == short.split()[-1]
    else:
        assert short_id == full_ids[joins]


def test_first_name_alone_is_a_speaker_of_its_article_only() -> None:
    # "Bob" of one article and "Bob" of another are two people; a first name that is someone's
    # surname stays a surname (joined or not), and an honorific makes a bare word a surname
    records = corpus(
        ("Bob", 2),
        ("Lindsey Graham", 4),
        ("Graham", 2),
        ("Mr. Melanie", 2),
        ("Hillary Clinton", 3),
        ("Bill Clinton", 3),
        ("Clinton", 2),
    )
    identity = assign_speakers(records)
    bobs = ids_of(identity, records, "Bob")
    assert len(bobs) == 2 and None not in bobs
    assert bobs == {speaker_id("person:bob@art0"), speaker_id("person:bob@art1")}
    assert one_id(identity, records, "Graham") == one_id(identity, records, "Lindsey Graham")
    assert one_id(identity, records, "Mr. Melanie") == speaker_id("person:melanie")
    assert all(identity.speakers[b].name == "Bob" for b in bobs if b)
    assert one_id(identity, records, "Clinton") == speaker_id("person:clinton")


def test_bare_surname_id_derives_from_the_surname() -> None:
    records = corpus(("Jeb Bush", 5), ("George W. Bush", 5), ("Bush", 1), ("Mr. Bush", 1))
    identity = assign_speakers(records)
    assert one_id(identity, records, "Bush") == speaker_id("person:bush")
    assert one_id(identity, records, "Mr. Bush") == speaker_id("person:bush")


def test_dominance_is_configurable() -> None:
    records = corpus(("Hillary Clinton", 9), ("Bill Clinton", 1), ("Clinton", 1))
    assert DOMINANCE == 0.8
    strict = assign_speakers(records, dominance=0.95)
    loose = assign_speakers(records)
    assert one_id(strict, records, "Clinton") != one_id(strict, records, "Hillary Clinton")
    assert one_id(loose, records, "Clinton") == one_id(loose, records, "Hillary Clinton")


def test_bare_name_joins_dominant_middle_name() -> None:
    records = corpus(("George W. Bush", 9), ("George H.W. Bush", 1), ("George Bush", 2))
    identity = assign_speakers(records)
    assert one_id(identity, records, "George Bush") == one_id(identity, records, "George W. Bush")
    assert one_id(identity, records, "George H.W. Bush") != one_id(identity, records, "George W. Bush")


@pytest.mark.parametrize(
    "specs, joined",
    [
        ([("Martin Luther King Jr.", 9), ("Martin Luther King", 1)], True),
        ([("Donald Trump Jr.", 1), ("Donald Trump", 9)], False),
        ([("Donald Trump Jr.", 9), ("Donald Trump Sr.", 9), ("Donald Trump", 1)], False),
    ],
)
def test_suffix_joins_only_when_dominant(specs: list[tuple[str, int]], joined: bool) -> None:
    records = corpus(*specs)
    identity = assign_speakers(records)
    found = {one_id(identity, records, name) for name, _ in specs}
    assert len(found) == (1 if joined else len(specs))


# -- no proper name, no speaker ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, kind",
    [
        ("the spokesman", "person"),
        ("he", "person"),
        ("She", "person"),
        ("President", "person"),
        ("the Senator", "person"),
        ("Mr", "person"),
        ("officials", "person"),
        ("", "person"),
        ("Hillary Clinton", "unnamed"),
        ("the company", "organization"),
        ("his campaign", "organization"),
    ],
)
def test_no_speaker(name: str, kind: str) -> None:
    records = corpus((name, 1, kind))
    identity = assign_speakers(records)
    assert identity.speaker_of == {}
    assert identity.speakers == {}


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Mr. Trump's", ("", (), "trump", "", "male")),
        ("Mrs. Clinton", ("", (), "clinton", "", "female")),
        ("Donald J. Trump", ("donald", ("j",), "trump", "", None)),
        ("George H.W. Bush", ("george", ("h", "w"), "bush", "", None)),
        ("Martin Luther King Jr.", ("martin", ("luther",), "king", "jr", None)),
        ("Bill Clinton", ("bill", (), "clinton", "", None)),
        ("the spokesman", None),
    ],
)
def test_parse_person(name: str, expected: tuple[object, ...] | None) -> None:
    assert parse_person(name) == expected


# -- organisations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("The FBI", "fbi"),
        ("F.B.I.", "fbi"),
        ("Acme Corp.", "acme"),
        ("Acme, Inc.", "acme"),
        ("AT&T", "at and t"),
        ("Fox News’s", "fox news"),
        ("Université de Genève", "universite de geneve"),
        ("the company", None),
    ],
)
def test_org_key(name: str, expected: str | None) -> None:
    assert org_key(name) == expected


@pytest.mark.parametrize(
    "names, kind",
    [
        (["FBI", "The F.B.I.", "Federal Bureau of Investigation", "the FBI's"], "organization"),
        (["Acme Corp.", "ACME Inc.", "Acme"], "organization"),
        (["Republicans", "Republican", "REPUBLICANS"], "group"),
    ],
)
def test_organisation_variants(names: list[str], kind: str) -> None:
    records = corpus(*[(name, 2, kind) for name in names])
    identity = assign_speakers(records)
    assert len(identity.speakers) == 1
    (summary,) = identity.speakers.values()
    assert summary.kind == kind


def test_acronym_of_two_names_stays_apart() -> None:
    records = corpus(
        ("Democratic National Committee", 5, "organization"),
        ("Democratic National Convention", 5, "organization"),
        ("DNC", 5, "organization"),
    )
    identity = assign_speakers(records)
    assert len(identity.speakers) == 3


def test_person_and_organisation_of_one_name_stay_apart() -> None:
    records = corpus(("Jordan", 2, "person"), ("Jordan", 2, "organization"))
    identity = assign_speakers(records)
    assert len(identity.speakers) == 2


# -- stable ids --------------------------------------------------------------------------------

MIXED = corpus(
    ("Hillary Clinton", 6),
    ("Bill Clinton", 3),
    ("Mrs. Clinton", 1),
    ("Clinton", 2),
    ("Donald J. Trump", 2),
    ("Donald Trump", 4),
    ("Trump", 3),
    ("George W. Bush", 2),
    ("George H. W. Bush", 2),
    ("George Bush", 1),
    ("FBI", 2, "organization"),
    ("Federal Bureau of Investigation", 1, "organization"),
    ("the spokesman", 1),
)


def test_ids_do_not_depend_on_order() -> None:
    expected = assign_speakers(MIXED)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = list(MIXED)
        rng.shuffle(shuffled)
        assert assign_speakers(shuffled) == expected


def test_ids_derive_from_canonical_keys() -> None:
    identity = assign_speakers(MIXED)
    assert one_id(identity, MIXED, "Trump") == speaker_id("person:donald trump")
    assert one_id(identity, MIXED, "Bill Clinton") == speaker_id("person:william clinton")
    assert one_id(identity, MIXED, "FBI") == speaker_id("org:federal bureau of investigation")
    assert speaker_id("person:donald trump").startswith("sp_") and len(speaker_id("x")) == 15


def test_reingesting_an_article_keeps_ids_and_counts() -> None:
    first = assign_speakers(MIXED)
    again = assign_speakers([*MIXED, *MIXED[:5]])
    assert again == first


def test_adding_articles_keeps_ids() -> None:
    first = assign_speakers(MIXED)
    added = [NameRecord(f"new{i}", "e1", name, "person") for i, name in enumerate(["Keir Starmer", "Trump"])]
    more = assign_speakers([*MIXED, *added])
    assert all(more.speaker_of[key] == sid for key, sid in first.speaker_of.items())


# -- corrections -------------------------------------------------------------------------------


def test_merge_by_id_and_by_name() -> None:
    records = corpus(("Hillary Clinton", 7), ("Bill Clinton", 3), ("Clinton", 2))
    before = assign_speakers(records)
    bare, hillary = one_id(before, records, "Clinton"), one_id(before, records, "Hillary Clinton")
    assert bare != hillary
    for correction in (
        Correction("merge", bare or "", hillary),
        Correction("merge", "Clinton", "Hillary Clinton"),
    ):
        after = assign_speakers(records, [correction])
        assert one_id(after, records, "Clinton") == hillary
        assert bare not in after.speakers
        assert after.speakers[hillary or ""].articles == 9
        assert after.speakers[hillary or ""].aliases == {"Hillary Clinton": 7, "Clinton": 2}
        assert after.unapplied == []


def test_split_alias() -> None:
    records = corpus(("Donald Trump", 5), ("Trump", 2), ("TRUMP", 1))
    before = assign_speakers(records)
    trump = one_id(before, records, "Donald Trump")
    after = assign_speakers(records, [Correction("split", trump or "", alias="trump")])
    split = speaker_id("split:trump")
    assert one_id(after, records, "Trump") == split
    assert one_id(after, records, "TRUMP") == split  # case-insensitive
    assert one_id(after, records, "Donald Trump") == trump
    assert after.speakers[split].articles == 3
    assert after.speakers[trump or ""].articles == 5


def test_corrections_apply_in_order() -> None:
    records = corpus(("Hillary Clinton", 7), ("Bill Clinton", 3), ("Clinton", 2))
    identity = assign_speakers(
        records,
        [
            Correction("merge", "Clinton", "Bill Clinton"),
            # "Clinton" was merged into Bill Clinton: the old id follows it
            Correction("split", speaker_id("person:clinton"), alias="Clinton"),
        ],
    )
    assert one_id(identity, records, "Clinton") == speaker_id("split:clinton")
    assert identity.speakers[one_id(identity, records, "Bill Clinton") or ""].articles == 3


def test_unknown_correction_is_kept_aside() -> None:
    records = corpus(("Hillary Clinton", 2), ("Bill Clinton", 2))
    unknown = [
        Correction("merge", "sp_000000000000", "Hillary Clinton"),
        Correction("merge", "Hillary Clinton", "Nobody Known"),
        Correction("split", "sp_000000000000", alias="Clinton"),
        Correction("split", "Hillary Clinton"),
    ]
    identity = assign_speakers(records, unknown)
    assert identity.unapplied == unknown
    assert identity.speaker_of == assign_speakers(records).speaker_of


# -- summaries ---------------------------------------------------------------------------------


def test_summary() -> None:
    records = [
        NameRecord("a1", "e1", "Sen. Dan Carden", "person", ("Labour MP",), "2024-03-01", "LBC", 2),
        NameRecord("a2", "e4", "Dan Carden", "person", ("Labour MP", "minister"), "2023-01-05", "BBC", 1),
        NameRecord("a3", "e2", "Dan Carden", "person", ("Labour MP",), None, "LBC", 0),
        NameRecord("a3", "e9", "Mr Carden", "person", (), "2025-06-30", None, 4),
        NameRecord("a4", "e1", "Daniel Carden", "person", ("minister",), "2022-11-11", "LBC", 0),
        NameRecord("a5", "e3", "Dan Carden", "person", ("Labour MP",), "2023-06-01", "LBC", 0),
    ]
    identity = assign_speakers(records)
    assert len(identity.speakers) == 1
    (summary,) = identity.speakers.values()
    assert summary.id == speaker_id("person:daniel carden")
    assert summary.name == "Dan Carden"
    assert summary.kind == "person"
    assert summary.aliases == {"Sen. Dan Carden": 1, "Dan Carden": 3, "Mr Carden": 1, "Daniel Carden": 1}
    assert summary.roles == {
        "Labour MP": ("2023-01-05", "2024-03-01", 4),
        "minister": ("2022-11-11", "2023-01-05", 2),
    }
    assert summary.outlets == {"LBC": 4, "BBC": 1}
    assert summary.articles == 5
    assert summary.quotes == 7


def test_summary_roles_without_dates() -> None:
    records = [NameRecord("a1", "e1", "Jess Phillips", "person", ("minister", "minister"))]
    (summary,) = assign_speakers(records).speakers.values()
    assert summary.roles == {"minister": (None, None, 1)}


@pytest.mark.parametrize(
    "specs, expected",
    [
        ([("Obama", 10), ("Barack Obama", 4)], "Barack Obama"),
        ([("Twitter", 30), ("realDonaldTrump Twitter", 2)], "Twitter"),
        ([("HILLARY CLINTON", 2), ("Hillary Clinton", 2)], "Hillary Clinton"),
        ([("Hillary Rodham Clinton", 2), ("Hillary Clinton", 2)], "Hillary Clinton"),
        ([("Peña Nieto", 1), ("Enrique Peña Nieto", 1)], "Enrique Peña Nieto"),
        ([("Comedian Sarah Silverman", 1), ("Sarah Silverman", 1)], "Sarah Silverman"),
        ([("Mr. Trump", 2), ("President Donald J. Trump", 1)], "Donald J. Trump"),
        ([("GOP", 20, "organization"), ("Grand Old Party", 1, "organization")], "GOP"),
        ([("The White House", 3, "organization"), ("White House", 1, "organization")], "White House"),
    ],
)
def test_display_name(specs: list[Spec], expected: str) -> None:
    (summary,) = assign_speakers(corpus(*specs)).speakers.values()
    assert summary.name == expected


def test_duplicate_entity_keeps_one_record_whatever_the_order() -> None:
    base = NameRecord("a1", "e1", "Dan Carden", "person", quotes=1)
    other = replace(base, quotes=3)
    one = assign_speakers([base, other])
    two = assign_speakers([other, base])
    assert one == two
    assert next(iter(one.speakers.values())).quotes == 3


# -- scale smoke check -------------------------------------------------------------------------


def test_many_records_smoke() -> None:
    rng = random.Random(3)
    firsts = ["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun"]
    lasts = [f"Name{i}" for i in range(2000)]
    records: list[NameRecord] = []
    for i in range(40_000):
        first, last = rng.choice(firsts), rng.choice(lasts)
        form = rng.choice([f"{first} {last}", last, f"Dr. {first} {last}", f"{first} Q. {last}"])
        records.append(NameRecord(f"a{i // 8}", f"e{i}", form, "person", ("role",), "2016-01-01", "X", 1))
    identity = assign_speakers(records)
    assert len(identity.speaker_of) == len(records)
    assert sum(s.quotes for s in identity.speakers.values()) == len(records)
