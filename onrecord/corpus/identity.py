"""Speaker identity across a corpus: one stable speaker id per person or organisation.

``assign_speakers`` reads the ``NameRecord`` of every entity of every article (its in-article
name) and gives each named one a speaker id shared by all its articles. The cascade, in order:

1. **Parse** each distinct name once. Person names lose honorifics and titles, possessives,
   punctuation, case and accents ("Mr. Trump's" -> ``trump``); a name that is no proper name
   ("the spokesman", "he", a title alone) gets no speaker. Middle names and initials are kept
   aside, a "Jr." suffix stays part of the name, and a nickname stands for its formal first name
   ("Bill" -> ``william``).
2. **Full names** (first and last name) sharing first and last name are one person when their
   middle names fit ("Donald J. Trump", "Donald John Trump", "Donald Trump"). Two middle names
   that do not fit ("George W. Bush", "George H.W. Bush") are two people, and the bare form goes
   to the dominant one. Different first names are different people ("Bill Clinton", "Hillary
   Clinton"), so are "Donald Trump" and "Donald Trump Jr." unless the suffixed form dominates
   ("Martin Luther King Jr."). A leading word that is no first name in the name lexicon of
   ``onrecord.resolve.gender`` is dropped where the rest is a known name ("Rip Donald Trump").
3. **Short names** (a surname alone, "Mr Carden", "H. Clinton", and the end of a longer name,
   "Rodham Clinton") join the person whose full name they fit only when that person is
   dominant: at least ``dominance`` of the full-name records of the candidates. A gendered
   honorific ("Mrs. Clinton") first rules out the candidates whose first name has the other
   gender. A candidate whose first word is no known first name and that was seen once
   ("Among Latinos") is never joined. Otherwise the short name is a speaker of its own
   (``person:clinton``), except a first name used alone that is no full name's surname ("Bob",
   no honorific): that is a speaker of its article only (``person:bob@ARTICLE``), since two
   articles' "Bob" are seldom one man.
4. **Organisations and groups** are one speaker per normal form (case, accents, "the",
   punctuation, suffixes like "Inc." ignored; a group's plural joins its singular); an acronym
   joins the organisation whose initials it is ("FBI", "Federal Bureau of Investigation") when
   that one is dominant among those with the same initials.
5. **Corrections** are applied in order: ``merge`` gives all of speaker ``a`` the id of ``b``
   (each an id, or a name: the speaker with most records of that name); ``split`` gives the
   records of ``a`` named ``alias`` (case-insensitively) the id of ``split:alias``. A merged id
   still names its new speaker in later corrections; a correction naming no known speaker is
   returned in ``Identity.unapplied``. The summaries are computed after the corrections.

Ids are ``"sp_" + sha1(canonical)[:12]`` where ``canonical`` is the cluster's key
(``person:donald trump``, ``org:federal bureau of investigation``), so they depend on neither the
order of the records nor the display name, and re-ingesting an article keeps them. Every step
works on distinct names, not on records, so the cost grows with the corpus, not its square.

The names are parsed in ``onrecord.corpus.speaker_names`` and clustered in
``onrecord.corpus.speaker_keys``; this module assigns the ids, applies the corrections and sums
up each speaker.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from onrecord.corpus.speaker_keys import cluster_orgs, cluster_people
from onrecord.corpus.speaker_names import POSSESSIVE, PersonName, fold, org_key, org_words, parse_person
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.names import name_words, split_title
from onrecord.store.records import Correction, NameRecord

DOMINANCE = 0.8  # share of a surname's full-name records that lets a bare surname join that person

Role = tuple[str | None, str | None, int]  # (first date, last date, count)

_NAME, _KIND, _OUTLET = attrgetter("name"), attrgetter("kind"), attrgetter("outlet")
_ARTICLE, _QUOTES = attrgetter("article_id"), attrgetter("quotes")


@dataclass(slots=True)
class SpeakerSummary:
    """What the corpus says about one speaker.

    ``name`` is its most frequent full form; ``aliases`` counts the names its records give,
    ``roles`` each description with the first and last publication date it was seen at.
    """

    id: str
    name: str
    kind: str
    aliases: dict[str, int] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    outlets: dict[str, int] = field(default_factory=dict)
    articles: int = 0
    quotes: int = 0


@dataclass(slots=True)
class Identity:
    """Speaker ids of a corpus: ``speaker_of[(article_id, entity_id)]`` and a summary per id.

    ``unapplied`` holds the corrections that named no known speaker; they are kept for later.
    """

    speaker_of: dict[tuple[str, str], str] = field(default_factory=dict)
    speakers: dict[str, SpeakerSummary] = field(default_factory=dict)
    unapplied: list[Correction] = field(default_factory=list)


def speaker_id(canonical: str) -> str:
    """The id of the speaker whose cluster key is ``canonical``: 'person:donald trump' -> 'sp_...'."""
    digest = hashlib.sha1(canonical.encode("utf-8"), usedforsecurity=False).hexdigest()
    return "sp_" + digest[:12]


def _display(aliases: Counter[str], person: bool) -> str:
    """The most frequent full form (two words or more) of a name, unless a shorter form is ten times
    as frequent ("GOP" over one "Grand Old Party"); ties: mixed case, a known first name, fewer
    words, A-Z."""
    forms: Counter[str] = Counter()
    for alias, n in aliases.items():
        words = alias.split()
        if person:
            words = split_title(words)[1]
            if words:
                words[-1] = POSSESSIVE.sub("", words[-1])
        else:
            words = org_words(alias)
        forms[" ".join(words)] += n
    top = max(forms.values())
    full = [f for f in forms if len(f.split()) >= 2 and forms[f] >= 0.1 * top] or list(forms)
    if not person:
        return min(full, key=lambda f: (-forms[f], f.isupper(), len(f.split()), f))
    # a known first name first: "Enrique Peña Nieto" over "Peña Nieto", "Sarah Silverman" over
    # "Comedian Sarah Silverman"
    return min(
        full,
        key=lambda f: (
            -forms[f],
            f.isupper(),
            first_name_gender((f.split() or [""])[0]) is None,
            len(f.split()),
            f,
        ),
    )


def assign_speakers(
    records: Sequence[NameRecord],
    corrections: Sequence[Correction] = (),
    *,
    dominance: float = DOMINANCE,
) -> Identity:
    """One speaker id per person or organisation across ``records``, then ``corrections``.

    A record of kind ``unnamed``, or whose name is no proper name, gets no speaker. See the
    module docstring for the rules; ``dominance`` is the share of a surname's full-name records
    that one person needs for the bare surname to join them.
    """
    unique: dict[tuple[str, str], NameRecord] = {}
    for record in records:
        key = (record.article_id, record.entity_id)
        if key not in unique or _order(record) > _order(unique[key]):
            unique[key] = record  # the same entity given twice: keep one, whatever the order
    people: dict[str, PersonName | None] = {}
    orgs: dict[str, str | None] = {}
    person_counts: Counter[PersonName] = Counter()
    org_forms: dict[str, Counter[str]] = defaultdict(Counter)
    org_kinds: dict[str, Counter[bool]] = defaultdict(Counter)
    for record in unique.values():
        if record.kind == "unnamed":
            continue
        if record.kind == "person":
            if record.name not in people:
                people[record.name] = parse_person(record.name)
            person = people[record.name]
            if person is not None:
                person_counts[person] += 1
        else:
            if record.name not in orgs:
                orgs[record.name] = org_key(record.name)
            org = orgs[record.name]
            if org is not None:
                org_forms[org][record.name] += 1
                org_kinds[org][record.kind == "group"] += 1
    person_keys = cluster_people(person_counts, dominance)
    surnames = {p.last for p in person_counts if len(p.first) > 1}
    groups = {key for key, kinds in org_kinds.items() if kinds[True] > kinds[False]}
    org_final = cluster_orgs(org_forms, groups, dominance)
    ids: dict[str, str] = {}
    assigned: dict[tuple[str, str], str] = {}
    for key, record in unique.items():
        canonical = None
        if record.kind == "person":
            person = people.get(record.name)
            if person is not None and person in person_keys:
                cluster = person_keys[person]
                if _given_name_alone(person, cluster, surnames):
                    cluster = f"{cluster}@{record.article_id}"
                canonical = "person:" + cluster
        elif record.kind != "unnamed":
            org = orgs.get(record.name)
            if org is not None:
                canonical = "org:" + org_final[org]
        if canonical is not None:
            if canonical not in ids:
                ids[canonical] = speaker_id(canonical)
            assigned[key] = ids[canonical]
    unapplied = _apply_corrections(assigned, unique, corrections)
    return Identity(assigned, _summaries(assigned, unique), unapplied)


def _given_name_alone(person: PersonName, key: str, surnames: set[str]) -> bool:
    """A known first name alone that joined nobody and is no one's surname in the corpus ("Bob";
    not "Mr. Graham", not "Clinton" where Bill and Hillary Clinton are named)."""
    return (
        not person.first
        and not person.suffix
        and person.gender is None
        and key == person.last
        and person.last not in surnames
        and first_name_gender(person.last) is not None
    )


def _order(record: NameRecord) -> tuple[str, str, tuple[str, ...], str, str, int]:
    return (
        record.name,
        record.kind,
        record.descriptions,
        record.published or "",
        record.outlet or "",
        record.quotes,
    )


def _lookup(name: str) -> str:
    return " ".join(fold(w) for w in name_words(name))


def _apply_corrections(
    assigned: dict[tuple[str, str], str],
    records: dict[tuple[str, str], NameRecord],
    corrections: Sequence[Correction],
) -> list[Correction]:
    """Apply merges and splits in order to ``assigned``; return those naming no known speaker."""
    if not corrections:
        return []
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    names: dict[str, Counter[str]] = defaultdict(Counter)  # lookup form -> speaker -> records
    for key, sid in assigned.items():
        members[sid].append(key)
        names[_lookup(records[key].name)][sid] += 1
    forward: dict[str, str] = {}

    def move(keys: list[tuple[str, str]], source: str, target: str) -> None:
        for key in keys:
            assigned[key] = target
            members[target].append(key)
            lookup = names[_lookup(records[key].name)]
            lookup[source] -= 1
            lookup[target] += 1
            if not lookup[source]:
                del lookup[source]

    def resolve(ref: str | None) -> str | None:
        if ref is None:
            return None
        while ref not in members and ref in forward:
            ref = forward[ref]  # a merged speaker: the one it was merged into
        if ref in members:
            return ref
        holders = names.get(_lookup(ref))
        return min(holders, key=lambda s: (-holders[s], s)) if holders else None

    unapplied = []
    for correction in corrections:
        source = resolve(correction.a)
        if correction.action == "merge":
            target = resolve(correction.b)
            if source is None or target is None:
                unapplied.append(correction)
            elif source != target:
                move(members.pop(source), source, target)
                forward[source] = target
        elif source is None or not correction.alias:
            unapplied.append(correction)
        else:
            alias = correction.alias.strip().casefold()
            split = [k for k in members[source] if records[k].name.strip().casefold() == alias]
            if split:
                gone = set(split)
                members[source] = [k for k in members[source] if k not in gone]
                if not members[source]:
                    del members[source]
                move(split, source, speaker_id("split:" + alias))
    return unapplied


def _roles(members: list[NameRecord]) -> dict[str, Role]:
    """Each description of the records, with the first and last date it was given and how often."""
    seen: dict[str, list[Any]] = {}  # role -> [first, last, count]
    for record in members:
        if not record.descriptions:
            continue
        date = record.published
        for role in set(record.descriptions):
            entry = seen.get(role)
            if entry is None:
                seen[role] = [date, date, 1]
                continue
            entry[2] += 1
            if date is not None:
                if entry[0] is None or date < entry[0]:
                    entry[0] = date
                if entry[1] is None or date > entry[1]:
                    entry[1] = date
    return {role: (first, last, count) for role, (first, last, count) in sorted(seen.items()) if role}


def _summaries(
    assigned: dict[tuple[str, str], str], records: dict[tuple[str, str], NameRecord]
) -> dict[str, SpeakerSummary]:
    by_speaker: dict[str, list[NameRecord]] = defaultdict(list)
    for key, sid in assigned.items():
        by_speaker[sid].append(records[key])
    summaries = {}
    for sid in sorted(by_speaker):
        members = by_speaker[sid]
        kinds = Counter(map(_KIND, members))
        kind = min(kinds, key=lambda k: (-kinds[k], k))
        aliases = Counter(map(_NAME, members))
        summaries[sid] = SpeakerSummary(
            id=sid,
            name=_display(aliases, kind == "person"),
            kind=kind,
            aliases=dict(aliases),
            roles=_roles(members),
            outlets=dict(Counter(filter(None, map(_OUTLET, members)))),
            articles=len(set(map(_ARTICLE, members))),
            quotes=sum(map(_QUOTES, members)),
        )
    return summaries
