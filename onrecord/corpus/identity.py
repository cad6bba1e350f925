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
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, NamedTuple

from onrecord.lexicon import FEMALE_HONORIFICS, HONORIFICS, MALE_HONORIFICS, TITLES
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.names import abbreviates, name_words, split_title
from onrecord.store.records import Correction, NameRecord

DOMINANCE = 0.8  # share of a surname's full-name records that lets a bare surname join that person

Role = tuple[str | None, str | None, int]  # (first date, last date, count)

_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_NAMES = frozenset(
    """
    the a an this that these those his her their its our my your some another one both each several
    many such he she they it i we you him them us me who whom someone somebody anyone everyone nobody
    """.split()
)
_ORG_SUFFIXES = frozenset("inc incorporated corp corporation co ltd llc plc lp".split())
_NICKNAMES = {
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
_NAME, _KIND, _OUTLET = attrgetter("name"), attrgetter("kind"), attrgetter("outlet")
_ARTICLE, _QUOTES = attrgetter("article_id"), attrgetter("quotes")
_ORG_PUNCT = re.compile(r"[^\w\s]")
_POSSESSIVE = re.compile(r"['’]s\b")


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


class PersonName(NamedTuple):
    """A parsed person name: ``first`` is '' for a surname alone, one letter for an initial."""

    first: str
    middles: tuple[str, ...]
    last: str
    suffix: str
    gender: str | None  # from an honorific in the name ("Mrs. Clinton")


def speaker_id(canonical: str) -> str:
    """The id of the speaker whose cluster key is ``canonical``: 'person:donald trump' -> 'sp_...'."""
    digest = hashlib.sha1(canonical.encode("utf-8"), usedforsecurity=False).hexdigest()
    return "sp_" + digest[:12]


def _fold(text: str) -> str:
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
    suffix = suffix if suffix in _SUFFIXES else ""
    words = name_words(name)
    if not words or not _proper(words):
        return None
    folded = [_fold(w) for w in words]
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


def _org_words(name: str) -> list[str]:
    words = name.split()
    return words[1:] if words and words[0].lower() == "the" else words


def org_key(name: str) -> str | None:
    """The normal form of an organisation's name: 'The F.B.I.' -> 'fbi', 'Acme Corp.' -> 'acme'."""
    if not _proper(_org_words(name)):
        return None  # "the company"
    text = _POSSESSIVE.sub("", _fold(name).replace("&", " and ").replace(".", ""))
    words = _ORG_PUNCT.sub(" ", text).split()
    if words and words[0] == "the":
        words = words[1:]
    if not words or words[0] in _NOT_NAMES:
        return None
    while len(words) > 1 and words[-1] in _ORG_SUFFIXES:
        words.pop()
    return " ".join(words)


def _dominant(counts: dict[str, int], share: float) -> str | None:
    """The key holding at least ``share`` of the total count, if any."""
    if not counts:
        return None
    best = min(counts, key=lambda key: (-counts[key], key))
    return best if counts[best] >= share * sum(counts.values()) else None


def _fits(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether two middle-name lists can be one person's: 'J' ~ 'John', 'Rodham' ~ 'Diane Rodham',
    but not 'W' ~ 'H W' (initials are compared position by position)."""
    if len(short) > len(long):
        short, long = long, short
    if not short:
        return True

    def same(a: str, b: str) -> bool:
        return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))

    if any(len(w) == 1 for w in short + long):
        return len(short) == len(long) and all(same(a, b) for a, b in zip(short, long, strict=True))
    found = 0
    for word in long:
        if found < len(short) and same(short[found], word):
            found += 1
    return found == len(short)


def _groupings(full: Iterable[PersonName]) -> dict[PersonName, tuple[PersonName, str]]:
    """The name each full name is grouped under, with its first name as written.

    A nickname stands for its formal name ("Bill" -> ``william``). A first word that is no first
    name, before a known name, is dropped ("Rip Donald Trump", "Follow Pam Key").
    """
    full = list(full)
    known = {(_NICKNAMES.get(p.first, p.first), p.last, p.suffix) for p in full}
    grouped = {}
    for p in full:
        grouped[p] = (p._replace(first=_NICKNAMES.get(p.first, p.first)), p.first)
        if p.middles and len(p.middles[0]) > 1 and first_name_gender(p.first) is None:
            first = p.middles[0]
            rest = p._replace(first=_NICKNAMES.get(first, first), middles=p.middles[1:])
            if (rest.first, rest.last, rest.suffix) in known and first_name_gender(first):
                grouped[p] = (rest, first)
    return grouped


def _tails(full: Iterable[PersonName]) -> dict[PersonName, set[PersonName]]:
    """Two-word names that end a longer name ("Rodham Clinton", "Wasserman Schultz"), each with
    the longer names: a first word the name lexicon does not know makes them no first name."""
    full = list(full)
    ends: dict[tuple[str, str], set[PersonName]] = defaultdict(set)
    for p in full:
        if p.middles and len(p.middles[-1]) > 1:
            ends[(p.middles[-1], p.last)].add(p)
    return {
        p: ends[(p.first, p.last)]
        for p in full
        if not p.middles and (p.first, p.last) in ends and first_name_gender(p.first) is None
    }


def _full_keys(
    full: dict[PersonName, int], grouped: dict[PersonName, tuple[PersonName, str]], dominance: float
) -> dict[PersonName, str]:
    """Cluster keys of full names: one per first and last name, split by middle names that do
    not fit ("George W. Bush", "George H.W. Bush")."""
    groups: dict[tuple[str, str, str], Counter[tuple[str, ...]]] = defaultdict(Counter)
    members: dict[tuple[str, str, str, tuple[str, ...]], list[PersonName]] = defaultdict(list)
    for p, n in full.items():
        q = grouped[p][0]
        groups[(q.first, q.last, q.suffix)][q.middles] += n
        members[(q.first, q.last, q.suffix, q.middles)].append(p)
    # "Martin Luther King" is "Martin Luther King Jr." where the suffixed form dominates
    endings: dict[tuple[str, str], list[str]] = defaultdict(list)
    for first, last, suffix in groups:
        endings[(first, last)].append(suffix)
    for (first, last), found in endings.items():
        if len(found) != 2 or "" not in found:
            continue  # no plain form, or two suffixes ("Sr.", "Jr."): nothing to join
        suffix = max(found)
        plain, suffixed = groups[(first, last, "")], groups[(first, last, suffix)]
        if suffixed.total() >= dominance * (suffixed.total() + plain.total()):
            for middles, n in groups.pop((first, last, "")).items():
                suffixed[middles] += n
                members[(first, last, suffix, middles)] += members.pop((first, last, "", middles))
    keys: dict[PersonName, str] = {}
    for (first, last, suffix), middles_counts in groups.items():
        base = " ".join(w for w in (first, last, suffix) if w)
        families: list[list[tuple[str, ...]]] = []
        for middles in sorted((m for m in middles_counts if m), key=lambda m: (-middles_counts[m], m)):
            home = next((f for f in families if all(_fits(middles, m) for m in f)), None)
            if home is None:
                families.append([middles])
            else:
                home.append(middles)
        named: dict[tuple[str, ...], str] = {}
        if len(families) > 1:
            # each family is a person; the bare name and the family key go to the dominant one
            by_key = {
                " ".join((first, *max(f, key=lambda m: (len(m), m)), last, suffix)).strip(): f
                for f in families
            }
            home_key = _dominant({k: sum(middles_counts[m] for m in f) for k, f in by_key.items()}, dominance)
            named = {m: (base if k == home_key else k) for k, f in by_key.items() for m in f}
        for middles in middles_counts:
            for p in members[(first, last, suffix, middles)]:
                keys[p] = named.get(middles, base)
    return keys


def _person_keys(counts: Counter[PersonName], dominance: float) -> dict[PersonName, str]:
    """The cluster key of every parsed person name."""
    full = {p: n for p, n in counts.items() if len(p.first) > 1}
    grouped = _groupings(full)
    tail_of = _tails(full)
    keys = _full_keys({p: n for p, n in full.items() if p not in tail_of}, grouped, dominance)
    # what the short names are matched on: records, gender, surname, first initials
    size: Counter[str] = Counter()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    by_last: dict[tuple[str, str], set[str]] = defaultdict(set)
    initials: dict[str, set[str]] = defaultdict(set)
    first_names: set[str] = set()  # clusters whose first name is a known one
    for p, key in keys.items():
        size[key] += full[p]
        q, written = grouped[p]
        gender = first_name_gender(written) or p.gender
        if gender:
            votes[key][gender] += full[p]
        if first_name_gender(written):
            first_names.add(key)
        by_last[(p.last, "")].add(key)
        by_last[(p.last, p.suffix)].add(key)
        initials[key].update((q.first[0], written[0]))
    genders = {key: min(v, key=lambda g: (-v[g], g)) for key, v in votes.items()}

    def pick(candidates: set[str], gender: str | None) -> str | None:
        """The dominant candidate of the mention's gender, unless it may be no name at all: a
        first word the name lexicon does not know, seen once ("Among Latinos")."""
        if gender is not None:
            candidates = {c for c in candidates if genders.get(c) in (gender, None)}
        found = _dominant({c: size[c] for c in candidates}, dominance)
        if found is None or (found not in first_names and size[found] < 2):
            return None
        return found

    for p in counts:
        if p in keys:
            continue
        if p in tail_of:
            candidates = {keys[t] for t in tail_of[p]}
        else:
            candidates = by_last.get((p.last, p.suffix), set())
            if len(p.first) == 1:
                candidates = {c for c in candidates if p.first in initials[c]}
        keys[p] = pick(candidates, p.gender) or " ".join(w for w in (p.first, p.last, p.suffix) if w)
    return keys


def _org_keys(forms: dict[str, Counter[str]], groups: set[str], dominance: float) -> dict[str, str]:
    """Final key of every organisation key: a group's plural joins its singular, an acronym its
    full name. ``groups`` holds the keys whose records are mostly groups."""
    final = {key: key for key in forms}
    for key in groups:
        if len(key) > 3 and key.endswith("s") and key[:-1] in groups:
            final[key] = key[:-1]  # "democrats" -> "democrat"
    by_initials: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for key, raw in forms.items():
        if " " in key and final[key] == key:
            words = _org_words(min(raw, key=lambda r: (-raw[r], r)))
            by_initials["".join(w[0] for w in words if w[:1].isupper())].append((key, words))
    for key, raw in forms.items():
        acronym = " ".join(_org_words(min(raw, key=lambda r: (-raw[r], r))))
        if " " in key or not acronym.replace(".", "").isupper():
            continue
        letters = acronym.replace(".", "")
        found = {
            k: forms[k].total() for k, words in by_initials.get(letters, []) if abbreviates(acronym, words)
        }
        full = _dominant(found, dominance)
        if full is not None:
            final[key] = full
    return final


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
                words[-1] = _POSSESSIVE.sub("", words[-1])
        else:
            words = _org_words(alias)
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
    person_keys = _person_keys(person_counts, dominance)
    surnames = {p.last for p in person_counts if len(p.first) > 1}
    groups = {key for key, kinds in org_kinds.items() if kinds[True] > kinds[False]}
    org_final = _org_keys(org_forms, groups, dominance)
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
    return " ".join(_fold(w) for w in name_words(name))


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
