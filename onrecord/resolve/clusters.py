"""An entity under construction (``Cluster``) and the joins that merge two of an article's
clusters into one: an acronym into the name it abbreviates, a short organisation name into the
longer one it opens or ends. ``onrecord.resolve.entities`` builds the clusters."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field

from onrecord.resolve.names import abbreviates, written_after_the
from onrecord.resolve.places import state_words


@dataclass(slots=True)
class Cluster:
    """An entity under construction."""

    kind: str
    words: list[str]
    mentions: list[tuple[int, int]] = field(default_factory=list)
    mention_tokens: list[int] = field(default_factory=list)
    descriptions: list[str] = field(default_factory=list)
    gender: str | None = None
    label: str = ""
    forms: Counter[str] = field(default_factory=Counter)
    suffix: str = ""  # a generational suffix ("Jr."): another person than the bare name
    members: list[int] = field(default_factory=list)  # a named group's members, by cluster index
    singular: bool = False  # an unnamed source of one ("the editor"): no "they" stands for it

    @property
    def first_mention(self) -> int:
        """Where the article first names the entity (past any text when it never does)."""
        return min((start for start, _ in self.mentions), default=sys.maxsize)

    @property
    def name(self) -> str:
        """The most frequent full form of the name (ties: the longest, then the first seen),
        in title case if it is written only in capitals, with the generational suffix if the
        name has one."""
        full = [
            (count, len(form.split()), form) for form, count in self.forms.items() if len(form.split()) >= 2
        ]
        if not full:
            best = " ".join(self.words)
        else:
            best = max(full, key=lambda item: (item[0], item[1]))[2]
            # the fullest form that extends the usual one: "Aung San Suu Kyi" over "Suu Kyi"
            longer = [form for _, _, form in full if form.endswith(" " + best)]
            best = max(longer, key=len) if longer else best
        if self.kind == "person" and best.isupper() and len(best) > 3 and best.replace(" ", "").isalpha():
            best = " ".join(w.capitalize() for w in best.split())  # "BEN LUTZ:" in a transcript
        return f"{best} {self.suffix}" if self.suffix else best

    def description_words(self) -> set[str]:
        """The words of every description, in lower case and without full stops ("sen" for "Sen."),
        and the state an AP abbreviation stands for ("R-Fla.": florida)."""
        words = {w for d in self.descriptions for w in d.lower().replace(".", "").split()}
        return words | {
            s for d in self.descriptions for w in d.replace("-", " ").split() for s in state_words(w)
        }

    def add_description(self, text: str) -> None:
        text = " ".join(text.split()).strip(" ,;:-–—")  # "senior editor\n" before a blank line
        if text and text.lower() not in (d.lower() for d in self.descriptions) and len(text.split()) <= 14:
            self.descriptions.append(text)


def join_acronyms(clusters: list[Cluster], token_map: dict[int, int]) -> None:
    """'CNS' after 'Christian News Service', 'FBI' after 'Federal Bureau of Investigation':
    the acronym's mentions join the organisation it abbreviates; failing one, a person whose
    every name it spells, in three letters or more ('DHH' after 'David Heinemeier Hansson')."""
    for index, cluster in enumerate(clusters):
        if cluster.kind == "person" or len(cluster.words) != 1:
            continue
        acronym = cluster.words[0]
        bodies = [t for t, c in enumerate(clusters) if c.kind != "person" and abbreviates(acronym, c.words)]
        people = [
            t
            for t, c in enumerate(clusters)
            if c.kind == "person"
            and len(acronym) >= 3
            and len(c.words) == len(acronym)
            and abbreviates(acronym, c.words)
        ]
        target = next((t for t in bodies + people if t != index), None)
        if target is not None:
            move_mentions(clusters, token_map, index, target)


def move_mentions(clusters: list[Cluster], token_map: dict[int, int], index: int, target: int) -> None:
    """Every mention of cluster ``index`` becomes a mention of ``target``."""
    clusters[target].mentions.extend(clusters[index].mentions)
    clusters[target].mention_tokens.extend(clusters[index].mention_tokens)
    clusters[index].mentions.clear()
    clusters[index].mention_tokens.clear()
    for token_i, mapped in token_map.items():
        if mapped == index:
            token_map[token_i] = target


def join_short_names(clusters: list[Cluster], token_map: dict[int, int], text: str) -> None:
    """'HCA' beside 'HCA Healthcare': a one-word organisation name that opens exactly one longer
    organisation name of the article is that organisation, named in short; so is one that ends
    exactly one, where the article writes it after "the" every time ('the PAC' beside 'Harbour
    Forward PAC', 'the Gazette' beside 'The Harbour Gazette')."""
    for index, cluster in enumerate(clusters):
        if cluster.kind != "organization" or len(cluster.words) != 1 or not cluster.mentions:
            continue
        word = cluster.words[0].lower()
        after_the = written_after_the(text, (start for start, _ in cluster.mentions))
        longer = [
            i
            for i, c in enumerate(clusters)
            if i != index
            and c.kind == "organization"
            and len(c.words) >= 2
            and (c.words[0].lower() == word or (after_the and c.words[-1].lower() == word))
        ]
        if len(longer) == 1:
            move_mentions(clusters, token_map, index, longer[0])
