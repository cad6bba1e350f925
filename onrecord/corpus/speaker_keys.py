"""Cluster keys of speaker names (``onrecord.corpus.identity``, steps 2 to 4): which parsed
names are one person, and which organisation keys are one organisation.

Full names sharing first and last name are one person when their middle names fit; a short name
joins the person whose full name it fits only when that person is dominant (``dominance`` of the
candidates' records); a group's plural joins its singular and an acronym the organisation whose
initials it is. See ``onrecord.corpus.identity`` for the rules in full.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from onrecord.corpus.speaker_names import NICKNAMES, PersonName, org_words
from onrecord.resolve.gender import first_name_gender
from onrecord.resolve.names import abbreviates


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
    known = {(NICKNAMES.get(p.first, p.first), p.last, p.suffix) for p in full}
    grouped = {}
    for p in full:
        grouped[p] = (p._replace(first=NICKNAMES.get(p.first, p.first)), p.first)
        if p.middles and len(p.middles[0]) > 1 and first_name_gender(p.first) is None:
            first = p.middles[0]
            rest = p._replace(first=NICKNAMES.get(first, first), middles=p.middles[1:])
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


def cluster_people(counts: Counter[PersonName], dominance: float) -> dict[PersonName, str]:
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


def cluster_orgs(forms: dict[str, Counter[str]], groups: set[str], dominance: float) -> dict[str, str]:
    """Final key of every organisation key: a group's plural joins its singular, an acronym its
    full name. ``groups`` holds the keys whose records are mostly groups."""
    final = {key: key for key in forms}
    for key in groups:
        if len(key) > 3 and key.endswith("s") and key[:-1] in groups:
            final[key] = key[:-1]  # "democrats" -> "democrat"
    by_initials: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for key, raw in forms.items():
        if " " in key and final[key] == key:
            words = org_words(min(raw, key=lambda r: (-raw[r], r)))
            by_initials["".join(w[0] for w in words if w[:1].isupper())].append((key, words))
    for key, raw in forms.items():
        acronym = " ".join(org_words(min(raw, key=lambda r: (-raw[r], r))))
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
